import type { Clock } from "../clock";
import { newRowId } from "../db/ids";
import type { EmailTransport } from "./email-transport";
import type { NewOutboxEmail, OutboxStore } from "./outbox-store";

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

export type QueuedEmail = Pick<NewOutboxEmail, "to" | "subject" | "text" | "html" | "locale" | "template"> & {
  challengeId?: string;
};

/**
 * Queues an email for the dispatcher, on the caller's store: inside a
 * transaction, the row commits with the change it reports. Returns its id,
 * for the caller's first send after the commit (dispatchMessage).
 */
export async function enqueueEmail(outbox: OutboxStore, clock: Clock, email: QueuedEmail): Promise<string> {
  const row = queuedEmailRow(clock, email);
  await outbox.insert(row);
  return row.id;
}

/** The row `enqueueEmail` writes, for a store method that writes it in its own transaction. */
export function queuedEmailRow(clock: Clock, email: QueuedEmail): NewOutboxEmail {
  const now = clock.now();
  return {
    ...emailFields(email),
    id: newRowId(),
    transport: null,
    sentAt: null,
    createdAt: now,
    nextAttemptAt: new Date(now.getTime() + FIRST_ATTEMPT_GRACE_SECONDS * 1000),
  };
}

function emailFields(email: QueuedEmail) {
  return {
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    locale: email.locale,
    template: email.template,
    challengeId: email.challengeId ?? null,
  };
}

export interface DeliveryDeps {
  outbox: OutboxStore;
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
  const { outbox, transport } = deps;
  const row = await outbox.find(messageId);
  if (!row || row.status !== "pending") return "skipped";

  const attempt = row.attempts + 1;
  if (!(await outbox.claim(row.id, row.attempts, transport.name))) return "skipped";

  return sendAttempt(deps, row, attempt);
}

/** One send of a claimed row, and its outcome recorded on the row. */
async function sendAttempt(
  deps: DeliveryDeps,
  row: Pick<NewOutboxEmail, "id" | "to" | "subject" | "text" | "html">,
  attempt: number,
): Promise<DispatchResult> {
  const { outbox, clock, transport } = deps;
  const outcome = await transport.send({
    id: row.id,
    to: row.to,
    from: deps.from,
    subject: row.subject,
    text: row.text,
    html: row.html,
  });
  if (outcome.ok) {
    await outbox.markSent(row.id, clock.now(), outcome.providerMessageId, transport.keepsBody);
    return "sent";
  }
  return recordFailedAttempt(outbox, clock, row.id, attempt, outcome);
}

async function recordFailedAttempt(
  outbox: OutboxStore,
  clock: Clock,
  id: string,
  attempt: number,
  outcome: { error: string; retryable: boolean },
): Promise<DispatchResult> {
  const giveUp = !outcome.retryable || attempt >= MAX_SEND_ATTEMPTS;
  const waitSeconds = RETRY_BACKOFF_SECONDS[Math.min(attempt - 1, RETRY_BACKOFF_SECONDS.length - 1)];
  await outbox.recordFailure(id, {
    error: outcome.error,
    giveUp,
    nextAttemptAt: new Date(clock.now().getTime() + waitSeconds * 1000),
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
    ...emailFields(email),
    id: newRowId(),
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
  const due = await deps.outbox.dueIds(deps.clock.now(), batchSize);
  const results: DispatchResult[] = [];
  for (const id of due) {
    results.push(await dispatchMessage(deps, id));
  }
  return results;
}
