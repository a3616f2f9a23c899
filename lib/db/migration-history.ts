import { checksumMatches, type MigrationFile } from "./migration-files";

/**
 * Prisma's own bookkeeping table, created with the exact DDL its schema
 * engine uses, so `prisma migrate status | deploy` (where the native engine
 * is available) reads our history as its own and vice versa.
 */
export const MIGRATIONS_TABLE = "_prisma_migrations";

export const SQLITE_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export const POSTGRES_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const SELECT_HISTORY_SQL = `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`;

/** One row of `_prisma_migrations`, as far as deciding what to apply needs. */
export interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** A history we must not build on; the message says what to do about it. */
export class MigrationHistoryError extends Error {
  override name = "MigrationHistoryError";
}

function isSet(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/**
 * The migrations still to apply, oldest first. Refuses, before anything is
 * applied, when the recorded history and the folder disagree the way Prisma
 * refuses: a migration that failed half-way (started, never finished, never
 * marked rolled back) or one whose file changed after it was applied.
 * Rows marked rolled back are history only and count as not applied.
 */
export function pendingMigrations(files: MigrationFile[], records: MigrationRecord[]): MigrationFile[] {
  const live = records.filter((record) => !isSet(record.rolled_back_at));

  const failed = live.filter((record) => !isSet(record.finished_at));
  if (failed.length > 0) {
    const names = failed.map((record) => record.migration_name).join(", ");
    throw new MigrationHistoryError(
      `Migration ${names} started but never finished, so the database may be half-migrated. ` +
        `Fix the database by hand, then mark it with \`prisma migrate resolve --rolled-back <name>\` ` +
        `(or delete its row from ${MIGRATIONS_TABLE}) and migrate again.`,
    );
  }

  const appliedByName = new Map(live.map((record) => [record.migration_name, record]));
  const edited = files.filter((file) => {
    const record = appliedByName.get(file.name);
    return record !== undefined && !checksumMatches(file.sql, record.checksum);
  });
  if (edited.length > 0) {
    const names = edited.map((file) => file.name).join(", ");
    throw new MigrationHistoryError(
      `Migration ${names} was modified after it was applied (its checksum no longer matches ` +
        `${MIGRATIONS_TABLE}). Applied migrations are history: restore the file and put the change ` +
        `in a new migration (npm run db:new -- <name>), or reset this database if it is disposable.`,
    );
  }

  return files.filter((file) => !appliedByName.has(file.name));
}

/** The timestamp format Prisma's engine writes through the driver adapters. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
