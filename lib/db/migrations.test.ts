import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, readMigrationFiles } from "./migration-files";
import { applyMigrations } from "./migrations";
import { createSqliteTestDatabase, type TestDatabase } from "./test-database";

const APP_TABLES = [
  "Account",
  "AuthEvent",
  "MagicLinkChallenge",
  "OutboxMessage",
  "rate_limit_counters",
  "Session",
  "User",
  "VerificationToken",
];

function sqliteTables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
  } finally {
    db.close();
  }
}

describe("applyMigrations on SQLite", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function scratchDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "trustladder-migrations-test-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it("creates the tables on a fresh file, records every migration, and is idempotent", async () => {
    // A nested folder that does not exist yet, like data/ on a fresh clone.
    const file = path.join(scratchDir(), "data", "dev.db");
    const everyMigration = readMigrationFiles(defaultMigrationsDir("sqlite")).map((migration) => migration.name);

    expect(await applyMigrations(`file:${file}`)).toEqual(everyMigration);
    expect(sqliteTables(file)).toEqual(expect.arrayContaining([...APP_TABLES, "_prisma_migrations"]));
    expect(await applyMigrations(`file:${file}`)).toEqual([]);

    const db = new Database(file, { readonly: true });
    const records = db.prepare("SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations").all();
    const journalMode = db.pragma("journal_mode", { simple: true });
    db.close();
    expect(records).toHaveLength(everyMigration.length);
    expect(records).toEqual(
      everyMigration.map((name) => ({ migration_name: name, finished_at: expect.any(String), applied_steps_count: 1 })),
    );
    expect(journalMode).toBe("wal");
  });

  it("gives tests a migrated database the Prisma client can use", async () => {
    const database: TestDatabase = await createSqliteTestDatabase();
    cleanups.push(() => database.drop());

    const user = await database.db.user.create({ data: { email: "ada@example.test" } });
    expect(await database.db.user.findUnique({ where: { email: "ada@example.test" } })).toMatchObject({ id: user.id });
  });

  it("refuses to build on a migration whose file changed after it was applied", async () => {
    const migrationsDir = path.join(scratchDir(), "migrations");
    cpSync(defaultMigrationsDir("sqlite"), migrationsDir, { recursive: true });
    const url = `file:${path.join(scratchDir(), "test.db")}`;
    await applyMigrations(url, { migrationsDir });

    const [first] = readMigrationFiles(migrationsDir);
    writeFileSync(path.join(migrationsDir, first.name, "migration.sql"), `${first.sql}\n-- edited afterwards\n`);

    await expect(applyMigrations(url, { migrationsDir })).rejects.toThrow(
      new RegExp(`${first.name} was modified after it was applied`),
    );
  });

  it("accepts a file whose only change is CRLF line endings, as Prisma does", async () => {
    const migrationsDir = path.join(scratchDir(), "migrations");
    cpSync(defaultMigrationsDir("sqlite"), migrationsDir, { recursive: true });
    const url = `file:${path.join(scratchDir(), "test.db")}`;
    await applyMigrations(url, { migrationsDir });

    const [first] = readMigrationFiles(migrationsDir);
    writeFileSync(path.join(migrationsDir, first.name, "migration.sql"), first.sql.replaceAll("\n", "\r\n"));

    expect(await applyMigrations(url, { migrationsDir })).toEqual([]);
  });

  it("rolls back a failing migration completely and records nothing", async () => {
    const migrationsDir = path.join(scratchDir(), "migrations");
    cpSync(defaultMigrationsDir("sqlite"), migrationsDir, { recursive: true });
    const file = path.join(scratchDir(), "test.db");
    await applyMigrations(`file:${file}`, { migrationsDir });

    const broken = path.join(migrationsDir, "99991231235959_broken");
    mkdirSync(broken);
    writeFileSync(path.join(broken, "migration.sql"), 'CREATE TABLE "Half" ("id" TEXT);\nSELECT * FROM "Missing";\n');

    await expect(applyMigrations(`file:${file}`, { migrationsDir })).rejects.toThrow(
      /99991231235959_broken failed and was rolled back/,
    );
    expect(sqliteTables(file)).not.toContain("Half");
    const db = new Database(file, { readonly: true });
    const recorded = db.prepare("SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '9999%'").all();
    db.close();
    expect(recorded).toEqual([]);
  });

  it("rebuilds a parent table the way Prisma does without cascading deletes into its children", async () => {
    const migrationsDir = path.join(scratchDir(), "migrations");
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(migrationsDir, name), { recursive: true });
      writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
    };
    write(
      "20250101000000_init",
      'CREATE TABLE "Parent" ("id" TEXT NOT NULL PRIMARY KEY);\n' +
        'CREATE TABLE "Child" ("id" TEXT NOT NULL PRIMARY KEY, "parentId" TEXT NOT NULL,\n' +
        '  CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE);\n',
    );
    const file = path.join(scratchDir(), "test.db");
    await applyMigrations(`file:${file}`, { migrationsDir });
    const seed = new Database(file);
    seed.exec(`INSERT INTO "Parent" VALUES ('p1'); INSERT INTO "Child" VALUES ('c1', 'p1');`);
    seed.close();

    // The shape of Prisma's "-- RedefineTables" step for SQLite.
    write(
      "20250201000000_rebuild_parent",
      "PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\n" +
        'CREATE TABLE "new_Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL DEFAULT \'\');\n' +
        'INSERT INTO "new_Parent" ("id") SELECT "id" FROM "Parent";\n' +
        'DROP TABLE "Parent";\nALTER TABLE "new_Parent" RENAME TO "Parent";\n' +
        "PRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;\n",
    );
    expect(await applyMigrations(`file:${file}`, { migrationsDir })).toEqual(["20250201000000_rebuild_parent"]);

    const db = new Database(file, { readonly: true });
    const children = db.prepare('SELECT "id" FROM "Child"').all();
    db.close();
    expect(children).toEqual([{ id: "c1" }]);
  });
});
