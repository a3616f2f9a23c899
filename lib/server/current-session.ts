import { readAuthCookies } from "../auth/core/cookies";
import type { MethodUse } from "../auth/core/method-uses";
import { findActiveSession, type ActiveSession } from "../auth/core/sessions";
import { appDeps } from "./deps";

export interface SessionView {
  /** The session's id (never its token): what a session list marks as "this device". */
  id: string;
  user: { id: string; email: string };
  aal: number;
  methods: MethodUse[];
  createdAt: Date | null;
  expires: Date;
  /** "mobile: Chrome · Android" */
  device: string;
  country: string | null;
  /** A bound session whose device proof is due: it shows nothing until the browser proves its key. */
  deviceProofDue: boolean;
  /** The device a bound session belongs to (Settings → Devices marks it). */
  deviceId: string | null;
}

/**
 * The request's session for a page or a layout, found the way commands
 * find theirs (the cookie's token, hashed, in the auth store). Reading
 * writes nothing: a page cannot set cookies, so the idle window slides in
 * proxy.ts before the page renders, where the cookie can follow it
 * (page-session-refresh.ts).
 *
 * Through `cookies()` rather than Auth.js's `auth()`: a server action that
 * rotates the token (a step-up, a sign-in) sets the new cookie and Next.js
 * renders the page again in the same response. `cookies()` already holds
 * the new token then; `auth()` reads the request's original Cookie header,
 * whose token the rotation just retired, and the page would send a
 * signed-in person to sign-in.
 *
 * Cookies before configuration: they make a page dynamic, so a build that
 * renders pages ahead of time never reaches the server's settings.
 */
export async function currentActiveSession(): Promise<ActiveSession | null> {
  const { sessionToken } = await readAuthCookies();
  if (!sessionToken) return null;
  const deps = appDeps();
  return findActiveSession(deps.store.sessions, deps.clock, sessionToken, { slide: false });
}

/** The signed-in user and their session, as pages show them. */
export async function currentSession(): Promise<SessionView | null> {
  const session = await currentActiveSession();
  if (!session) return null;
  return {
    id: session.id,
    user: { id: session.user.id, email: session.user.email },
    aal: session.aal,
    methods: session.methods,
    createdAt: session.createdAt,
    expires: session.expiresAt,
    device: session.userAgentClass,
    country: session.country,
    deviceProofDue: session.deviceProofDue,
    deviceId: session.deviceId,
  };
}
