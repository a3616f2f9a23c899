import type { AuthMethod } from "./method-uses";
import type { ActiveSession } from "./sessions";

/**
 * Binding a new authenticator or removing one needs a sign-in or
 * re-confirmation from the last 10 minutes (ASVS 7.5.1), not merely a
 * session that is still alive.
 */
export const RECENT_AUTH_SECONDS = 10 * 60;

type Proofs = Pick<ActiveSession, "methods">;

/** The newest proof on the session, of any method or of the given ones. */
export function lastAuthenticatedAt(session: Proofs, methods?: readonly AuthMethod[]): Date | null {
  const times = session.methods
    .filter((use) => !methods || methods.includes(use.method))
    .map((use) => new Date(use.at).getTime())
    .filter(Number.isFinite);
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export function isRecentlyAuthenticated(session: Proofs, now: Date, methods?: readonly AuthMethod[]): boolean {
  const last = lastAuthenticatedAt(session, methods);
  return last !== null && now.getTime() - last.getTime() <= RECENT_AUTH_SECONDS * 1000;
}

/** What a factor change still needs: an emailed code, or a passkey. */
export type FactorChangeRefusal = "REAUTH_REQUIRED" | "PASSKEY_REAUTH_REQUIRED";

/**
 * A factor change needs a recent proof with the strongest factor the
 * account has (ASVS 7.5.1; email is never a step-up, B4 §3.1.3.1):
 * - no passkey yet: a recent email sign-in or re-confirmation adds the
 *   first one (the upgrade path);
 * - a passkey: only a recent sign-in or re-confirmation with a passkey on
 *   this session adds or removes one, so brief access to the mailbox never
 *   becomes a lasting passkey.
 * Null when the change may go ahead; otherwise the refusal names the proof.
 */
export function factorChangeRefusal(
  session: Proofs,
  now: Date,
  account: { hasPasskey: boolean },
): FactorChangeRefusal | null {
  if (account.hasPasskey) return isRecentlyAuthenticated(session, now, ["passkey"]) ? null : "PASSKEY_REAUTH_REQUIRED";
  return isRecentlyAuthenticated(session, now) ? null : "REAUTH_REQUIRED";
}
