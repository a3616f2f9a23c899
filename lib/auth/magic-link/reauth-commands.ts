import { z } from "zod";
import { failure, success } from "../core/errors";
import { requestReauthCode, verifyReauthCode } from "./reauth";
import { defineCommand } from "../core/command-types";

export const requestReauthCommand = defineCommand({
  name: "AUTH.REAUTH.REQUEST",
  requiresSession: true,
  input: z.strictObject({}),
  async handle({ deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const requested = await requestReauthCode(deps, { session, locale: ctx.locale });
    if (!requested.ok) return requested;
    const { challengeId, expiresAt, delivery } = requested.value;
    return success({
      data: { challengeId, expiresAt: expiresAt.toISOString(), delivery },
      audit: { details: { challengeId, delivery } },
    });
  },
});

export const verifyReauthCommand = defineCommand({
  name: "AUTH.REAUTH.VERIFY",
  requiresSession: true,
  input: z.strictObject({ challengeId: z.uuid(), code: z.string().regex(/^[0-9]{6}$/, "CODE_FORMAT") }),
  async handle({ params, deps, ctx, session, auditRow }) {
    if (!session) return failure("UNAUTHENTICATED");
    const verified = await verifyReauthCode(deps, { session, ...params, auditRow });
    if (!verified.ok) return verified;
    const { sessionToken, expiresAt, reauthenticatedAt } = verified.value;
    const browser = ctx.channel === "browser";
    return success({
      // The session got a new token: a browser gets it as its cookie, an API client in the data.
      data: { reauthenticatedAt: reauthenticatedAt.toISOString(), sessionToken: browser ? null : sessionToken },
      effects: browser ? [{ kind: "set-session" as const, token: sessionToken, expiresAt }] : [],
      auditWritten: true,
    });
  },
});
