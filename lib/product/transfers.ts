import type { AuthDeps } from "../auth/deps";
import { failure, success, type Result } from "../auth/errors";
import { dispatchMessage, enqueueEmail } from "../delivery/outbox";
import { renderFileSharedEmail } from "../delivery/templates/render-file-shared-email";
import { isLocale, type Locale } from "../i18n/locales";

/**
 * Sending a file: a FileTransfer row and an email to the recipient, written
 * in one transaction (no transfer without its notice, no notice without its
 * transfer), then a first delivery attempt. The email says who sent what
 * and how to ask for access; the bytes never leave FILES_DIR.
 */

export type TransferDeps = Pick<AuthDeps, "db" | "clock" | "transport" | "emailFrom" | "appBaseUrl">;

export interface SendFileInput {
  fileId: string;
  recipientId: string;
  /** The sender's page language: the email's language when the recipient has no account yet. */
  locale: Locale;
}

export interface SentFile {
  transferId: string;
  /** Whether the first send succeeded; if not, the outbox keeps retrying. */
  delivered: boolean;
  /** The language the email was written in. */
  locale: Locale;
}

export async function sendFile(
  deps: TransferDeps,
  sender: { id: string; email: string },
  input: SendFileInput,
): Promise<Result<SentFile>> {
  const { db, clock } = deps;
  // Both must be the sender's own: someone else's file or recipient id is
  // answered exactly like an id that does not exist.
  const [file, recipient] = await Promise.all([
    db.storedFile.findFirst({ where: { id: input.fileId, ownerId: sender.id }, select: { id: true, name: true } }),
    db.recipient.findFirst({ where: { id: input.recipientId, ownerId: sender.id }, select: { id: true, email: true } }),
  ]);
  if (!file || !recipient) return failure("NOT_FOUND");

  const locale = await recipientLocale(deps, recipient.email, input.locale);
  const email = await renderFileSharedEmail(locale, {
    senderEmail: sender.email,
    fileName: file.name,
    recipientEmail: recipient.email,
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
    const messageId = await enqueueEmail(tx, clock, { to: recipient.email, ...email, locale, template: "file-shared" });
    return { transferId: transfer.id, messageId };
  });

  const dispatched = await dispatchMessage(
    { db, clock, transport: deps.transport, from: deps.emailFrom },
    messageId,
  ).catch(() => "retrying" as const);
  return success({ transferId, delivered: dispatched === "sent", locale });
}

/** The recipient's own language when they have an account, else the sender's. */
async function recipientLocale(deps: TransferDeps, email: string, fallback: Locale): Promise<Locale> {
  const account = await deps.db.user.findUnique({ where: { email }, select: { locale: true } });
  return isLocale(account?.locale) ? account.locale : fallback;
}
