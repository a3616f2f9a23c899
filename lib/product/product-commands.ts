import { z } from "zod";
import { defineCommand } from "../auth/core/command-types";
import { failure, success } from "../auth/core/errors";
import { requireAction } from "../auth/step-up/require-action";
import "./errors"; // registers the product's error codes with the core
import { decideAccessRequest, requestAccess, type AccessDecision } from "./access-requests";
import { PAYOUT_COMMANDS } from "./payout/payout-commands";
import { productLimitFailure, productLimitsFor } from "./product-limits";
import { setFilePrivate } from "./files";
import { createRecipient, deleteRecipient, updateRecipient } from "./recipients";
import { MAX_SEND_NOTE_LENGTH } from "./send-note";
import { sendFile } from "./transfers";

/**
 * The demo product's state changes as commands, so they pass through the
 * same choke point as sign-in (lib/auth/core/execute.ts): origin check, session,
 * one audit event each (PRODUCT.FILE.SEND, ...), one envelope, and the JSON
 * API for free. The policy layer will hook in here too (a send may one day
 * need a step-up). Uploads and downloads carry bytes, not JSON, so they are
 * route handlers instead (lib/product/upload-http.ts, download-http.ts) with the same checks.
 *
 * Audit details hold ids only: names, addresses and file names are personal
 * data and stay in their own tables.
 */

/** Row ids are cuids; the cap only keeps megabytes out. */
const id = z.string().min(1).max(64);
/** Free text is checked field by field in lib/product/recipients.ts. */
const text = z.string().max(1000);

export const sendFileCommand = defineCommand({
  name: "PRODUCT.FILE.SEND",
  requiresSession: true,
  input: z.strictObject({
    fileId: id,
    recipientId: z.string().min(1, "RECIPIENT_REQUIRED").max(64),
    // The sender's words in someone else's inbox: short (lib/product/send-note.ts).
    note: z.string().max(MAX_SEND_NOTE_LENGTH, "NOTE_TOO_LONG").optional(),
  }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const sent = await sendFile({ ...deps, limits: productLimitsFor(deps.db) }, session.user, { ...params, locale: ctx.locale });
    if (!sent.ok) return sent;
    const { fileId, recipientId } = params;
    return success({
      data: sent.value,
      // The note's text is the sender's personal data: only whether there was one.
      audit: { details: { fileId, recipientId, hasNote: Boolean(params.note?.trim()), ...sent.value } },
    });
  },
});

const recipientFields = { name: text, email: text, country: text };

export const createRecipientCommand = defineCommand({
  name: "PRODUCT.RECIPIENT.CREATE",
  requiresSession: true,
  input: z.strictObject(recipientFields),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    // Each saved recipient is an address this account can email: limited per
    // account (lib/product/product-limits.ts). The demo seed calls
    // createRecipient directly and is not limited.
    const limited = await productLimitFailure(productLimitsFor(deps.db), [["productRecipientCreatePerUser", session.user.id]]);
    if (limited) return limited;
    const created = await createRecipient(deps, session.user.id, params);
    if (!created.ok) return created;
    return success({
      data: { recipient: created.value },
      audit: { details: { recipientId: created.value.id, country: created.value.country } },
    });
  },
});

export const updateRecipientCommand = defineCommand({
  name: "PRODUCT.RECIPIENT.UPDATE",
  requiresSession: true,
  input: z.strictObject({ recipientId: id, ...recipientFields }),
  async handle({ params: { recipientId, ...fields }, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const updated = await updateRecipient(deps, session.user.id, recipientId, fields);
    if (!updated.ok) return updated;
    return success({ data: { recipient: updated.value }, audit: { details: { recipientId } } });
  },
});

export const deleteRecipientCommand = defineCommand({
  name: "PRODUCT.RECIPIENT.DELETE",
  requiresSession: true,
  input: z.strictObject({ recipientId: id }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const deleted = await deleteRecipient(deps, session.user.id, params.recipientId);
    if (!deleted.ok) return deleted;
    return success({ data: { deleted: true }, audit: { details: params } });
  },
});

export const requestAccessCommand = defineCommand({
  name: "PRODUCT.ACCESS.REQUEST",
  requiresSession: true,
  input: z.strictObject({ fileId: id }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const requested = await requestAccess(deps, session.user, params.fileId);
    if (!requested.ok) return requested;
    return success({ data: requested.value, audit: { details: { ...requested.value } } });
  },
});

function decideCommand<const N extends string>(name: N, decision: AccessDecision) {
  return defineCommand({
    name,
    requiresSession: true,
    input: z.strictObject({ requestId: id }),
    async handle({ params, deps, session }) {
      if (!session) return failure("UNAUTHENTICATED");
      const decided = await decideAccessRequest(deps, session.user.id, params.requestId, decision);
      if (!decided.ok) return decided;
      return success({ data: decided.value, audit: { details: { ...decided.value } } });
    },
  });
}

/**
 * Private files need a fresh strong proof to read (the download route asks
 * for `file.view_private`). Marking one private needs nothing more than
 * owning it; making it public again drops that protection for everyone
 * with access, so it asks for the very proof that reading it would.
 */
export const setFilePrivateCommand = defineCommand({
  name: "PRODUCT.FILE.SET_PRIVATE",
  requiresSession: true,
  input: z.strictObject({ fileId: id, private: z.boolean() }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const set = await setFilePrivate(deps, session.user.id, params.fileId, params.private, () =>
      requireAction(deps, { session, action: "file.view_private", request: ctx.request }),
    );
    if (!set.ok) return set;
    return success({ data: { fileId: set.value.fileId, private: set.value.private }, audit: { details: { ...set.value } } });
  },
});

/** Approving is a valuable action (the passkey prompt follows it); declining also takes access back. */
export const approveAccessCommand = decideCommand("PRODUCT.ACCESS.APPROVE", "approve");
export const declineAccessCommand = decideCommand("PRODUCT.ACCESS.DECLINE", "decline");

export const PRODUCT_COMMANDS = [
  sendFileCommand,
  createRecipientCommand,
  updateRecipientCommand,
  deleteRecipientCommand,
  requestAccessCommand,
  approveAccessCommand,
  declineAccessCommand,
  setFilePrivateCommand,
  ...PAYOUT_COMMANDS,
] as const;
