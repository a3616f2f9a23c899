import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import { countWrongCode, lockedForSeconds, TOTP_LOCK_SECONDS } from "./totp-attempts";
import { matchTotpStep } from "./totp-code";
import { normalizeTotpCode } from "./totp-code-input";
import { openFactorSecret } from "./totp-factor-secret";

/**
 * Checks a code from one of the account's authenticator apps: the proof a
 * step-up asks for (lib/auth/step-up). The time is the server's, always
 * (RFC 6238 §5.2, ASVS 6.5.8): nothing a client sends can move it.
 *
 * Two limits, and why both:
 * - each app locks after TOTP_MAX_WRONG_CODES wrong codes in a row, for
 *   TOTP_LOCK_SECONDS; a locked app is not tried;
 * - the account's `proofFailuresPerUser` (B4 §3.2.2), which also counts
 *   failed passkey step-ups. Its point is taken before the code is
 *   compared and given back when the code is right, so that guesses sent in
 *   parallel cannot all be compared before any of them is counted (the
 *   apps' own counts are written after the comparison).
 *
 * Only confirmed apps count; an app whose secret cannot be opened (another
 * key, an altered row) is skipped as if absent. A code already accepted,
 * or an older one after it, is a wrong code; of two requests racing with
 * the same right code, one wins and the other is CODE_INVALID.
 */
export async function verifyTotpCode(
  deps: Pick<AuthDeps, "store" | "clock" | "limits" | "totpKey">,
  input: { userId: string; code: string },
): Promise<Result<{ factorId: string }>> {
  const code = normalizeTotpCode(input.code);
  // Not a code at all: nothing is compared, so nothing is counted.
  if (code === null) return failure("CODE_INVALID");
  const now = deps.clock.now();
  const apps = await deps.store.totpFactors.listConfirmed(input.userId);
  if (apps.length === 0) return failure("CODE_INVALID");
  const unlocked = apps.filter((app) => lockedForSeconds(app, now) === 0);
  if (unlocked.length === 0) {
    return failure("CODE_LOCKED", { retryAfterSeconds: Math.min(...apps.map((app) => lockedForSeconds(app, now))) });
  }

  const limited = await limitFailure(deps.limits, "proofFailuresPerUser", input.userId);
  if (limited) return limited;

  for (const app of unlocked) {
    const secret = openFactorSecret(deps, app);
    if (!secret) continue;
    const step = matchTotpStep({ secret, code, at: now, lastUsedStep: app.lastUsedStep });
    secret.fill(0);
    if (step === null) continue;
    // A lost race keeps its point: the same code twice is not a new proof.
    if (!(await deps.store.totpFactors.acceptStep(app.id, step, now))) return failure("CODE_INVALID");
    await deps.limits.refund("proofFailuresPerUser", input.userId);
    return success({ factorId: app.id });
  }

  // A wrong code counts against every app it could have been for.
  const locks = await Promise.all(unlocked.map((app) => countWrongCode(deps.store.totpFactors, app.id, now)));
  if (locks.every(Boolean)) return failure("CODE_LOCKED", { retryAfterSeconds: TOTP_LOCK_SECONDS });
  return failure("CODE_INVALID");
}
