import { newRowId } from "../../db/ids";
import type { AuditRow, AuditStore } from "../store/types";

/**
 * The audit trail: one AuthEvent per command.
 *
 * Two ways in, chosen by what the event records:
 * - A state change's success event (a session created, a factor added or
 *   removed, an account changed) is inserted by the ceremony inside the same
 *   transaction as the change, so a sign-in is never granted with its event
 *   lost (ASVS 16.3.1). `auditRowOf` builds that row.
 * - Every other event of a command that may change state is written with
 *   `write`, awaited: if it cannot be written the request fails with 503, as
 *   it would if the database were down (ASVS 16.5.2-3).
 * - Reads (a session check, a list) go through `record`: written in small
 *   batches a moment later, so that a session check costs one read and not a
 *   read plus a write. `flush()` writes what is waiting (tests and shutdown
 *   call it). A crash can lose at most the last batch interval of reads.
 */
export type AuditEvent = Omit<AuditRow, "id" | "outcome" | "details"> & {
  outcome: "ok" | "refused" | "error";
  /** Never a token, code, binding, email body or full IP. */
  details: Record<string, string | number | boolean | null>;
};

export const AUDIT_FLUSH_INTERVAL_MS = 250;
export const AUDIT_MAX_BATCH = 200;

export interface AuditLog {
  /** Batched: for reads only. */
  record(event: AuditEvent): void;
  /** Written now; rejects when the event could not be stored. */
  write(event: AuditEvent): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Builds a command's success event (HandlerInput's `auditRow`, made by
 * `execute`), for the ceremony to insert with `insertAuditRow` in the
 * transaction that makes its change.
 */
export type AuditRowFor = (facts?: AuditFacts) => AuditRow;

/** What a command adds to its event beyond the envelope; never secrets. */
export interface AuditFacts {
  userId?: string;
  sessionId?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Inserts a success event inside the caller's transaction: the change and its record commit together or not at all. */
export function insertAuditRow(tx: { audit: AuditStore }, row: AuditRow): Promise<void> {
  return tx.audit.insert([row]);
}

/** The stored form of an event: its id, and its details as JSON. */
export function auditRowOf(event: AuditEvent): AuditRow {
  return { ...event, id: newRowId(), details: JSON.stringify(event.details) };
}

export function databaseAuditLog(store: AuditStore): AuditLog {
  let pending: AuditEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  async function writeBatch(batch: AuditEvent[]): Promise<void> {
    try {
      await store.insert(batch.map(auditRowOf));
    } catch (error) {
      // Only reads are batched, and their answer is already gone: the loss
      // must be loud. The message carries no event contents.
      console.error(`audit: failed to write ${batch.length} events:`, (error as Error).message);
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = pending;
    pending = [];
    if (batch.length > 0) {
      inFlight = inFlight.then(() => writeBatch(batch));
    }
    return inFlight;
  }

  return {
    record(event) {
      pending.push(event);
      if (pending.length >= AUDIT_MAX_BATCH) {
        void flush();
      } else if (!timer) {
        timer = setTimeout(() => void flush(), AUDIT_FLUSH_INTERVAL_MS);
        timer.unref();
      }
    },
    write(event) {
      return store.insert([auditRowOf(event)]);
    },
    flush,
  };
}
