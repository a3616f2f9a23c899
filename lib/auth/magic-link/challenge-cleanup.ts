import type { Clock } from "../../clock";
import type { AuthStore } from "../store/types";

/**
 * Spent and expired challenges are worthless after their lifetime; keeping
 * them an hour longer leaves the audit trail's ids resolvable for a while.
 * Runs from the server's housekeeping timer (lib/server-start.ts).
 */
export const CHALLENGE_RETENTION_SECONDS = 60 * 60;

export async function pruneExpiredChallenges(store: AuthStore, clock: Clock): Promise<{ webauthn: number; email: number }> {
  const before = new Date(clock.now().getTime() - CHALLENGE_RETENTION_SECONDS * 1000);
  const [webauthn, email] = await Promise.all([
    store.webauthnChallenges.deleteExpiredBefore(before),
    store.emailChallenges.deleteExpiredBefore(before),
  ]);
  return { webauthn, email };
}
