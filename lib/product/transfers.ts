import { failure, success, type Result } from "../auth/core/errors";
import { deliveryDeps, type AuthDeps } from "../auth/core/deps";
import { dispatchMessage, enqueueEmail } from "../delivery/outbox";
import { prismaOutboxStore } from "../delivery/prisma-outbox-store";
import { renderFileSharedEmail } from "../delivery/templates/render-file-shared-email";
import { isLocale, type Locale } from "../i18n/locales";
import { hasInvisibleCharacters } from "./invisible-characters";
import { productLimitFailure, type ProductLimits } from "./product-limits";
import { MAX_SEND_NOTE_LENGTH } from "./send-note";

/**
 * Sending a file: a FileTransfer row and an email to the recipient, written
 * in one transaction (no transfer without its notice, no notice without its
 * transfer), then a first delivery attempt. The email says who sent what
 * and how to ask for access; the bytes never leave FILES_DIR.
 *
 * Anyone can create an account, so the email is limited like a relay's
 * would be (lib/product/product-limits.ts): per sender (an hour and a day)
 * and per recipient address from all senders (a day). The sender's own
 * words are one short note, quoted as theirs, not ours.
 */

export type TransferDeps = Pick<AuthDeps, "db" | "store" | "clock" | "transport" | "emailFrom" | "appBaseUrl"> & {
  limits: ProductLimits;
};

export interface SendFileInput {
  fileId: string;
  recipientId: string;
  /** The sender's page language: the email's language when the recipient has no account yet. */
  locale: Locale;
  /** Up to MAX_SEND_NOTE_LENGTH characters from the sender; empty or absent for none. */
  note?: string;
}

/**
 * The same shape and values whether or not the recipient has an account:
 * the email's language (the recipient's own when they have one) is not
 * told, so a sender cannot probe which addresses are registered (ASVS 6.3.8).
 */
export interface SentFile {
  transferId: string;
  /** Whether the first send succeeded; if not, the outbox keeps retrying. */
  delivered: boolean;
}

export async function sendFile(
  deps: TransferDeps,
  sender: { id: string; email: string },
  input: SendFileInput,
): Promise<Result<SentFile>> {
  const { db, clock } = deps;
  const note = parseNote(input.note ?? "");
  if (!note.ok) return note;
  // Both must be the sender's own: someone else's file or recipient id is
  // answered exactly like an id that does not exist.
  const [file, recipient] = await Promise.all([
    db.storedFile.findFirst({ where: { id: input.fileId, ownerId: sender.id }, select: { id: true, name: true } }),
    db.recipient.findFirst({ where: { id: input.recipientId, ownerId: sender.id }, select: { id: true, email: true } }),
  ]);
  if (!file || !recipient) return failure("NOT_FOUND");

  // Counted before anything is written; the sender's limits first, so a
  // sender already over theirs uses up nothing of the recipient's.
  const limited = await productLimitFailure(deps.limits, [
    ["productSendPerSenderHour", sender.id],
    ["productSendPerSenderDay", sender.id],
    ["productSendPerRecipientAddress", recipient.email],
  ]);
  if (limited) return limited;

  const locale = await recipientLocale(deps, recipient.email, input.locale);
  const email = await renderFileSharedEmail(locale, {
    senderEmail: sender.email,
    fileName: file.name,
    recipientEmail: recipient.email,
    note: note.value,
    siteUrl: deps.appBaseUrl,
    // From configuration, never from the request's Host header.
    requestsUrl: `${deps.appBaseUrl}/${locale}/requests`,
  });

  const now = clock.now();
  const { transferId, messageId } = await db.$transaction(async (tx) => {
    const transfer = await tx.fileTransfer.create({
      data: { fileId: file.id, senderId: sender.id, recipientId: recipient.id, createdAt: now },
      select: { id: true },
    });
    const messageId = await enqueueEmail(prismaOutboxStore(tx), clock, { to: recipient.email, ...email, locale, template: "file-shared" });
    return { transferId: transfer.id, messageId };
  });

  const dispatched = await dispatchMessage(deliveryDeps(deps), messageId).catch(() => "retrying" as const);
  return success({ transferId, delivered: dispatched === "sent" });
}

/**
 * One line of at most MAX_SEND_NOTE_LENGTH characters (the command's schema
 * refuses longer ones before this), without controls or bidi overrides that
 * could make it display as something else; null when there is none.
 */
export function parseNote(raw: string): Result<string | null> {
  const note = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (note === "") return success(null);
  if (note.length > MAX_SEND_NOTE_LENGTH) return failure("VALIDATION_FAILED", { fields: { note: "NOTE_TOO_LONG" } });
  if (hasInvisibleCharacters(note)) return failure("VALIDATION_FAILED", { fields: { note: "NOTE_INVALID" } });
  return success(note);
}

/** The recipient's own language when they have an account, else the sender's. */
async function recipientLocale(deps: TransferDeps, email: string, fallback: Locale): Promise<Locale> {
  const account = await deps.db.user.findUnique({ where: { email }, select: { locale: true } });
  return isLocale(account?.locale) ? account.locale : fallback;
}
