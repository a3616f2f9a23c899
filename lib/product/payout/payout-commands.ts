import { z } from "zod";
import { defineCommand } from "../../auth/core/command-types";
import { failure, success } from "../../auth/core/errors";
import "../errors"; // registers the product's error codes with the core
import { findPayout, savePayout } from "./payout";

/**
 * The payout details as commands. Reading shows only the masked IBAN, so
 * it needs a session and nothing more; changing them is the policy's
 * `payout.change` action, which `execute` checks before the handler runs
 * (STEP_UP_REQUIRED or ACTION_DENIED otherwise), so a refused change
 * writes nothing and sends nothing.
 *
 * Audit details hold neither the IBAN nor the holder's name.
 */

export const getPayoutCommand = defineCommand({
  name: "PRODUCT.PAYOUT.GET",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({ data: { payout: await findPayout(deps.db, session.user.id) } });
  },
});

export const updatePayoutCommand = defineCommand({
  name: "PRODUCT.PAYOUT.UPDATE",
  requiresSession: true,
  policyAction: "payout.change",
  // The caps only keep megabytes out; payout.ts checks each field.
  input: z.strictObject({
    holderName: z.string().max(1000),
    iban: z.string().max(100, "IBAN_INVALID"),
    country: z.string().max(16),
  }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const saved = await savePayout(deps, session.user, params, ctx.locale);
    if (!saved.ok) return saved;
    const { payout, first } = saved.value;
    return success({ data: { payout }, audit: { details: { country: payout.country, first } } });
  },
});

export const PAYOUT_COMMANDS = [getPayoutCommand, updatePayoutCommand] as const;
