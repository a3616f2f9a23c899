import type { Database } from "better-sqlite3";

/**
 * Group commit for the SQLite hot path: the writes of every request handled
 * in one turn of the event loop share one transaction, committed when the
 * turn ends (`setImmediate`). A commit is the dearest part of a small write
 * (the log frames, the locks, the index pages that several requests touch
 * written once instead of once each): a sign-in request made three.
 *
 * - Each caller's work is a unit: a savepoint, undone alone if the work
 *   throws, so one request's failure never takes another's writes with it.
 * - `write` answers once the group has committed, so nothing is reported
 *   (or emailed) before it is stored. If the commit fails, every writer of
 *   the group is told.
 * - Nothing a group holds is visible to another connection before the
 *   commit. On this connection it is, but only to requests that cannot know
 *   the new secrets yet: a token leaves the server only after its commit.
 * - Prisma writes the same file on a connection of its own, and SQLite lets
 *   one connection write at a time. A group holds the write lock across a
 *   turn, and Prisma's interactive transactions hold it across their awaits;
 *   both drivers wait for a lock by blocking the thread, which would stop the
 *   very turn that has to release it. So the two take turns here instead:
 *   Prisma's plain queries wait for the group to end and are woken before
 *   the group's own writers; while Prisma starts a transaction (`hold`) no
 *   group opens; while it has one open (`foreignTransactionStarted` …
 *   `Ended`) no group opens either (lib/db/sqlite-prisma-adapter.ts reports
 *   both, through Prisma's public driver-adapter interface).
 */

/** Waiting longer than this for someone else's transaction means something is stuck: fail closed. */
export const FOREIGN_TRANSACTION_WAIT_LIMIT_MS = 5_000;

export interface WriteGroups {
  /** Runs `work` now, as one unit of the open group (opening one); resolves with its result once the group has committed. */
  write<T>(work: () => T): Promise<T>;
  /**
   * Runs `work` now and answers at once, for a caller that must answer
   * synchronously (the rate limiter's store). Durable when the group
   * commits; when a transaction of Prisma's is about to begin, it runs on
   * its own instead (one statement is atomic by itself).
   */
  writeNow<T>(work: () => T): T;
  /** Whether a group is open. */
  readonly open: boolean;
  /** No group and no foreign transaction is open: a plain query of Prisma's may run now. */
  readonly idle: boolean;
  /** Prisma has a transaction open: the rate limiter's store must wait (`untilNoForeignTransaction`). */
  readonly foreignTransactionOpen: boolean;
  /** Resolves once nothing is open, or a turn later: for Prisma's queries, woken before a group's writers. Check `idle` again. */
  untilIdle(): Promise<void>;
  /** Resolves when no foreign transaction is open (a group may be): for the rate limiter's store. */
  untilNoForeignTransaction(): Promise<void>;
  /** Resolves once no group is open (a transaction of Prisma's may be). */
  untilNoGroup(): Promise<void>;
  /** Keeps new groups from opening while `during` runs (Prisma starting a transaction). */
  hold<T>(during: () => Promise<T>): Promise<T>;
  /** Another connection (Prisma's) opened a transaction on the file: no group opens until it ends. */
  foreignTransactionStarted(): void;
  foreignTransactionEnded(): void;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Group {
  /** Settles when the group has committed (or failed to). */
  committed: Deferred;
  /** Resolves just before `committed`, so that its waiters run first. */
  ended: Deferred;
}

const GROUPS = Symbol.for("trustladder.sqliteWriteGroups");

/**
 * The write groups of one connection. Kept on the connection itself: Next.js
 * may bundle this module more than once, and every copy must share them.
 */
export function writeGroupsOf(database: Database, schedule: (commit: () => void) => void = setImmediate): WriteGroups {
  const holder = database as unknown as { [GROUPS]?: WriteGroups };
  holder[GROUPS] ??= createWriteGroups(database, schedule);
  return holder[GROUPS];
}

function createWriteGroups(database: Database, schedule: (commit: () => void) => void): WriteGroups {
  // IMMEDIATE: the write lock is taken at once, so a commit cannot find it taken.
  const begin = database.prepare("BEGIN IMMEDIATE");
  const commit = database.prepare("COMMIT");
  const rollback = database.prepare("ROLLBACK");
  const savepoint = database.prepare("SAVEPOINT hot_path_unit");
  const release = database.prepare("RELEASE hot_path_unit");
  const rollbackToSavepoint = database.prepare("ROLLBACK TO hot_path_unit");

  let group: Group | null = null;
  let holds = 0;
  let foreignTransactions = 0;

  function openGroup(): Group {
    begin.run();
    const opened: Group = { committed: deferred(), ended: deferred() };
    // A group of writeNow units alone has no one listening for its outcome.
    opened.committed.promise.catch(() => undefined);
    group = opened;
    schedule(() => end(opened));
    return opened;
  }

  function end(ending: Group, failure?: unknown): void {
    if (group !== ending) return;
    group = null;
    let error = failure;
    if (error === undefined) {
      try {
        commit.run();
      } catch (commitError) {
        error = commitError;
      }
    }
    // (A connection closed meanwhile, as at shutdown, has nothing left to roll back.)
    if (error !== undefined && database.open && database.inTransaction) rollback.run();
    ending.ended.resolve();
    if (error === undefined) ending.committed.resolve();
    else ending.committed.reject(error);
  }

  function unit<T>(current: Group, work: () => T): T {
    savepoint.run();
    try {
      const value = work();
      release.run();
      return value;
    } catch (error) {
      if (database.inTransaction) {
        rollbackToSavepoint.run();
        release.run();
      } else {
        // SQLite rolled the whole transaction back itself (a full disk, an
        // I/O error): the group's earlier units are gone too.
        end(current, error);
      }
      throw error;
    }
  }

  const foreignTransactionOpen = () => foreignTransactions > 0;
  const idle = () => group === null && foreignTransactions === 0;

  async function waitWhile(blocked: () => boolean): Promise<void> {
    const started = Date.now();
    while (blocked()) {
      if (Date.now() - started > FOREIGN_TRANSACTION_WAIT_LIMIT_MS) {
        throw new Error("SQLITE_BUSY: database is locked by a transaction");
      }
      if (group) await group.ended.promise;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    get open() {
      return group !== null;
    },

    get idle() {
      return idle();
    },

    get foreignTransactionOpen() {
      return foreignTransactionOpen();
    },

    async write(work) {
      const blocked = () => foreignTransactionOpen() || (group === null && holds > 0);
      // Checked first so that the usual case costs no extra promise.
      if (blocked()) await waitWhile(blocked);
      const current = group ?? openGroup();
      const value = unit(current, work);
      await current.committed.promise;
      return value;
    },

    writeNow(work) {
      if (group) return unit(group, work);
      if (foreignTransactionOpen()) throw new Error("SQLITE_BUSY: another connection has a transaction open");
      if (holds > 0) return work();
      return unit(openGroup(), work);
    },

    untilIdle: () => waitWhile(() => !idle()),

    untilNoForeignTransaction: () => waitWhile(foreignTransactionOpen),

    untilNoGroup: () => waitWhile(() => group !== null),

    async hold(during) {
      holds += 1;
      try {
        return await during();
      } finally {
        holds -= 1;
      }
    },

    foreignTransactionStarted() {
      foreignTransactions += 1;
    },

    foreignTransactionEnded() {
      foreignTransactions = Math.max(0, foreignTransactions - 1);
    },
  };
}
