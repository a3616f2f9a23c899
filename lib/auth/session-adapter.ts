import type { Adapter, AdapterSession } from "@auth/core/adapters";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { AAL1_IDLE_SECONDS, AAL2_IDLE_SECONDS, sessionTokenHash } from "./sessions";

/**
 * Wraps Auth.js's Prisma adapter so that the database only ever sees the
 * SHA-256 of a session token (ASVS 7.2.3): a leaked Session table cannot be
 * replayed as cookies. It also enforces what Auth.js does not know about:
 * the absolute expiry, and an idle window that depends on the session's
 * assurance level.
 */
export function hashedSessionAdapter(base: Adapter, db: Db, clock: Clock): Adapter {
  return {
    ...base,
    async createSession(session) {
      const created = await base.createSession!({ ...session, sessionToken: sessionTokenHash(session.sessionToken) });
      return { ...created, sessionToken: session.sessionToken };
    },
    async getSessionAndUser(sessionToken) {
      const found = await base.getSessionAndUser!(sessionTokenHash(sessionToken));
      if (!found) return null;
      const absolute = (found.session as AdapterSession & { absoluteExpiresAt?: Date }).absoluteExpiresAt;
      if (absolute && absolute <= clock.now()) return null;
      return { ...found, session: { ...found.session, sessionToken } };
    },
    async updateSession(session) {
      const hash = sessionTokenHash(session.sessionToken);
      const row = await db.session.findUnique({ where: { sessionToken: hash }, select: { aal: true, absoluteExpiresAt: true } });
      if (!row) return null;
      const now = clock.now().getTime();
      const idleSeconds = row.aal >= 2 ? AAL2_IDLE_SECONDS : AAL1_IDLE_SECONDS;
      const expires = new Date(Math.min(now + idleSeconds * 1000, row.absoluteExpiresAt.getTime()));
      await db.session.updateMany({ where: { sessionToken: hash }, data: { expires, lastSeenAt: new Date(now) } });
      return { sessionToken: session.sessionToken, userId: session.userId ?? "", expires };
    },
    async deleteSession(sessionToken) {
      await db.session.deleteMany({ where: { sessionToken: sessionTokenHash(sessionToken) } });
    },
  };
}
