import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it, vi } from "vitest";
import { startSqliteCheckpointer } from "./sqlite-checkpointer";

it("copies the write-ahead log back into the database from its own thread", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "trustladder-checkpoint-"));
  const file = path.join(dir, "test.db");
  const database = new Database(file);
  try {
    database.pragma("journal_mode = WAL");
    // The writer never checkpoints itself, so only the worker can move pages.
    database.pragma("wal_autocheckpoint = 0");
    database.exec("CREATE TABLE t (v TEXT)");
    const insert = database.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 500; i++) insert.run("x".repeat(1000));
    const sizeBefore = statSync(file).size;

    const checkpointer = startSqliteCheckpointer(file, 20);
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeBefore + 400_000), { timeout: 5000 });
    await checkpointer.stop();
    expect(database.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 500 });
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
