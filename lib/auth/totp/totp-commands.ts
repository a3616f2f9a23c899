import { z } from "zod";
import { defineCommand } from "../core/command-types";
import { failure, success, type Failure } from "../core/errors";
import { normalizeTotpCode } from "./totp-code-input";
import { beginTotpEnrollment, finishTotpEnrollment } from "./totp-enrollment";
import { deleteTotpFactor, listTotpFactors } from "./totp-management";

/**
 * Authenticator apps, as commands. Strict inputs: no field but the ones
 * named, so there is no way to hand the server a time (RFC 6238 §5.2:
 * server time only). Audit events name ids, never a secret or a code.
 */

const factorId = z.uuid();

/** "123 456" as the app shows it is accepted; anything else that is not six ASCII digits is refused by the schema. */
const code = z
  .string()
  .max(32, "CODE_FORMAT")
  .transform((value, ctx) => {
    const digits = normalizeTotpCode(value);
    if (digits === null) ctx.addIssue({ code: "custom", message: "CODE_FORMAT" });
    return digits ?? "";
  });

/** A refusal's audit event names the enrolment it was against, so that a burst of guesses at one can be found. */
function againstEnrollment(refused: Failure, enrollmentId: string): Failure {
  return { ...refused, audit: { ...refused.audit, details: { ...refused.audit?.details, enrollmentId } } };
}

export const beginTotpEnrollmentCommand = defineCommand({
  name: "AUTH.TOTP.ENROLL.BEGIN",
  requiresSession: true,
  policyAction: "security.factor.add",
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const started = await beginTotpEnrollment(deps, { session });
    if (!started.ok) return started;
    // The secret goes to the caller once; the event keeps only the enrolment's id.
    return success({ data: started.value, audit: { details: { enrollmentId: started.value.enrollmentId } } });
  },
});

export const finishTotpEnrollmentCommand = defineCommand({
  name: "AUTH.TOTP.ENROLL.FINISH",
  requiresSession: true,
  policyAction: "security.factor.add",
  input: z.strictObject({ enrollmentId: factorId, code }),
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const added = await finishTotpEnrollment(deps, {
      session,
      enrollmentId: params.enrollmentId,
      code: params.code,
      locale: ctx.locale,
      context: ctx.request,
      auditRow,
    });
    if (!added.ok) return againstEnrollment(added, params.enrollmentId);
    // The account was emailed; the event was written with the confirmation, in its transaction.
    return success({ data: added.value, auditWritten: true as const });
  },
});

export const listTotpFactorsCommand = defineCommand({
  name: "AUTH.TOTP.LIST",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({ data: { factors: await listTotpFactors(deps, session.user.id) } });
  },
});

export const deleteTotpFactorCommand = defineCommand({
  name: "AUTH.TOTP.DELETE",
  requiresSession: true,
  policyAction: "security.factor.remove",
  input: z.strictObject({ id: factorId }),
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const deleted = await deleteTotpFactor(deps, { session, id: params.id, locale: ctx.locale, context: ctx.request, auditRow });
    // On success the event was written with the deletion, in its transaction.
    return deleted.ok ? success({ data: deleted.value, auditWritten: true as const }) : { ...deleted, audit: { details: { totpFactorId: params.id } } };
  },
});
