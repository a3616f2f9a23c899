import type { Clock } from "../../clock";
import type { Db } from "../../db/client";

/**
 * Spent and expired challenges are worthless after their lifetime; keeping
 * them an hour longer leaves the audit trail's ids resolvable for a while.
 * Runs from the server's housekeeping timer (lib/server-start.ts).
 */
export const CHALLENGE_RETENTION_SECONDS = 60 * 60;

export async function pruneExpiredChallenges(db: Db, clock: Clock): Promise<{ webauthn: number; email: number }> {
  const before = new Date(clock.now().getTime() - CHALLENGE_RETENTION_SECONDS * 1000);
  const [webauthn, email] = await Promise.all([
    db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: before } } }),
    db.magicLinkChallenge.deleteMany({ where: { expiresAt: { lt: before } } }),
  ]);
  return { webauthn: webauthn.count, email: email.count };
}
