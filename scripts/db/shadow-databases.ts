/**
 * Driver adapter factories for the WASM schema engine. To turn a migrations
 * folder into a schema, the engine replays it on a "shadow" database it can
 * throw away; these factories give it one without touching any real data.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

export interface DisposableFactory {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes the connections the engine opened and removes what the factory created. */
  cleanup(): Promise<void>;
}

/**
 * Freeing the engine does not close the connection it opened with
 * `connect()`, and an open pg pool keeps Node running, so connections are
 * remembered and closed in `cleanup`.
 */
function closingConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  const closeAll = async () => {
    for (const adapter of opened.splice(0)) await adapter.dispose();
  };
  return { tracked, closeAll };
}

/** The same connection with some methods replaced. */
function delegate(adapter: SqlDriverAdapter, overrides: Partial<SqlDriverAdapter>): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: false },
    dispose: () => adapter.dispose(),
    ...overrides,
  };
}

/**
 * The engine replays each migration.sql with one `executeRaw`, but
 * better-sqlite3 prepares exactly one statement at a time and rejects a
 * script. Such calls go to `executeScript` (better-sqlite3's `exec`) instead.
 */
function acceptingScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return delegate(adapter, {
    async executeRaw(query) {
      try {
        return await adapter.executeRaw(query);
      } catch (error) {
        const multiStatement = error instanceof Error && error.message.includes("more than one statement");
        if (!multiStatement || query.args.length > 0) throw error;
        await adapter.executeScript(query.sql);
        return 0;
      }
    },
  });
}

/** Both the engine's "main" database and the shadow are files in a fresh temporary folder. */
export function sqliteShadowFactory(): DisposableFactory {
  const dir = mkdtempSync(path.join(tmpdir(), "trustladder-shadow-"));
  const sqlite = new PrismaBetterSqlite3(
    { url: `file:${path.join(dir, "main.db")}` },
    { shadowDatabaseUrl: `file:${path.join(dir, "shadow.db")}` },
  );
  const { tracked, closeAll } = closingConnections({
    provider: sqlite.provider,
    adapterName: sqlite.adapterName,
    connect: () => sqlite.connect(),
    connectToShadowDb: async () => acceptingScripts(await sqlite.connectToShadowDb()),
  });
  return {
    factory: tracked,
    cleanup: async () => {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function relabelCharColumns(result: unknown): void {
  // A multi-statement query resolves to an array of results.
  for (const item of Array.isArray(result) ? result : [result]) {
    const fields = (item as Partial<pg.QueryResult> | null)?.fields ?? [];
    for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
}

/**
 * The engine reads Postgres' catalogs, where flags such as `pg_class.relkind`
 * have the internal one-byte `"char"` type. adapter-pg maps column types by
 * OID and rejects OID 18 as unsupported, although node-postgres already
 * returns those values as plain strings. This client relabels such columns
 * as `text` before the adapter looks at them; nothing else changes.
 */
class CatalogFriendlyClient extends pg.Client {}
// Replaced through defineProperty rather than a method override, which
// would have to restate every one of pg's typed `query` overloads.
const clientQuery = pg.Client.prototype.query;
Object.defineProperty(CatalogFriendlyClient.prototype, "query", {
  value: function query(this: pg.Client, ...args: unknown[]): unknown {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      // pg.Pool#query calls in with a callback.
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (!error) relabelCharColumns(result);
        callback(error, result);
      };
      return Reflect.apply(clientQuery, this, args);
    }
    const pending: unknown = Reflect.apply(clientQuery, this, args);
    if (!(pending instanceof Promise)) return pending;
    return pending.then((result: unknown) => {
      relabelCharColumns(result);
      return result;
    });
  },
});

/**
 * adapter-pg's own connectToShadowDb ignores `database` when the config is a
 * connection string, and drops the shadow database before closing the pool
 * that still holds a connection to it. So the config is spelled out field by
 * field, and the shadow database is created and dropped here. Only host,
 * port, user, password and database are taken from the URL (no `?sslmode=`):
 * this is for a development server.
 */
export function postgresShadowFactory(baseUrl: string): DisposableFactory {
  const url = new URL(baseUrl);
  const connection: pg.PoolConfig = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    Client: CatalogFriendlyClient,
    max: 2,
  };
  const created = new Set<string>();

  async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client(connection);
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  async function dropDatabase(name: string): Promise<void> {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    created.delete(name);
  }

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => new PrismaPg(connection).connect(),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `trustladder_shadow_${randomBytes(6).toString("hex")}`;
      await admin((client) => client.query(`CREATE DATABASE "${name}"`));
      created.add(name);
      const adapter = await new PrismaPg({ ...connection, database: name }).connect();
      return delegate(adapter, {
        async dispose() {
          await adapter.dispose();
          await dropDatabase(name);
        },
      });
    },
  };

  const { tracked, closeAll } = closingConnections(factory);
  return {
    factory: tracked,
    cleanup: async () => {
      await closeAll();
      // A failure between CREATE and dispose would otherwise leave a database behind.
      for (const name of [...created]) await dropDatabase(name);
    },
  };
}
