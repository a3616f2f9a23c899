import { z } from "zod";
import { LOCALES } from "../../i18n/locales";
import { parseEmailAddress } from "../core/email-address";
import { failure, success } from "../core/errors";
import { requestMagicLink } from "./magic-link";
import { redeemMagicLink, verifyEmailCode, type SignInAuditRow, type SignedIn } from "./magic-link-redemption";
import { safeRedirectPath } from "../core/safe-redirect";
import { revokeSession } from "../core/sessions";
import { normalizeTotpCode } from "../totp/totp-code-input";
import type { SessionStore } from "../store/types";
import { defineCommand, type CommandContext, type HandlerInput, type HandlerOutput } from "../core/command-types";

const code = z.string().regex(/^[0-9]{6}$/, "CODE_FORMAT");
/**
 * An authenticator app's code, for a sign-in the policy escalates
 * (lib/auth/step-up/sign-in-policy.ts): six digits, spaces allowed as apps
 * show them ("123 456"). A malformed one is refused before anything is read.
 */
const totpCode = z
  .string()
  .max(32)
  .refine((value) => normalizeTotpCode(value) !== null, "TOTP_CODE_FORMAT");

export const requestMagicLinkCommand = defineCommand({
  name: "AUTH.MAGIC_LINK.REQUEST",
  requiresSession: false,
  input: z.strictObject({
    // The address itself is parsed by parseEmailAddress, which knows more
    // than a regex; zod only keeps out arrays, objects and megabytes.
    email: z.string().max(1000),
    locale: z.enum(LOCALES).optional(),
    callbackUrl: z.string().max(2048).optional(),
    /** An API client asking again: the binding of its earlier request, whose link the new one replaces. */
    binding: z.string().min(1).max(512).optional(),
  }),
  async handle({ params, deps, ctx }) {
    const parsed = parseEmailAddress(params.email);
    if (!parsed.ok) return failure("VALIDATION_FAILED", { fields: { email: parsed.error } });
    const issued = await requestMagicLink(deps, {
      email: parsed.email,
      locale: params.locale ?? ctx.locale,
      callbackPath: safeRedirectPath(params.callbackUrl),
      context: ctx.request,
      binding: params.binding ?? ctx.bindingCookie,
    });
    if (!issued.ok) return issued;
    const { challengeId, binding, expiresAt, delivery } = issued.value;
    // The same shape for every address, known or not (ASVS 6.3.8).
    return success({
      data: {
        challengeId,
        // A browser keeps the binding in an HttpOnly cookie, out of reach of scripts.
        binding: ctx.channel === "api" ? binding : null,
        expiresAt: expiresAt.toISOString(),
        delivery,
      },
      effects: ctx.channel === "browser" ? [{ kind: "set-binding" as const, value: binding, expiresAt }] : [],
      audit: { details: { delivery, challengeId } },
    });
  },
});

export const redeemMagicLinkCommand = defineCommand({
  name: "AUTH.MAGIC_LINK.REDEEM",
  requiresSession: false,
  input: z.strictObject({
    token: z.string().min(1).max(512),
    binding: z.string().min(1).max(512).optional(),
    code: code.optional(),
    totpCode: totpCode.optional(),
  }),
  async handle({ params, deps, ctx, auditRow }) {
    const result = await redeemMagicLink(deps, {
      token: params.token,
      binding: params.binding ?? ctx.bindingCookie ?? undefined,
      code: params.code,
      totpCode: params.totpCode,
      context: ctx.request,
      auditRow: signInEvent(auditRow),
    });
    if (!result.ok) return result;
    await endReplacedSession(deps.store.sessions, ctx);
    return success(signedInOutput(result.value, ctx));
  },
});

export const verifyEmailCodeCommand = defineCommand({
  name: "AUTH.EMAIL_CODE.VERIFY",
  requiresSession: false,
  input: z.strictObject({
    challengeId: z.uuid(),
    code,
    totpCode: totpCode.optional(),
  }),
  async handle({ params, deps, ctx, auditRow }) {
    const result = await verifyEmailCode(deps, { ...params, context: ctx.request, auditRow: signInEvent(auditRow) });
    if (!result.ok) return result;
    await endReplacedSession(deps.store.sessions, ctx);
    return success(signedInOutput(result.value, ctx));
  },
});

/**
 * The sign-in's success event, written by the redemption in the transaction
 * that creates the session (issue 17 item 8): a session never exists
 * without its event, and a failing insert fails the sign-in.
 */
function signInEvent(auditRow: HandlerInput<unknown>["auditRow"]): SignInAuditRow {
  return ({ userId, sessionId, method, secondFactor, isNewUser, challengeId }) =>
    auditRow({ userId, sessionId, details: { method, isNewUser, challengeId, ...(secondFactor ? { secondFactor } : {}) } });
}

/**
 * A browser that signs in again gets a new session token (ASVS 7.2.4); the
 * session its old cookie named is ended on the server, not just forgotten.
 */
async function endReplacedSession(sessions: SessionStore, ctx: CommandContext): Promise<void> {
  if (ctx.channel === "browser" && ctx.sessionToken) await revokeSession(sessions, ctx.sessionToken);
}

function signedInOutput(signedIn: SignedIn, ctx: CommandContext) {
  const browser = ctx.channel === "browser";
  const output: HandlerOutput<{
    sessionToken: string | null;
    expiresAt: string;
    user: { id: string; email: string };
    isNewUser: boolean;
    redirectTo: string;
  }> = {
    data: {
      // A browser gets the token only as an HttpOnly cookie.
      sessionToken: browser ? null : signedIn.sessionToken,
      expiresAt: signedIn.expiresAt.toISOString(),
      user: signedIn.user,
      isNewUser: signedIn.isNewUser,
      redirectTo: signedIn.callbackPath,
    },
    effects: browser
      ? [
          { kind: "set-session", token: signedIn.sessionToken, expiresAt: signedIn.expiresAt },
          { kind: "clear-binding" },
        ]
      : [],
    auditWritten: true,
  };
  return output;
}
