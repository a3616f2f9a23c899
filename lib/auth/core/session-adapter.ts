import type { Adapter, AdapterSession } from "@auth/core/adapters";
import type { Clock } from "../../clock";
import type { SessionStore } from "../store/types";
import { sessionTokenHash } from "./sessions";

/**
 * Wraps Auth.js's Prisma adapter so that the database only ever sees the
 * SHA-256 of a session token (ASVS 7.2.3): a leaked Session table cannot be
 * replayed as cookies. It also enforces what Auth.js does not know about:
 * the absolute expiry, and an idle window that depends on the session's
 * assurance level (B4 §2.2.3), both on our clock.
 *
 * Reading a session through `auth()` never writes. Auth.js would: it calls
 * `updateSession` whenever `expires - maxAge + updateAge` has passed, a
 * rule made for one lifetime per app, and with our shorter idle windows
 * (`expires` is at most a week ahead, `maxAge` is 30 days) that is every
 * call, a write on every page view. It would also answer a new cookie with
 * a 30-day expiry, which pages cannot send anyway (Server Components cannot
 * set cookies). So the idle window slides only in `findActiveSession`
 * (sessions.ts), where the cookie follows it: in proxy.ts before a page is
 * rendered, and in `execute` for commands.
 */
export function hashedSessionAdapter(base: Adapter, sessions: SessionStore, clock: Clock): Adapter {
  return {
    ...base,
    async createSession(session) {
      const created = await base.createSession!({ ...session, sessionToken: sessionTokenHash(session.sessionToken) });
      return { ...created, sessionToken: session.sessionToken };
    },
    async getSessionAndUser(sessionToken) {
      const found = await base.getSessionAndUser!(sessionTokenHash(sessionToken));
      if (!found) return null;
      const now = clock.now();
      const absolute = (found.session as AdapterSession & { absoluteExpiresAt?: Date }).absoluteExpiresAt;
      if (found.session.expires <= now || (absolute && absolute <= now)) return null;
      return { ...found, session: { ...found.session, sessionToken } };
    },
    async updateSession() {
      // Deliberately no write (see above): Auth.js ignores the answer.
      return null;
    },
    async deleteSession(sessionToken) {
      await sessions.deleteByTokenHash(sessionTokenHash(sessionToken));
    },
  };
}
