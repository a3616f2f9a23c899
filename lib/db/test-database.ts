import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { closeDb, createDb, type Db } from "./client";
import { applyMigrations } from "./migrations";

/**
 * Fresh, fully migrated databases for tests: one per test file (or per
 * test), so tests never share rows and can run in parallel. Each built
 * through the same migrations production runs, so tests also prove those.
 */

export interface TestDatabase {
  url: string;
  db: Db;
  /** Disconnects `db` and deletes the database. */
  drop(): Promise<void>;
}

export async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "trustladder-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await applyMigrations(url);
  const db = createDb(url);
  return {
    url,
    db,
    async drop() {
      await closeDb(db);
      // The folder also holds the -wal and -shm files.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `baseUrl` is any database on the server (e.g. …/postgres); a sibling database is created next to it. */
export async function createPostgresTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `trustladder_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;

  // The name is ours (hex only), so interpolating it into DDL is safe.
  await withAdminClient(baseUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  try {
    await applyMigrations(url.href);
  } catch (error) {
    await dropPostgresDatabase(baseUrl, name);
    throw error;
  }
  const db = createDb(url.href, { poolSize: 2 });
  return {
    url: url.href,
    db,
    async drop() {
      await closeDb(db);
      await dropPostgresDatabase(baseUrl, name);
    },
  };
}

async function withAdminClient<T>(baseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function dropPostgresDatabase(baseUrl: string, name: string): Promise<unknown> {
  // FORCE ends sessions a failed test may have leaked (PostgreSQL 13+).
  return withAdminClient(baseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
