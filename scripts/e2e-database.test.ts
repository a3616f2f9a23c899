import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  RUN_DATABASE_NAME_VARIABLE,
  postgresDatabaseUrl,
  runDatabaseCreatedAt,
  runDatabaseName,
} from "../e2e/support/server";

// The PostgreSQL part runs where a server is available, e.g.
// TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run scripts/e2e-database.test.ts
const baseUrl = process.env.TEST_POSTGRES_URL;

const ROOT = path.resolve(__dirname, "..");
const HOUR_MS = 60 * 60 * 1000;

describe("the journeys' PostgreSQL database names", () => {
  it("carry the time they were made, to the second", () => {
    const now = new Date("2026-05-15T10:30:07.450Z");
    const name = runDatabaseName(now, 4242);
    expect(name).toBe("trustladder_e2e_20260515103007_4242");
    expect(runDatabaseCreatedAt(name)).toEqual(new Date("2026-05-15T10:30:07Z"));
  });

  it("are the only names the script will create or drop", () => {
    // The script interpolates the name into CREATE/DROP DATABASE, and must
    // never drop the server's own databases or the Vitest suites'.
    for (const name of [
      "postgres",
      "trustladder_test_0a1b2c3d4e5f",
      "trustladder_e2e_",
      "trustladder_e2e_20260515103007",
      'trustladder_e2e_20260515103007_1"; DROP DATABASE postgres; --',
      "TRUSTLADDER_E2E_20260515103007_1",
    ]) {
      expect(runDatabaseCreatedAt(name), name).toBeNull();
    }
  });

  it("replace only the database of the server's URL", () => {
    expect(postgresDatabaseUrl("postgres://me:secret@db.internal:5433/postgres?sslmode=require", "run")).toBe(
      "postgres://me:secret@db.internal:5433/run?sslmode=require",
    );
  });
});

describe.skipIf(!baseUrl)("scripts/e2e-database.ts on PostgreSQL", () => {
  const server = baseUrl ?? "";
  // Random pids: other runs of this test may share the server.
  const abandoned = runDatabaseName(new Date(Date.now() - 48 * HOUR_MS), randomInt(1e9));
  const recent = runDatabaseName(new Date(Date.now() - HOUR_MS), randomInt(1e9));
  const ours = runDatabaseName(new Date(), randomInt(1e9));

  async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  async function exists(name: string): Promise<boolean> {
    const { rowCount } = await admin((client) => client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]));
    return rowCount === 1;
  }

  function script(command: string, env: Record<string, string>) {
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    return promisify(execFile)(tsx, ["scripts/e2e-database.ts", command], {
      cwd: ROOT,
      env: { ...process.env, E2E_DATABASE_URL: server, ...env },
    });
  }

  afterAll(async () => {
    await admin(async (client) => {
      for (const name of [abandoned, recent, ours]) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  });

  it("creates the run's database, dropping only those abandoned more than a day ago, and drops it", async () => {
    await admin(async (client) => {
      await client.query(`CREATE DATABASE "${abandoned}"`);
      await client.query(`CREATE DATABASE "${recent}"`);
    });

    const { stdout } = await script("create", { [RUN_DATABASE_NAME_VARIABLE]: ours });
    const url = stdout.trim();
    expect(url).toBe(postgresDatabaseUrl(server, ours));
    expect(await exists(ours)).toBe(true);
    expect(await exists(abandoned)).toBe(false);
    // An hour-old run may still be running: it keeps its database.
    expect(await exists(recent)).toBe(true);

    await script("drop", { DATABASE_URL: url });
    expect(await exists(ours)).toBe(false);
  });

  it("refuses to drop a database that is not a run's", async () => {
    await expect(script("drop", { DATABASE_URL: server })).rejects.toThrow(/Not a journeys database name/);
    expect(await exists(new URL(server).pathname.slice(1))).toBe(true);
  });
});
