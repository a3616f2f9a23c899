import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FOREIGN_TRANSACTION_WAIT_LIMIT_MS, writeGroupsOf, type WriteGroups } from "./sqlite-write-group";

/**
 * Group commit, on a real SQLite file with a second connection looking on
 * (what another process would see). The commit is scheduled by hand here,
 * so each test decides when a turn of the event loop ends.
 */
describe("SQLite write groups", () => {
  let dir: string;
  let database: Database.Database;
  let observer: Database.Database;
  let pendingCommits: (() => void)[];
  let groups: WriteGroups;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "trustladder-groups-"));
    const file = path.join(dir, "groups.db");
    database = new Database(file);
    database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
    database.exec(`
      CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY,
        parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
    observer = new Database(file, { readonly: true });
    pendingCommits = [];
    groups = writeGroupsOf(database, (commit) => pendingCommits.push(commit));
  });
  afterEach(() => {
    observer.close();
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (body: string) => () => database.prepare("INSERT INTO note (body) VALUES (?)").run(body).changes;
  const stored = () => observer.prepare("SELECT body FROM note ORDER BY id").pluck().all();
  const endTurn = () => pendingCommits.splice(0).forEach((commit) => commit());
  const settled = async <T>(promise: Promise<T>) => {
    let state = "pending";
    promise.then(() => (state = "resolved"), () => (state = "rejected"));
    await new Promise((resolve) => setImmediate(resolve));
    return state;
  };

  it("commits every write of one turn once, and answers only after the commit", async () => {
    const first = groups.write(insert("first"));
    const second = groups.write(insert("second"));
    expect(pendingCommits).toHaveLength(1);
    expect(database.inTransaction).toBe(true);
    expect(stored()).toEqual([]); // nothing visible to anyone else yet
    expect(await settled(first)).toBe("pending");

    endTurn();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(stored()).toEqual(["first", "second"]);
    expect(database.inTransaction).toBe(false);
  });

  it("undoes a failing writer's work alone", async () => {
    const kept = groups.write(insert("kept"));
    const failing = groups.write(() => {
      database.prepare("INSERT INTO note (body) VALUES ('half done')").run();
      return insert("kept")(); // a unique violation, after a write of its own
    });
    const alsoKept = groups.write(insert("also kept"));
    await expect(failing).rejects.toThrow(/UNIQUE/);
    endTurn();
    await Promise.all([kept, alsoKept]);
    expect(stored()).toEqual(["kept", "also kept"]);
  });

  it("tells every writer when the commit itself fails, and keeps nothing", async () => {
    const note = groups.write(insert("lost"));
    // A deferred foreign key is checked at COMMIT, which then fails.
    const orphan = groups.write(() => database.prepare("INSERT INTO child (parent) VALUES (42)").run().changes);
    endTurn();
    await expect(note).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(stored()).toEqual([]);
    expect(database.inTransaction).toBe(false);

    // The next turn starts clean.
    const next = groups.write(insert("next"));
    endTurn();
    await next;
    expect(stored()).toEqual(["next"]);
  });

  it("gives a synchronous answer to writeNow, durable with the group", async () => {
    expect(groups.writeNow(insert("counted"))).toBe(1);
    expect(groups.open).toBe(true);
    const write = groups.write(insert("request"));
    expect(stored()).toEqual([]);
    endTurn();
    await write;
    expect(stored()).toEqual(["counted", "request"]);
  });

  /** What Prisma's adapter does (lib/db/sqlite-prisma-adapter.ts): a transaction on its own connection, reported. */
  function foreignTransaction() {
    const theirs = new Database(path.join(dir, "groups.db"));
    theirs.prepare("BEGIN").run();
    groups.foreignTransactionStarted();
    return {
      connection: theirs,
      end(statement: "COMMIT" | "ROLLBACK") {
        theirs.prepare(statement).run();
        groups.foreignTransactionEnded();
        theirs.close();
      },
    };
  }

  it("waits for someone else's transaction instead of writing beside it, and writeNow refuses", async () => {
    const theirs = foreignTransaction();
    theirs.connection.prepare("INSERT INTO note (body) VALUES ('theirs')").run();
    const ours = groups.write(insert("ours"));
    expect(() => groups.writeNow(insert("counted"))).toThrow(/SQLITE_BUSY/);
    expect(await settled(ours)).toBe("pending");
    expect(pendingCommits).toHaveLength(0);
    expect(groups.idle).toBe(false);

    theirs.end("ROLLBACK"); // their transaction fails
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    endTurn();
    await ours;
    expect(stored()).toEqual(["ours"]);
  });

  it("gives up on someone else's transaction that never ends: fails closed rather than waiting forever", async () => {
    // Only Date is faked: the wait still polls on real turns of the event loop.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const theirs = foreignTransaction();
      const ours = groups.write(insert("ours"));
      vi.setSystemTime(Date.now() + FOREIGN_TRANSACTION_WAIT_LIMIT_MS - 1);
      expect(await settled(ours)).toBe("pending");
      vi.setSystemTime(Date.now() + 2);
      await expect(ours).rejects.toThrow(/SQLITE_BUSY/);
      theirs.end("ROLLBACK");
      expect(pendingCommits).toHaveLength(0);
      expect(stored()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens no group while a transaction is being started, and wakes plain queries before the writers", async () => {
    let startTransaction!: () => void;
    const starting = new Promise<void>((resolve) => (startTransaction = resolve));
    const held = groups.hold(() => starting);
    // A counted attempt meanwhile runs on its own, committed at once.
    expect(groups.writeNow(insert("on its own"))).toBe(1);
    expect(groups.open).toBe(false);
    expect(stored()).toEqual(["on its own"]);
    const waiting = groups.write(insert("after"));
    expect(await settled(waiting)).toBe("pending");
    startTransaction();
    await held;
    await new Promise((resolve) => setImmediate(resolve));

    const order: string[] = [];
    const writer = groups.write(insert("writer")).then(() => order.push("writer"));
    const reader = groups.untilIdle().then(() => order.push("reader"));
    endTurn();
    await Promise.all([writer, reader, waiting]);
    expect(order).toEqual(["reader", "writer"]);
  });
});
