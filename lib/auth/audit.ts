import { hotPath, type Db } from "../db/client";
import type { AuditRow } from "../db/hot-path/types";
import { newRowId } from "../db/ids";

/**
 * The audit trail: one AuthEvent per command. Events are written in small
 * batches a moment later, so that a session check costs one read and not a
 * read plus a write; `flush()` writes what is waiting (tests and shutdown
 * call it). A crash can lose at most the last batch interval of events.
 */
export type AuditEvent = Omit<AuditRow, "id" | "outcome" | "details"> & {
  outcome: "ok" | "refused" | "error";
  /** Never a token, code, binding, email body or full IP. */
  details: Record<string, string | number | boolean | null>;
};

export const AUDIT_FLUSH_INTERVAL_MS = 250;
export const AUDIT_MAX_BATCH = 200;

export interface AuditLog {
  record(event: AuditEvent): void;
  flush(): Promise<void>;
}

export function batchedAuditLog(db: Db): AuditLog {
  let pending: AuditEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  async function write(batch: AuditEvent[]): Promise<void> {
    try {
      await hotPath(db).insertAuditEvents(
        batch.map((event) => ({ ...event, id: newRowId(), details: JSON.stringify(event.details) })),
      );
    } catch (error) {
      // The audit log must not take sign-in down with it, but its loss must
      // be loud. The message carries no event contents.
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
      inFlight = inFlight.then(() => write(batch));
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
    flush,
  };
}
