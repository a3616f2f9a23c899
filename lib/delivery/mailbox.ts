import { db as appDb } from "../db";
import type { Db } from "../db/client";
import { parseEmailAddress } from "../auth/core/email-address";

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
  createdAt: string;
}

/** How many messages the development mailbox lists at most. */
export const MAILBOX_LIMIT = 50;

/**
 * The development mailbox: what the `outbox` transport "delivered", newest
 * first. The address filter goes through the same parser as sign-in, so
 * `Alice@Example.com` finds mail sent to `alice@example.com`.
 */
export async function listMailbox(db: Db, to?: string | null): Promise<MailboxMessage[]> {
  const parsed = to ? parseEmailAddress(to) : null;
  if (to && !parsed?.ok) return [];
  const rows = await db.outboxMessage.findMany({
    where: { channel: "email", transport: "outbox", ...(parsed?.ok ? { to: parsed.email } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAILBOX_LIMIT,
    select: { id: true, to: true, subject: true, text: true, html: true, locale: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

/** The mailbox of this server's own database, for the development mailbox's page and route. */
export function readDevMailbox(to?: string | null): Promise<MailboxMessage[]> {
  return listMailbox(appDb(), to);
}
