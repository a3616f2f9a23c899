import { z } from "zod";
import { defineCommand } from "../core/command-types";
import { failure, success } from "../core/errors";
import { PROMPT_ACTIONS, PROMPT_EVENTS, promptEligible, recordPromptEvent } from "./passkey-prompt";

/** The passkey upgrade prompt's eligibility and its events (lib/auth/passkeys/passkey-prompt.ts says when it shows). */
const promptAction = z.enum(PROMPT_ACTIONS);

export const checkPromptCommand = defineCommand({
  name: "AUTH.PASSKEY.PROMPT.CHECK",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({ action: promptAction }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const eligible = await promptEligible(deps, { userId: session.user.id, passkeyOnThisBrowser: ctx.passkeyOnThisBrowser });
    return success({ data: { eligible }, audit: { details: { action: params.action, eligible } } });
  },
});

export const recordPromptCommand = defineCommand({
  name: "AUTH.PASSKEY.PROMPT.RECORD",
  requiresSession: true,
  input: z.strictObject({ action: promptAction, event: z.enum(PROMPT_EVENTS) }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    await recordPromptEvent(deps, { userId: session.user.id, event: params.event });
    return success({ data: {}, audit: { details: { action: params.action, event: params.event } } });
  },
});
