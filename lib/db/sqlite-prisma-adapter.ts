import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from "@prisma/driver-adapter-utils";
import type { WriteGroups } from "./hot-path/sqlite-write-group";

/**
 * Prisma's SQLite adapter, taking turns with the hot path's write groups
 * (hot-path/sqlite-write-group.ts). Built only on the adapter's public
 * interface (`SqlDriverAdapter`, the one every Prisma driver adapter
 * implements): each method is passed on, after waiting where it must.
 *
 * - A plain query waits until no write group and no interactive transaction
 *   is open. The group holds the file's write lock on the hot path's own
 *   connection; and Prisma's adapter would run the query on its one
 *   connection inside another request's open transaction (joining it, and
 *   rolling back with it). The last check and the call are in one
 *   synchronous step, so nothing can open in between.
 * - Starting a transaction waits for the open group to commit and keeps new
 *   groups from opening until it has ended.
 *
 * `setup` is run once per connection (the pragmas lib/db/client.ts wants).
 */
export function takingTurnsWithWriteGroups(
  factory: PrismaBetterSqlite3,
  groupsOf: () => WriteGroups,
  setup: string,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      await adapter.executeScript(setup);
      return turnTaking(adapter, groupsOf());
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

function turnTaking(adapter: SqlDriverAdapter, groups: WriteGroups): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    async queryRaw(query) {
      while (!groups.idle) await groups.untilIdle();
      return adapter.queryRaw(query);
    },
    async executeRaw(query) {
      while (!groups.idle) await groups.untilIdle();
      return adapter.executeRaw(query);
    },
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) =>
      groups.hold(async () => {
        while (groups.open) await groups.untilNoGroup();
        const transaction = await adapter.startTransaction(isolationLevel);
        groups.foreignTransactionStarted();
        return endingWith(transaction, () => groups.foreignTransactionEnded());
      }),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

/** The same transaction, reporting once when it commits or rolls back. */
function endingWith(transaction: Transaction, onEnd: () => void): Transaction {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query) => transaction.queryRaw(query),
    executeRaw: (query) => transaction.executeRaw(query),
    commit: () => transaction.commit().finally(end),
    rollback: () => transaction.rollback().finally(end),
    ...(transaction.createSavepoint ? { createSavepoint: (name: string) => transaction.createSavepoint!(name) } : {}),
    ...(transaction.rollbackToSavepoint
      ? { rollbackToSavepoint: (name: string) => transaction.rollbackToSavepoint!(name) }
      : {}),
    ...(transaction.releaseSavepoint ? { releaseSavepoint: (name: string) => transaction.releaseSavepoint!(name) } : {}),
  };
}
