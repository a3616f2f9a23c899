/**
 * The `?done=` values the product's pages answer with a success message
 * after an action redirects back to them. Three of them are the valuable
 * actions the passkey upgrade prompt follows (docs/architecture.md: send a file, save a
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

/**
 * The page's success message key for a `?done=` value, or null for an
 * absent or unknown one (the query string is anyone's to edit).
 */
export function doneMessageKey<K extends string>(done: string | undefined, messages: Partial<Record<Done, K>>): K | null {
  return done !== undefined && Object.hasOwn(messages, done) ? (messages[done as Done] ?? null) : null;
}
