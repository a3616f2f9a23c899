/**
 * Where the outbox keeps its rows (outbox.ts decides what to do with them).
 * prisma-outbox-store.ts is the reference implementation; the auth store's
 * fast implementation (lib/db/hot-path) writes the sign-in request's row in
 * SQL and uses the reference for the rest.
 */
export interface OutboxStore {
  /**
   * A row with a `transport` is written claimed for that transport's first
   * attempt (attempts = 1), which its writer makes at once; one without is
   * left to the dispatcher.
   */
  insert(row: NewOutboxEmail): Promise<void>;
  find(id: string): Promise<OutboxRow | null>;
  /** Claims a pending row for one attempt if its count is still `attempts`: true for one of any number of racing dispatchers. */
  claim(id: string, attempts: number, transport: string): Promise<boolean>;
  /** The attempt went out: the row becomes sent (its body scrubbed unless kept). */
  markSent(id: string, sentAt: Date, providerMessageId: string | null, keepBody: boolean): Promise<void>;
  /** The attempt failed: retried at `nextAttemptAt`, or given up (and the body scrubbed). */
  recordFailure(id: string, failure: { error: string; giveUp: boolean; nextAttemptAt: Date }): Promise<void>;
  /** Pending rows due at `now`, oldest first. */
  dueIds(now: Date, limit: number): Promise<string[]>;
}

export interface NewOutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
  template: string;
  challengeId: string | null;
  /** The transport making the first attempt (the row is claimed for it), or null to leave it to the dispatcher. */
  transport: string | null;
  /** Already sent when storing the row is the delivery (the development mailbox). */
  sentAt: Date | null;
  createdAt: Date;
  /** When the dispatcher may try it (again), if the first attempt never reports back. */
  nextAttemptAt: Date;
}

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
}

/** A body kept after a real send would keep a usable sign-in link in the database. */
export const SCRUBBED_BODY = "[removed after delivery]";
