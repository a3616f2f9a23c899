import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqliteFilePath } from "./client";
import { defaultMigrationsDir, readMigrationFiles, type MigrationFile } from "./migration-files";
import {
  migrationTimestamp,
  pendingMigrations,
  POSTGRES_MIGRATIONS_TABLE_DDL,
  SELECT_HISTORY_SQL,
  SQLITE_MIGRATIONS_TABLE_DDL,
  type MigrationRecord,
} from "./migration-history";

/**
 * Applies prisma/<provider>/migrations with the app's own drivers instead of
 * Prisma's native schema engine, which is only available as a download.
 * The result is what `prisma migrate deploy` would leave behind: the same
 * tables and the same rows in `_prisma_migrations`.
 *
 * Unlike Prisma, each migration runs in one transaction with its record, so
 * a failure leaves nothing half-applied. The price: a statement PostgreSQL
 * refuses inside a transaction (CREATE INDEX CONCURRENTLY) cannot appear in
 * a migration. Prisma never generates one.
 */

export interface ApplyMigrationsOptions {
  /** Folder of `<name>/migration.sql`. Default: prisma/<sqlite|postgres>/migrations in the working directory. */
  migrationsDir?: string;
}

/** Applies every migration not yet applied, oldest first, and returns their names. */
export async function applyMigrations(url: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const provider = providerOf(url);
  const files = readMigrationFiles(options.migrationsDir ?? defaultMigrationsDir(provider));
  return provider === "postgresql" ? applyPostgres(url, files) : applySqlite(sqliteFilePath(url), files);
}

/** The key Prisma's engine locks while migrating, so our migrator and its CLI never run at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const INSERT_RECORD_COLUMNS =
  'INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")';
const POSTGRES_INSERT_RECORD_SQL = `${INSERT_RECORD_COLUMNS} VALUES ($1, $2, $3, $4, $5, 1)`;
const SQLITE_INSERT_RECORD_SQL = `${INSERT_RECORD_COLUMNS} VALUES (?, ?, ?, ?, ?, 1)`;

async function applyPostgres(url: string, files: MigrationFile[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(POSTGRES_MIGRATIONS_TABLE_DDL);
    const { rows } = await client.query<MigrationRecord>(SELECT_HISTORY_SQL);
    const applied: string[] = [];
    for (const migration of pendingMigrations(files, rows)) {
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        // No parameters: a multi-statement script must go through the simple query protocol.
        await client.query(migration.sql);
        const record = [randomUUID(), migration.checksum, migration.name, startedAt, new Date()];
        await client.query(POSTGRES_INSERT_RECORD_SQL, record);
        await client.query("COMMIT");
      } catch (error) {
        // If even ROLLBACK fails the session is gone; the original error is the one to report.
        await client.query("ROLLBACK").catch(() => undefined);
        throw migrationFailed(migration, error);
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end();
  }
}

function applySqlite(filePath: string, files: MigrationFile[]): string[] {
  if (filePath !== ":memory:") mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const db = new Database(filePath);
  try {
    // WAL lets the app's readers run beside a writer; the setting is stored
    // in the file, so every later connection gets it.
    db.pragma("journal_mode = WAL");
    // Prisma rebuilds a table to alter it (create, copy, drop, rename) and
    // brackets that with PRAGMA foreign_keys=OFF/ON, which SQLite ignores
    // inside a transaction. Dropping the old table with foreign keys on would
    // run ON DELETE CASCADE against its children. So this connection keeps
    // them off and checks them before each commit instead, the procedure
    // SQLite documents for schema changes.
    db.pragma("foreign_keys = OFF");
    db.exec(SQLITE_MIGRATIONS_TABLE_DDL);

    const readHistory = () => db.prepare<[], MigrationRecord>(SELECT_HISTORY_SQL).all();
    const applyOne = db.transaction((migration: MigrationFile): boolean => {
      // Another process may have applied it since we planned.
      if (pendingMigrations([migration], readHistory()).length === 0) return false;
      const startedAt = migrationTimestamp(new Date());
      db.exec(migration.sql);
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length > 0) {
        throw new Error(`PRAGMA foreign_key_check found ${violations.length} rows violating foreign keys`);
      }
      db.prepare(SQLITE_INSERT_RECORD_SQL).run(
        randomUUID(),
        migration.checksum,
        migration.name,
        startedAt,
        migrationTimestamp(new Date()),
      );
      return true;
    });

    const applied: string[] = [];
    for (const migration of pendingMigrations(files, readHistory())) {
      try {
        // IMMEDIATE takes the write lock up front, so two migrators queue
        // instead of both deciding that a migration is pending.
        if (applyOne.immediate(migration)) applied.push(migration.name);
      } catch (error) {
        throw migrationFailed(migration, error);
      }
    }
    return applied;
  } finally {
    db.close();
  }
}

function migrationFailed(migration: MigrationFile, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause });
}
