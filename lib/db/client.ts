import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { postgresHotPath } from "./hot-path/postgres";
import { sqliteConnection, sqliteHotPath } from "./hot-path/sqlite";
import { writeGroupsOf } from "./hot-path/sqlite-write-group";
import type { HotPathStore } from "./hot-path/types";
import { takingTurnsWithWriteGroups } from "./sqlite-prisma-adapter";
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
    // One pool for Prisma and the hot path (lib/db/hot-path), ended with the client.
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection the server closes (a restart, a failover) reports
    // here; without a listener it would crash the process. The pool replaces it.
    pool.on("error", (error) => console.error("database pool: idle connection lost:", error.message));
    const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as unknown as Db;
    hotPaths.set(client, postgresHotPath(pool));
    return client;
  }
  const file = sqliteFilePath(url);
  // The hot path writes through a connection of its own: Prisma's adapter
  // keeps its connection to itself. The two take turns writing
  // (sqlite-prisma-adapter.ts), so neither ever waits for the other's lock;
  // the busy timeout covers other processes (the migrator, a CLI).
  const connection = sqliteConnection(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, pragmas: SERVING_PRAGMAS });
  const adapter = takingTurnsWithWriteGroups(
    new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }),
    () => writeGroupsOf(connection.database()),
    SERVING_PRAGMAS.map((pragma) => `PRAGMA ${pragma};`).join(" "),
  );
  const client = new SqliteClient({ adapter });
  hotPaths.set(client, sqliteHotPath(connection));
  return client;
}

/** How long a SQLite connection waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Both serving connections' settings. (The migrator switches the file to
 * WAL, which persists, so readers run beside the one writer.)
 * - synchronous = NORMAL: WAL's recommended durability. A commit is not
 *   synced to disk on its own (a power cut may lose the last moments, never
 *   consistency), so a write does not stall every other request on an fsync.
 * - wal_autocheckpoint: the server checkpoints from a worker thread
 *   (sqlite-checkpointer.ts); a connection does it only if the log passes
 *   ~40 MB, as a backstop.
 * - cache_size = -8000 (8 MiB of pages): better-sqlite3 builds SQLite with
 *   16 MiB a connection, and there are two (Prisma's and the hot path's);
 *   8 MiB each keeps the server's memory where one connection had it,
 *   and the file's pages stay in the OS's cache anyway.
 */
const SERVING_PRAGMAS = ["synchronous = NORMAL", "wal_autocheckpoint = 10000", "cache_size = -8000"] as const;

// Kept on the client itself under a global symbol: Next.js may bundle this
// module more than once (instrumentation, routes), and every copy must find it.
const HOT_PATH = Symbol.for("trustladder.hotPath");
const hotPaths = {
  set(client: object, store: HotPathStore) {
    Object.defineProperty(client, HOT_PATH, { value: store });
  },
  get(client: object): HotPathStore | undefined {
    return (client as { [HOT_PATH]?: HotPathStore })[HOT_PATH];
  },
};

/**
 * The hot-path statements (lib/db/hot-path) for a client made by `createDb`:
 * on PostgreSQL through the client's own pool, on SQLite through a second
 * connection to the same file.
 */
export function hotPath(db: Db): HotPathStore {
  const store = hotPaths.get(db);
  if (!store) throw new Error("hotPath: this Prisma client was not made by createDb");
  return store;
}

/** Which database a client made by `createDb` talks to. */
export function databaseProvider(db: Db): DatabaseProvider {
  return hotPath(db).provider;
}

/** Disconnects Prisma and closes what the hot path opened beside it. */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
  await hotPath(db).close();
}
