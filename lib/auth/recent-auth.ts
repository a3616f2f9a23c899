import type { ActiveSession } from "./sessions";

/**
 * Binding a new authenticator or removing one needs a sign-in or
 * re-confirmation from the last 10 minutes (ASVS 7.5.1), not merely a
 * session that is still alive.
 */
export const RECENT_AUTH_SECONDS = 10 * 60;

export function lastAuthenticatedAt(session: Pick<ActiveSession, "methods">): Date | null {
  const times = session.methods.map((use) => new Date(use.at).getTime()).filter(Number.isFinite);
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export function isRecentlyAuthenticated(session: Pick<ActiveSession, "methods">, now: Date): boolean {
  const last = lastAuthenticatedAt(session);
  return last !== null && now.getTime() - last.getTime() <= RECENT_AUTH_SECONDS * 1000;
}
