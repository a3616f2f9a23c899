import type { AuditRow, EmailChallengeRow } from "../store/types";
import { newRowId } from "../../db/ids";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Failure, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import { stateOf } from "./magic-link";
import { checkCode, namingChallenge, refundCodeAttempt, whyNotConsumed } from "./magic-link-code";
import type { RequestContext } from "../core/request-context";
import { LINK_TOKEN_BYTES, digestsEqual, looksLikeToken, sha256Hex } from "../core/secrets";
import type { AuthMethod } from "../core/method-uses";
import { newSessionRow } from "../core/sessions";
import { notifyNewSignIn } from "../step-up/new-sign-in-notice";
import { judgeSignIn } from "../step-up/sign-in-policy";

/**
 * Turning a challenge into a session. Two proofs are accepted:
 * - the link token plus the binding cookie of the browser that asked
 *   (same browser: the link alone is enough), or
 * - the 6-digit code (another browser or device: the code proves the person
 *   read the email, the binding proves nothing there).
 * Redemption is one conditional update that must touch exactly one row, so
 * a link signs in once however many requests race for it.
 */

export interface SignedIn {
  sessionToken: string;
  sessionId: string;
  expiresAt: Date;
  user: { id: string; email: string };
  isNewUser: boolean;
  callbackPath: string;
  method: AuthMethod;
}

interface Proof {
  binding?: string;
  code?: string;
}

/**
 * Builds the sign-in's audit event (the command's HandlerInput.auditRow),
 * called inside the redemption's transaction once the account is known.
 */
export type SignInAuditRow = (signedIn: {
  userId: string;
  sessionId: string;
  isNewUser: boolean;
  method: AuthMethod;
  /** The authenticator app's code an escalated sign-in also proved (sign-in-policy.ts), or null. */
  secondFactor: AuthMethod | null;
  challengeId: string;
}) => AuditRow;

interface Attempt {
  context: RequestContext;
  /** An authenticator app's code for a sign-in the policy escalates; ignored otherwise. */
  totpCode?: string;
  /** Given, the success event is written with the session or not at all. */
  auditRow?: SignInAuditRow;
}

type Challenge = EmailChallengeRow;

export async function redeemMagicLink(
  deps: AuthDeps,
  input: Proof & Attempt & { token: string },
): Promise<Result<SignedIn>> {
  const limited = await limitPerIp(deps, input.context);
  if (limited) return limited;
  if (!looksLikeToken(input.token, LINK_TOKEN_BYTES)) return failure("TOKEN_INVALID");
  const challenge = await deps.store.emailChallenges.findByTokenHash(sha256Hex(input.token));
  // A re-confirmation code is for a signed-in person only; it never starts a session.
  if (!challenge || challenge.purpose !== "sign_in") return failure("TOKEN_INVALID");
  return namingChallenge(challenge.id, await proveAndSignIn(deps, challenge, input, input));
}

export async function verifyEmailCode(
  deps: AuthDeps,
  input: Attempt & { challengeId: string; code: string },
): Promise<Result<SignedIn>> {
  const limited = await limitPerIp(deps, input.context);
  if (limited) return limited;
  const challenge = await deps.store.emailChallenges.findById(input.challengeId);
  if (!challenge || challenge.purpose !== "sign_in") return failure("TOKEN_INVALID");
  return namingChallenge(challenge.id, await proveAndSignIn(deps, challenge, { code: input.code }, input));
}

async function limitPerIp(deps: AuthDeps, context: RequestContext): Promise<Failure | null> {
  return limitFailure(deps.limits, "verifyPerIp", context.ipLimitKey);
}

async function proveAndSignIn(
  deps: AuthDeps,
  challenge: Challenge,
  proof: Proof,
  attempt: Attempt,
): Promise<Result<SignedIn>> {
  const state = stateOf(challenge.status, challenge.expiresAt, deps.clock.now());
  if (state === "used") return failure("TOKEN_USED");
  if (state === "voided") return failure("TOKEN_VOIDED");
  if (state === "expired") return failure("TOKEN_EXPIRED");

  // The binding cookie proves this is the browser that asked. It wins even
  // over a locked code: an attacker guessing codes elsewhere must not lock
  // the real person out of their own link.
  // (Only a sign-in link has a binding; a row without one matches none.)
  if (proof.binding && challenge.bindingHash !== null && digestsEqual(sha256Hex(proof.binding), challenge.bindingHash)) {
    return signIn(deps, challenge, "magic_link", attempt);
  }
  if (proof.code === undefined) return failure("BINDING_REQUIRED");

  const codeRefusal = await checkCode(deps, challenge, proof.code);
  if (codeRefusal) return codeRefusal;
  return signIn(deps, challenge, "email_code", attempt);
}

async function signIn(
  deps: AuthDeps,
  challenge: Challenge,
  method: AuthMethod,
  { context, auditRow, totpCode }: Attempt,
): Promise<Result<SignedIn>> {
  // The sign-in policy, once the proof checked out (judging earlier would
  // tell anyone holding a challenge id what the account has). An app's code
  // is checked there, and spent, before the challenge is: a lost race then
  // costs the person one code, never a session without both proofs.
  const verdict = await judgeSignIn(deps, { email: challenge.email, request: context, totpCode });
  if (!verdict.ok) {
    if (method === "email_code") await refundCodeAttempt(deps, challenge.email);
    return verdict;
  }
  // Email proves control of a mailbox: AAL1 and no more (B4 §3.1.3.1). An
  // app's code beside it is recorded as a proof, but email is no
  // authenticator B4 counts, so the pair is not two factors: still AAL1.
  const secondFactor = verdict.value.secondFactor;
  const { sessionToken, row: session } = newSessionRow(deps.clock, {
    aal: 1,
    method,
    secondMethod: secondFactor ?? undefined,
    context,
    start: verdict.value,
  });
  // One transaction (EmailChallengeStore.redeemSignIn): the conditional update that consumes
  // the challenge, the account, the session, its audit event. A code got
  // here only through checkCode, which took one of the challenge's attempts.
  const byCode = method === "email_code";
  const redeemed = await deps.store.emailChallenges.redeemSignIn({
    challengeId: challenge.id,
    now: session.createdAt,
    codeAttemptReserved: byCode,
    email: challenge.email,
    locale: challenge.locale,
    newUserId: newRowId(),
    session,
    audit: auditRow
      ? ({ userId, isNewUser }) => auditRow({ userId, isNewUser, sessionId: session.id, method, secondFactor, challengeId: challenge.id })
      : undefined,
  });
  if (!redeemed) return failure(await whyNotConsumed(deps, challenge.id));
  if (byCode) await refundCodeAttempt(deps, challenge.email);
  if (verdict.value.notify && !redeemed.isNewUser) {
    // The session exists and its cookie is about to be set: a notice that
    // cannot be rendered or queued must not turn the sign-in into a 500.
    // The message names the failure only, never the address.
    await notifyNewSignIn(deps, {
      email: challenge.email,
      locale: challenge.locale,
      device: context.browserSummary,
      country: verdict.value.country,
      at: session.createdAt,
      restricted: session.restricted,
      session: { id: session.id, expiresAt: session.absoluteExpiresAt },
    }).catch((error: unknown) => {
      console.error("sign-in: new sign-in notice not queued:", error instanceof Error ? error.message : "unknown error");
    });
  }
  return success({
    sessionToken,
    sessionId: session.id,
    expiresAt: session.expires,
    user: { id: redeemed.userId, email: challenge.email },
    isNewUser: redeemed.isNewUser,
    callbackPath: challenge.callbackPath,
    method,
  });
}
