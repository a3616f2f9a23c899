import { z } from "zod";
import { failure, success, type Failure } from "../core/errors";
import { beginPasskeyLogin, finishPasskeyLogin } from "./passkey-login";
import { deletePasskey, listPasskeys, renamePasskey } from "./passkey-management";
import { beginPasskeyRegistration, finishPasskeyRegistration } from "./passkey-registration";
import { passkeySignalState } from "./passkey-signals";
import { revokeSession } from "../core/sessions";
import { authenticationResponseSchema, registrationResponseSchema } from "./passkey-schemas";
import { defineCommand, type CommandContext, type CookieEffect } from "../core/command-types";

const challengeId = z.uuid();

/** A browser keeps the challenge binding in an HttpOnly cookie; an API client holds the challengeId alone. */
function bindingEffects(ctx: CommandContext, binding: string | null, expiresAt: Date): CookieEffect[] {
  return ctx.channel === "browser" && binding ? [{ kind: "set-webauthn-binding", value: binding, expiresAt }] : [];
}

function bindingFrom(ctx: CommandContext): string | null {
  return ctx.channel === "browser" ? ctx.webauthnBindingCookie : null;
}

/**
 * A started ceremony's answer: the options for the browser's WebAuthn call,
 * the binding cookie for a browser, and the challenge named in the audit
 * event (its finish names it too, so the two can be paired).
 */
function challengeStarted<O>(ctx: CommandContext, started: { challengeId: string; options: O; binding: string | null; expiresAt: Date }) {
  return success({
    data: { challengeId: started.challengeId, options: started.options },
    effects: bindingEffects(ctx, started.binding, started.expiresAt),
    audit: { details: { challengeId: started.challengeId } },
  });
}

/** A refused ceremony's audit event names the challenge it was against, so a burst against one can be found (issue 17 item 8). */
function againstChallenge(refused: Failure, challengeId: string): Failure {
  return { ...refused, audit: { ...refused.audit, details: { ...refused.audit?.details, challengeId } } };
}

/**
 * Adding a passkey is `security.factor.add` at both ends: the policy asks
 * again at the finish, so a passkey added meanwhile (or a proof grown old)
 * raises what finishing needs.
 */
export const beginRegistrationCommand = defineCommand({
  name: "AUTH.PASSKEY.REGISTER.BEGIN",
  requiresSession: true,
  policyAction: "security.factor.add",
  input: z.strictObject({}),
  async handle({ deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const started = await beginPasskeyRegistration(deps, { session, bindToBrowser: ctx.channel === "browser" });
    return started.ok ? challengeStarted(ctx, started.value) : started;
  },
});

export const finishRegistrationCommand = defineCommand({
  name: "AUTH.PASSKEY.REGISTER.FINISH",
  requiresSession: true,
  policyAction: "security.factor.add",
  input: z.strictObject({ challengeId, response: registrationResponseSchema, name: z.string().max(200).optional() }),
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const registered = await finishPasskeyRegistration(deps, {
      session,
      challengeId: params.challengeId,
      binding: bindingFrom(ctx),
      response: params.response,
      name: params.name,
      context: ctx.request,
      locale: ctx.locale,
      auditRow,
    });
    if (!registered.ok) return againstChallenge(registered, params.challengeId);
    return success({
      // The account was emailed; `otherSessions` lets the caller offer AUTH.SESSION.REVOKE_ALL_OTHERS (ASVS 7.4.3).
      data: registered.value,
      effects:
        ctx.channel === "browser" ? [{ kind: "clear-webauthn-binding" as const }, { kind: "set-passkey-device" as const }] : [],
      auditWritten: true as const,
    });
  },
});

export const beginLoginCommand = defineCommand({
  name: "AUTH.PASSKEY.LOGIN.BEGIN",
  requiresSession: false,
  // `email` is accepted and deliberately unused: naming an account's
  // credentials would tell anyone which addresses have passkeys.
  input: z.strictObject({ email: z.string().max(1000).optional() }),
  async handle({ deps, ctx }) {
    const started = await beginPasskeyLogin(deps, { bindToBrowser: ctx.channel === "browser", context: ctx.request });
    return started.ok ? challengeStarted(ctx, started.value) : started;
  },
});

export const finishLoginCommand = defineCommand({
  name: "AUTH.PASSKEY.LOGIN.FINISH",
  requiresSession: false,
  input: z.strictObject({ challengeId, response: authenticationResponseSchema }),
  async handle({ params, deps, ctx, auditRow }) {
    const signedIn = await finishPasskeyLogin(deps, {
      challengeId: params.challengeId,
      binding: bindingFrom(ctx),
      response: params.response,
      context: ctx.request,
      auditRow,
    });
    if (!signedIn.ok) return againstChallenge(signedIn, params.challengeId);
    const browser = ctx.channel === "browser";
    if (browser && ctx.sessionToken) await revokeSession(deps.store.sessions, ctx.sessionToken);
    const { sessionToken, expiresAt, user } = signedIn.value;
    return success({
      data: {
        // Same shape as a magic-link redemption; a browser gets the token only as a cookie.
        sessionToken: browser ? null : sessionToken,
        expiresAt: expiresAt.toISOString(),
        user,
        isNewUser: false,
        redirectTo: "/",
      },
      effects: browser
        ? [
            { kind: "set-session" as const, token: sessionToken, expiresAt },
            { kind: "clear-webauthn-binding" as const },
            { kind: "set-passkey-device" as const },
          ]
        : [],
      // Written with the session, in its transaction (passkey-login.ts).
      auditWritten: true as const,
    });
  },
});

export const listPasskeysCommand = defineCommand({
  name: "AUTH.PASSKEY.LIST",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({ data: { passkeys: await listPasskeys(deps, session.user.id) } });
  },
});

/**
 * What the browser's Signal API tells the account's passkey providers
 * (passkey-signals.ts): the credentials still accepted, the user handle and
 * the name. Read after a sign-in and after a passkey is renamed or deleted.
 */
export const passkeySignalStateCommand = defineCommand({
  name: "AUTH.PASSKEY.SIGNAL_STATE",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({ data: await passkeySignalState(deps, session) });
  },
});

/**
 * Renaming changes a label the person reads, not a way in: nothing is bound
 * or unbound, so it is no `security.factor.*` action and needs only the
 * session (still the account's own passkey only).
 */
export const renamePasskeyCommand = defineCommand({
  name: "AUTH.PASSKEY.RENAME",
  requiresSession: true,
  input: z.strictObject({ id: z.string().min(1).max(64), name: z.string().min(1).max(200) }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const renamed = await renamePasskey(deps, { userId: session.user.id, passkeyId: params.id, name: params.name });
    return renamed.ok ? success({ data: { passkey: renamed.value }, audit: { details: { passkeyId: params.id } } }) : renamed;
  },
});

export const deletePasskeyCommand = defineCommand({
  name: "AUTH.PASSKEY.DELETE",
  requiresSession: true,
  policyAction: "security.factor.remove",
  input: z.strictObject({ id: z.string().min(1).max(64) }),
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const deleted = await deletePasskey(deps, { session, passkeyId: params.id, context: ctx.request, locale: ctx.locale, auditRow });
    // On success the event was written with the deletion, in its transaction.
    return deleted.ok ? success({ data: deleted.value, auditWritten: true as const }) : deleted;
  },
});
