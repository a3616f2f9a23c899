import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Database } from "better-sqlite3";
import pg from "pg";
import { postgresHotPath } from "./hot-path/postgres";
import { sqliteHotPath } from "./hot-path/sqlite";
import { writeGroupsOf } from "./hot-path/sqlite-write-group";
import type { HotPathStore } from "./hot-path/types";
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
  let connection: Database | null = null;
  // `timeout` is SQLite's busy timeout: a second writer waits for the lock
  // instead of failing at once. (The migrator switches the file to WAL, which
  // persists, so readers run beside the one writer.)
  const adapter = capturingConnection(new PrismaBetterSqlite3({ url: sqliteFilePath(url), timeout: 5000 }), (database) => {
    // WAL's recommended durability: a commit is not synced to disk on its own
    // (a power cut may lose the last moments, never consistency), so a
    // synchronous write does not stall every other request on an fsync.
    database.pragma("synchronous = NORMAL");
    // The server checkpoints from a worker thread (sqlite-checkpointer.ts);
    // this connection does it only if the log passes ~40 MB, as a backstop.
    database.pragma("wal_autocheckpoint = 10000");
    connection = database;
  });
  const client = new SqliteClient({ adapter });
  hotPaths.set(
    client,
    sqliteHotPath({
      current: () => connection,
      async open() {
        if (!connection) await client.$connect();
        if (!connection) throw new Error("SQLite: Prisma connected without handing over its connection");
        return connection;
      },
    }),
  );
  return client;
}

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
 * The hot-path statements (lib/db/hot-path) for a client made by `createDb`,
 * on that client's own connection or pool.
 */
export function hotPath(db: Db): HotPathStore {
  const store = hotPaths.get(db);
  if (!store) throw new Error("hotPath: this Prisma client was not made by createDb");
  return store;
}

/**
 * Prisma's SQLite adapter opens its better-sqlite3 connection itself; this
 * hands that connection to the hot path too, so the two never wait on each
 * other's locks.
 */
function capturingConnection(
  factory: PrismaBetterSqlite3,
  onConnect: (database: Database) => void,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const database = (adapter as unknown as { client: Database }).client;
      onConnect(database);
      return outsideOthersTransactions(adapter, database);
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

/**
 * Prisma's SQLite adapter runs a query made outside any transaction straight
 * on its one connection, even while another request's interactive
 * transaction is open there (between that transaction's awaits): the query
 * would silently join it, and roll back with it. So such queries wait until
 * no transaction is open, the hot path's write groups included
 * (lib/db/hot-path/sqlite-write-group.ts). A transaction's own queries go
 * through its own object and are not affected. Starting a transaction waits
 * for the open write group to commit, and keeps a new one from opening
 * before its BEGIN (which would fail inside ours); Prisma's own mutex
 * already orders its transactions among themselves.
 */
function outsideOthersTransactions(adapter: SqlDriverAdapter, database: Database): SqlDriverAdapter {
  const groups = writeGroupsOf(database);
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.queryRaw = async (query) => {
    if (database.inTransaction) await groups.untilIdle();
    return queryRaw(query);
  };
  adapter.executeRaw = async (query) => {
    if (database.inTransaction) await groups.untilIdle();
    return executeRaw(query);
  };
  adapter.startTransaction = (isolationLevel) =>
    groups.hold(async () => {
      if (groups.open) await groups.untilNoGroup();
      return startTransaction(isolationLevel);
    });
  return adapter;
}
