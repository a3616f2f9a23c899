import { createDb, type Db } from "./db/client";
import { env } from "./env";

export type { Db } from "./db/client";

// One client per server process. In development Next.js re-evaluates modules
// on every change, so the client is parked on globalThis to avoid opening a
// new pool each time.
const globalForDb = globalThis as unknown as { trustladderDb?: Db };

export function db(): Db {
  if (!globalForDb.trustladderDb) {
    globalForDb.trustladderDb = createDb(env().DATABASE_URL);
  }
  return globalForDb.trustladderDb;
}
