import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";

/**
 * The two generated clients have the same models and methods (their schemas
 * differ only in provider), so the SQLite client's type stands for both.
 */
export type Db = SqliteClient;

export type DatabaseProvider = "sqlite" | "postgresql";

export function providerOf(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** `file:./data/dev.db` → `./data/dev.db`, as better-sqlite3 wants it. */
export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "");
}

export interface CreateDbOptions {
  /** Pool size for PostgreSQL; one app instance rarely needs more. Default 10. */
  poolSize?: number;
}

export function createDb(url: string, options: CreateDbOptions = {}): Db {
  if (providerOf(url) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  // `timeout` is SQLite's busy timeout: a second writer waits for the lock
  // instead of failing at once. (The migrator switches the file to WAL, which
  // persists, so readers run beside the one writer.)
  const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(url), timeout: 5000 });
  return new SqliteClient({ adapter });
}
