import { Worker } from "node:worker_threads";

/**
 * In WAL mode SQLite now and then copies the log back into the database
 * file (a checkpoint). Left to the connection that commits, that copy and
 * its fsync run on the request thread and stall every request queued behind
 * it. Here a worker thread with a connection of its own checkpoints once a
 * second instead, PASSIVE (it neither waits for nor blocks readers and
 * writers), so the request thread only appends to the log. The serving
 * connection keeps its own autocheckpoint as a backstop (lib/db/client.ts).
 *
 * The worker is plain JavaScript evaluated from a string, because Next.js
 * bundles server code and a worker needs a file of its own otherwise.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const database = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
const timer = setInterval(() => {
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage(error && error.message ? error.message : "checkpoint failed");
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  database.close();
  parentPort.close();
});
`;

/** How often the worker checkpoints; the log grows by at most this much of writes in between. */
export const CHECKPOINT_INTERVAL_MS = 1000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startSqliteCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs } });
  // A busy log is normal under load; anything else is worth a line, never a crash.
  worker.on("message", (message: string) => {
    if (!/SQLITE_BUSY|locked/.test(message)) console.error("sqlite checkpointer:", message);
  });
  worker.on("error", (error) => console.error("sqlite checkpointer stopped:", error.message));
  worker.unref();
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      await exited;
    },
  };
}
