import { newRowId } from "../../db/ids";
import { enqueueEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";
import { dispatchNotice } from "../core/notice";
import { factorChangeEmail } from "../passkeys/passkey-notifications";
import { countWrongCode, lockedForSeconds, TOTP_LOCK_SECONDS } from "./totp-attempts";
import { base32Secret, matchTotpStep, newTotpSecret, otpauthUri } from "./totp-code";
import { normalizeTotpCode } from "./totp-code-input";
import { openFactorSecret, sealFactorSecret } from "./totp-factor-secret";

/**
 * Adding an authenticator app (RFC 6238): the server makes a secret and
 * shows it once, as a QR code and a manual key; the app is the account's
 * only after a first code from it proves the phone holds the same secret.
 *
 * Who may do it is the policy's call, not this file's: the commands declare
 * `security.factor.add` (totp-commands.ts), so `execute` asks for a recent
 * proof with the account's strongest factor before either step runs
 * (ASVS 7.5.1). The finish step is asked again, so a passkey added
 * meanwhile raises what it needs.
 */

/** A QR code shown and not confirmed stops working after this long, counted from when it was made (server clock). */
export const TOTP_ENROLLMENT_TTL_SECONDS = 10 * 60;
/** The issuer the app shows above the account's codes. */
export const TOTP_ISSUER = "Trustladder";

export interface TotpEnrollmentStart {
  /** The pending app's id: the finish step names it. */
  enrollmentId: string;
  /**
   * The manual key, RFC 4648 base32 in groups of four separated by spaces
   * ("ABCD EFGH …"), as a person reads and types it. Apps ignore the spaces.
   */
  secret: string;
  /** What the QR code carries (otpauth://totp/Trustladder:<email>?secret=…&issuer=Trustladder). */
  otpauthUri: string;
}

/**
 * A new 160-bit secret, sealed before it is stored (secret-box.ts), as the
 * account's one pending enrolment: an earlier QR code that was never
 * confirmed stops working.
 */
export async function beginTotpEnrollment(
  deps: Pick<AuthDeps, "store" | "clock" | "totpKey">,
  input: { session: ActiveSession },
): Promise<Result<TotpEnrollmentStart>> {
  const user = input.session.user;
  const secret = newTotpSecret();
  const factor = { id: newRowId(), userId: user.id };
  try {
    await deps.store.totpFactors.insertPending({
      ...factor,
      secretSealed: sealFactorSecret(deps, factor, secret),
      // Unnamed: the screens call it "Authenticator app" in the reader's language.
      name: "",
      createdAt: deps.clock.now(),
    });
    return success({
      enrollmentId: factor.id,
      secret: base32Secret(secret),
      otpauthUri: otpauthUri({ secret, issuer: TOTP_ISSUER, accountName: user.email }),
    });
  } finally {
    // The caller gets the secret as text; these bytes need not outlive the request.
    secret.fill(0);
  }
}

export interface TotpFactorAdded {
  factor: { id: string; createdAt: string };
}

/**
 * Confirms the pending enrolment with a first code: only this account's,
 * only within TOTP_ENROLLMENT_TTL_SECONDS, five wrong codes lock it for
 * TOTP_LOCK_SECONDS. The accepted code's time step is stored, so that code
 * never works again (RFC 6238 §5.2). The confirmation, the account's notice
 * and the audit event commit together; the notice is sent after.
 */
export async function finishTotpEnrollment(
  deps: AuthDeps,
  input: {
    session: ActiveSession;
    enrollmentId: string;
    code: string;
    /** For the notice email, when the account has no stored locale. */
    locale: Locale;
    context: RequestContext;
    auditRow: AuditRowFor;
  },
): Promise<Result<TotpFactorAdded>> {
  const user = input.session.user;
  const now = deps.clock.now();
  // Another account's enrolment is simply not found.
  const row = await deps.store.totpFactors.findForUser(input.enrollmentId, user.id);
  if (!row) return failure("CHALLENGE_INVALID");
  if (row.confirmedAt) return failure("CHALLENGE_USED");
  if (now.getTime() - row.createdAt.getTime() >= TOTP_ENROLLMENT_TTL_SECONDS * 1000) return failure("CHALLENGE_EXPIRED");
  const locked = lockedForSeconds(row, now);
  if (locked > 0) return failure("CODE_LOCKED", { retryAfterSeconds: locked });
  const secret = openFactorSecret(deps, row);
  // Sealed under another key, or altered: this QR code can never be confirmed.
  if (!secret) return failure("CHALLENGE_INVALID");

  const code = normalizeTotpCode(input.code);
  const step = code === null ? null : matchTotpStep({ secret, code, at: now, lastUsedStep: row.lastUsedStep });
  secret.fill(0);
  if (step === null) {
    const lockedNow = await countWrongCode(deps.store.totpFactors, row.id, now);
    return lockedNow ? failure("CODE_LOCKED", { retryAfterSeconds: TOTP_LOCK_SECONDS }) : failure("CODE_INVALID");
  }

  const notice = await factorChangeEmail(deps, {
    change: "totpAdded",
    user,
    fallbackLocale: input.locale,
    passkeyName: row.name,
    device: input.context.browserSummary,
  });
  const messageId = await deps.store.transaction(async (tx) => {
    // One conditional update decides: of two requests with this code, one confirms; the other finds its step used.
    if (!(await tx.totpFactors.acceptStep(row.id, step, now))) return null;
    const queued = await enqueueEmail(tx.outbox, deps.clock, notice);
    await insertAuditRow(tx, input.auditRow({ details: { totpFactorId: row.id } }));
    return queued;
  });
  if (!messageId) return failure("CODE_INVALID");
  await dispatchNotice(deps, messageId);
  return success({ factor: { id: row.id, createdAt: row.createdAt.toISOString() } });
}
