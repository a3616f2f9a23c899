import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, readMigrationFiles } from "./migration-files";
import { applyMigrations } from "./migrations";
import { createPostgresTestDatabase, type TestDatabase } from "./test-database";

// Runs where a PostgreSQL server is available, e.g.
// TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run lib/db
const baseUrl = process.env.TEST_POSTGRES_URL;

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!baseUrl)("applyMigrations on PostgreSQL", () => {
  let database: TestDatabase;
  const everyMigration = readMigrationFiles(defaultMigrationsDir("postgresql")).map((migration) => migration.name);

  beforeAll(async () => {
    database = await createPostgresTestDatabase(baseUrl ?? "");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("creates the tables and records every migration the way Prisma does", async () => {
    const { tables, records } = await withClient(database.url, async (client) => ({
      tables: (
        await client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
      ).rows.map((row) => row.table_name),
      records: (
        await client.query(
          'SELECT "migration_name", "applied_steps_count", "finished_at" IS NOT NULL AS "finished" FROM "_prisma_migrations"',
        )
      ).rows,
    }));

    expect(tables).toEqual(expect.arrayContaining(["User", "Session", "MagicLinkChallenge", "_prisma_migrations"]));
    expect(records).toEqual(
      everyMigration.map((name) => ({ migration_name: name, applied_steps_count: 1, finished: true })),
    );
  });

  it("is idempotent", async () => {
    expect(await applyMigrations(database.url)).toEqual([]);
  });

  it("hands tests a working Prisma client", async () => {
    const user = await database.db.user.create({ data: { email: "grace@example.test" } });
    expect(await database.db.user.count()).toBe(1);
    await database.db.user.delete({ where: { id: user.id } });
  });

  it("refuses when an applied migration's checksum no longer matches", async () => {
    const other = await createPostgresTestDatabase(baseUrl ?? "");
    try {
      await withClient(other.url, (client) =>
        client.query('UPDATE "_prisma_migrations" SET "checksum" = $1 WHERE "migration_name" = $2', [
          "0".repeat(64),
          everyMigration[0],
        ]),
      );
      await expect(applyMigrations(other.url)).rejects.toThrow(/was modified after it was applied/);
    } finally {
      await other.drop();
    }
  });

  it("drops the database afterwards", async () => {
    const other = await createPostgresTestDatabase(baseUrl ?? "");
    const name = new URL(other.url).pathname.slice(1);
    expect(name).toMatch(/^trustladder_test_[0-9a-f]+$/);
    await other.drop();
    const exists = await withClient(baseUrl ?? "", async (client) =>
      (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount,
    );
    expect(exists).toBe(0);
  });
});
