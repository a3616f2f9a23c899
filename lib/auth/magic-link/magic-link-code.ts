import type { EmailChallengeRow } from "../store/types";
import type { AuthDeps } from "../core/deps";
import { failure, type Failure, type Result } from "../core/errors";
import { limitFailure, limitReached } from "../core/limit-failure";
import { MAX_CODE_FAILURES, codeHashFor, stateOf } from "./magic-link";
import { digestsEqual } from "../core/secrets";

/**
 * The one path that checks a 6-digit email code, for a sign-in and for a
 * re-confirmation alike. Both of its limits hold however many guesses race,
 * because each attempt is counted before its code is compared:
 *
 * - per challenge, MAX_CODE_FAILURES: the attempt is reserved by one
 *   conditional update that must match the row (pending, unexpired, count
 *   below the limit). Guesses past the fifth are refused uncompared, and a
 *   right code after five wrong ones finds no attempt left.
 * - per address, codeFailuresPerAddress (B4 §3.2.2): counted before the
 *   comparison as well, and given back (refundCodeAttempt) once a right code
 *   has redeemed its challenge. Counting after the comparison let parallel
 *   guesses through; counting every attempt for good would charge a person
 *   one of their daily failures for each sign-in by code.
 *
 * A right code's reserved challenge attempt is given back by the redemption
 * itself (EmailChallengeStore's consumeByCode and redeemSignIn), so the count keeps meaning
 * "wrong codes" and a right code as the fifth attempt still works.
 */

type CodeChallenge = Pick<EmailChallengeRow, "id" | "email" | "codeHash">;

/** Null when the code is right (redeem the challenge next); otherwise the refusal, the attempt counted. */
export async function checkCode(deps: AuthDeps, challenge: CodeChallenge, code: string): Promise<Failure | null> {
  // An address already at its limit spends none of this challenge's attempts.
  const addressLimit = await limitReached(deps.limits, "codeFailuresPerAddress", challenge.email);
  if (addressLimit) return codesLocked(addressLimit);

  const attempts = await deps.store.emailChallenges.reserveCodeAttempt(challenge.id, deps.clock.now(), MAX_CODE_FAILURES);
  if (attempts === null) return failure(await whyNotConsumed(deps, challenge.id));
  const counted = await limitFailure(deps.limits, "codeFailuresPerAddress", challenge.email);
  if (counted) return codesLocked(counted);

  if (digestsEqual(codeHashFor(deps.secret, challenge.id, code), challenge.codeHash)) return null;
  return failure(attempts >= MAX_CODE_FAILURES ? "CODE_LOCKED" : "CODE_INVALID");
}

/**
 * The address's codes are locked (for up to a day), not "try again in a
 * minute": the person is told what still works instead (the link on the
 * device that asked for it, a passkey). The retry time stays for API clients.
 */
function codesLocked(limited: Failure): Failure {
  return limited.code === "RATE_LIMITED" ? failure("CODE_LOCKED", { retryAfterSeconds: limited.retryAfterSeconds }) : limited;
}

/** After a right code redeemed its challenge: the address's counted attempt was no failure. */
export async function refundCodeAttempt(deps: AuthDeps, email: string): Promise<void> {
  await deps.limits.refund("codeFailuresPerAddress", email);
}

/** A challenge could not be used (a lost race, or no attempt left): say why, from the row as it is now. */
export async function whyNotConsumed(deps: AuthDeps, challengeId: string) {
  const row = await deps.store.emailChallenges.findById(challengeId);
  if (!row) return "TOKEN_INVALID" as const;
  const state = stateOf(row.status, row.expiresAt, deps.clock.now());
  if (state === "voided") return "TOKEN_VOIDED" as const;
  if (state === "expired") return "TOKEN_EXPIRED" as const;
  if (state === "ready" && row.failedCodeAttempts >= MAX_CODE_FAILURES) return "CODE_LOCKED" as const;
  return "TOKEN_USED" as const;
}

/**
 * A refusal's audit event names the challenge it was against, so that a
 * burst of guesses at one sign-in can be found; never the address, which
 * would put it in the log of every probe (issue 17 item 8).
 */
export function namingChallenge<T>(challengeId: string, result: Result<T>): Result<T> {
  return result.ok ? result : { ...result, audit: { ...result.audit, details: { ...result.audit?.details, challengeId } } };
}
