import type { Clock } from "../clock";
import { hotPath, type Db } from "../db/client";
import { newRowId } from "../db/ids";
import type { NewOutboxEmail } from "../db/hot-path/types";
import type { EmailTransport } from "./email-transport";

/**
 * The outbox: every email is a row first and a send second, so a provider
 * outage loses nothing. `dispatchMessage` tries one row now (the request that
 * wrote it wants to tell the user honestly whether it went out);
 * `dispatchDueMessages` retries the rest with backoff.
 */

/** Waits after the 1st, 2nd, ... failed attempt; after the last, the row is marked failed. */
export const RETRY_BACKOFF_SECONDS = [30, 2 * 60, 8 * 60, 30 * 60, 2 * 60 * 60] as const;
export const MAX_SEND_ATTEMPTS = RETRY_BACKOFF_SECONDS.length + 1;
/**
 * The request that queues a message makes its first attempt itself; the
 * background dispatcher only picks a row up after this grace, so the two
 * never race for a first send.
 */
export const FIRST_ATTEMPT_GRACE_SECONDS = 30;
/** A body kept after a real send would keep a usable sign-in link in the database. */
const SCRUBBED = "[removed after delivery]";

export type QueuedEmail = Pick<NewOutboxEmail, "to" | "subject" | "text" | "html" | "locale" | "template"> & {
  challengeId?: string;
};

type OutboxWriter = Pick<Db, "outboxMessage">;


export async function enqueueEmail(db: OutboxWriter, clock: Clock, email: QueuedEmail): Promise<string> {
  const now = clock.now();
  const row = await db.outboxMessage.create({
    data: { ...email, id: newRowId(), createdAt: now, nextAttemptAt: new Date(now.getTime() + FIRST_ATTEMPT_GRACE_SECONDS * 1000) },
    select: { id: true },
  });
  return row.id;
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  transport: EmailTransport;
  from: string;
}

export type DispatchResult = "sent" | "retrying" | "failed" | "skipped";

/**
 * Sends one pending row. The row is claimed with a conditional update first
 * (attempts must still be what we read), so two dispatchers never send the
 * same message twice.
 */
export async function dispatchMessage(deps: DeliveryDeps, messageId: string): Promise<DispatchResult> {
  const { db, transport } = deps;
  const row = await db.outboxMessage.findUnique({ where: { id: messageId } });
  if (!row || row.status !== "pending") return "skipped";

  const attempt = row.attempts + 1;
  const claimed = await db.outboxMessage.updateMany({
    where: { id: row.id, status: "pending", attempts: row.attempts },
    data: { attempts: attempt, transport: transport.name },
  });
  if (claimed.count !== 1) return "skipped";

  return sendAttempt(deps, row, attempt);
}

/** One send of a claimed row, and its outcome recorded on the row. */
async function sendAttempt(
  deps: DeliveryDeps,
  row: Pick<NewOutboxEmail, "id" | "to" | "subject" | "text" | "html">,
  attempt: number,
): Promise<DispatchResult> {
  const { db, clock, transport } = deps;
  const outcome = await transport.send({
    id: row.id,
    to: row.to,
    from: deps.from,
    subject: row.subject,
    text: row.text,
    html: row.html,
  });
  if (outcome.ok) {
    await hotPath(db).markEmailSent(row.id, clock.now(), outcome.providerMessageId, transport.keepsBody);
    return "sent";
  }
  return recordFailedAttempt(db, clock, row.id, attempt, outcome);
}

async function recordFailedAttempt(
  db: Db,
  clock: Clock,
  id: string,
  attempt: number,
  outcome: { error: string; retryable: boolean },
): Promise<DispatchResult> {
  const giveUp = !outcome.retryable || attempt >= MAX_SEND_ATTEMPTS;
  const waitSeconds = RETRY_BACKOFF_SECONDS[Math.min(attempt - 1, RETRY_BACKOFF_SECONDS.length - 1)];
  await db.outboxMessage.update({
    where: { id },
    data: {
      status: giveUp ? "failed" : "pending",
      lastError: outcome.error,
      nextAttemptAt: new Date(clock.now().getTime() + waitSeconds * 1000),
      ...(giveUp ? { text: SCRUBBED, html: SCRUBBED } : {}),
    },
  });
  return giveUp ? "failed" : "retrying";
}

/**
 * An outbox row for a caller that writes it in its own transaction (the
 * sign-in request, lib/db/hot-path): claimed for this transport's first attempt, so
 * the background dispatcher leaves it alone unless that attempt never
 * reports back within the grace period.
 */
export function claimedEmailRow(clock: Clock, transport: EmailTransport, email: QueuedEmail): NewOutboxEmail {
  const now = clock.now();
  return {
    id: newRowId(),
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    locale: email.locale,
    template: email.template,
    challengeId: email.challengeId ?? null,
    transport: transport.name,
    sentAt: transport.deliveredByStoring ? now : null,
    createdAt: now,
    nextAttemptAt: new Date(now.getTime() + FIRST_ATTEMPT_GRACE_SECONDS * 1000),
  };
}

/** The first attempt at a row written by `claimedEmailRow`: no read and no claim needed. */
export async function sendClaimedEmail(deps: DeliveryDeps, row: NewOutboxEmail): Promise<DispatchResult> {
  if (row.sentAt) return "sent";
  return sendAttempt(deps, row, 1);
}

/**
 * What a person can be told right after the first attempt: it went out, it
 * will be retried, or the provider refused it for good (a bad address).
 */
export type DeliveryStatus = "sent" | "delayed" | "failed";

export function deliveryStatusOf(result: DispatchResult): DeliveryStatus {
  if (result === "sent") return "sent";
  return result === "failed" ? "failed" : "delayed";
}

/** Sends every pending row whose time has come, oldest first. */
export async function dispatchDueMessages(deps: DeliveryDeps, batchSize = 20): Promise<DispatchResult[]> {
  const due = await deps.db.outboxMessage.findMany({
    where: { status: "pending", nextAttemptAt: { lte: deps.clock.now() } },
    orderBy: { nextAttemptAt: "asc" },
    take: batchSize,
    select: { id: true },
  });
  const results: DispatchResult[] = [];
  for (const { id } of due) {
    results.push(await dispatchMessage(deps, id));
  }
  return results;
}
