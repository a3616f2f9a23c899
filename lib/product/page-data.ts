import { db } from "../db";
import { listIncomingRequests, listSharedWithMe } from "./access-requests";
import { listFiles, storedBytes } from "./files";
import { findPayout } from "./payout/payout";
import { findRecipient, listRecipients, recipientHasTransfers } from "./recipients";

/**
 * What the product's pages read while rendering, for the signed-in user
 * only. Pages call these instead of the database client (docs/architecture.md § Code conventions):
 * a page GET cannot run a command (no Origin, no cookies to set), so these
 * are reads, scoped by the caller's user id like the commands are.
 */

export async function filesPageData(userId: string) {
  const [files, recipients, used] = await Promise.all([listFiles(db(), userId), listRecipients(db(), userId), storedBytes(db(), userId)]);
  return { files, recipients, storedBytes: used };
}

export function recipientsForPage(userId: string) {
  return listRecipients(db(), userId);
}

export async function recipientPageData(userId: string, recipientId: string) {
  const [recipient, hasTransfers] = await Promise.all([
    findRecipient(db(), userId, recipientId),
    recipientHasTransfers(db(), userId, recipientId),
  ]);
  return { recipient, hasTransfers };
}

export async function requestsPageData(user: { id: string; email: string }) {
  const [shared, incoming] = await Promise.all([listSharedWithMe(db(), user), listIncomingRequests(db(), user.id)]);
  return { shared, incoming };
}

/** The account's payout details, masked (the IBAN is never sent to a page whole). */
export function payoutForPage(userId: string) {
  return findPayout(db(), userId);
}
