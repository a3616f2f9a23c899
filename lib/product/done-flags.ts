/**
 * The `?done=` values the product's pages answer with a success message
 * after an action redirects back to them. Three of them are the valuable
 * actions the passkey upgrade prompt follows (DESIGN.md: send a file, save a
 * recipient, approve a request); each is also an audit event.
 */
export const DONE = {
  uploaded: "uploaded",
  sent: "sent",
  recipientSaved: "recipient-saved",
  recipientUpdated: "recipient-updated",
  recipientDeleted: "recipient-deleted",
  requested: "requested",
  approved: "approved",
  declined: "declined",
} as const;

export type Done = (typeof DONE)[keyof typeof DONE];

export const VALUABLE_ACTIONS_DONE: ReadonlySet<Done> = new Set([DONE.sent, DONE.recipientSaved, DONE.approved]);
