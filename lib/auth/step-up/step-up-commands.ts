import { z } from "zod";
import { defineCommand, type CommandContext, type CookieEffect } from "../core/command-types";
import { failure, success } from "../core/errors";
import { deviceSignatureSchema } from "../devices/device-proof";
import { authenticationResponseSchema } from "../passkeys/passkey-schemas";
import { judgeAction } from "./require-action";
import { beginStepUp, verifyStepUp } from "./step-up";

/** An action is a policy table row's name; anything else is refused before the policy runs. */
const action = z.string().min(1).max(64);

/**
 * The policy's dry run for the current session: what doing `action` now
 * would need. Nothing is recorded but the audit event (non-allow decisions
 * name the rules that fired).
 */
export const decidePolicyCommand = defineCommand({
  name: "AUTH.POLICY.DECIDE",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({ action }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    if (!Object.hasOwn(deps.policy.table, params.action)) return failure("VALIDATION_FAILED", { fields: { action: "UNKNOWN_ACTION" } });
    const decision = await judgeAction(deps, { session, action: params.action, request: ctx.request });
    return success({
      data: {
        decision: decision.kind,
        ...(decision.kind === "step_up" ? { methods: decision.methods, maxAgeSeconds: decision.maxAgeSeconds } : {}),
        reasons: decision.reasons,
      },
      audit: { details: { action: params.action, decision: decision.kind, reasons: decision.reasons.join(",") } },
    });
  },
});

export const beginStepUpCommand = defineCommand({
  name: "AUTH.STEP_UP.BEGIN",
  requiresSession: true,
  // `method` is any short text: "email" or "sms" are refused as METHOD_NOT_ALLOWED, by name, not as malformed input.
  input: z.strictObject({ action, method: z.string().min(1).max(32) }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const started = await beginStepUp(deps, {
      session,
      action: params.action,
      method: params.method,
      request: ctx.request,
      bindToBrowser: ctx.channel === "browser",
    });
    if (!started.ok) return started;
    const { challengeId, method, options, challenge, binding, expiresAt } = started.value;
    const effects: CookieEffect[] =
      ctx.channel === "browser" && binding ? [{ kind: "set-webauthn-binding", value: binding, expiresAt }] : [];
    return success({
      data: { challengeId, method, ...(options ? { options } : {}), ...(challenge ? { challenge } : {}), expiresAt: expiresAt.toISOString() },
      effects,
      audit: { details: { action: params.action, method, challengeId } },
    });
  },
});

/** Exactly one proof: a passkey's assertion, an authenticator app's code or a trusted device's signature. */
const verifyInput = z
  .strictObject({
    challengeId: z.uuid(),
    response: authenticationResponseSchema.optional(),
    code: z.string().max(32).optional(),
    signature: deviceSignatureSchema.optional(),
  })
  .refine((input) => [input.response, input.code, input.signature].filter((proof) => proof !== undefined).length === 1, {
    message: "PROOF_REQUIRED",
    path: ["_"],
  });

export const verifyStepUpCommand = defineCommand({
  name: "AUTH.STEP_UP.VERIFY",
  requiresSession: true,
  input: verifyInput,
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const granted = await verifyStepUp(deps, {
      session,
      challengeId: params.challengeId,
      binding: bindingFrom(ctx),
      proof: proofOf(params),
      auditRow,
    });
    if (!granted.ok) {
      return { ...granted, audit: { ...granted.audit, details: { ...granted.audit?.details, challengeId: params.challengeId } } };
    }
    const { grant, sessionToken, sessionExpiresAt } = granted.value;
    const browser = ctx.channel === "browser";
    return success({
      data: {
        grant: { action: grant.action, method: grant.method, expiresAt: grant.expiresAt.toISOString() },
        // The step-up rotated the session's token: an API client gets the new one here, a browser as its cookie.
        sessionToken: browser ? null : sessionToken,
      },
      effects: browser
        ? [
            { kind: "set-session" as const, token: sessionToken, expiresAt: sessionExpiresAt },
            { kind: "clear-webauthn-binding" as const },
          ]
        : [],
      auditWritten: true as const,
    });
  },
});

function proofOf(params: z.infer<typeof verifyInput>) {
  if (params.response) return { method: "passkey" as const, response: params.response };
  if (params.signature !== undefined) return { method: "device" as const, signature: params.signature };
  return { method: "totp" as const, code: params.code ?? "" };
}

function bindingFrom(ctx: CommandContext): string | null {
  return ctx.channel === "browser" ? ctx.webauthnBindingCookie : null;
}
