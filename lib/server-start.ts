import { pruneExpiredChallenges } from "./auth/challenge-cleanup";
import { serverDeps } from "./auth/server-deps";
import { providerOf, sqliteFilePath } from "./db/client";
import { startSqliteCheckpointer } from "./db/sqlite-checkpointer";
import { dispatchDueMessages } from "./delivery/outbox";
import { env } from "./env";

/** How often the dispatcher looks for emails due for another attempt. */
export const OUTBOX_POLL_SECONDS = 10;
/** How often expired challenges are deleted. */
export const CHALLENGE_PRUNE_SECONDS = 10 * 60;

export function startServerProcess(): void {
  const config = env(); // throws, with a readable message, on bad configuration

  if (config.production && config.DEV_MAILBOX) {
    const line = "!".repeat(78);
    console.warn(
      `${line}\n! DEV_MAILBOX=1 in a production build: /dev/mailbox and /api/dev/mailbox are OPEN.\n` +
        `! Anyone who can reach this server can read every sign-in link. Never deploy like this.\n${line}`,
    );
  }

  if (providerOf(config.DATABASE_URL) === "sqlite") startSqliteCheckpointer(sqliteFilePath(config.DATABASE_URL));

  const deps = serverDeps();
  const delivery = { db: deps.db, clock: deps.clock, transport: deps.transport, from: deps.emailFrom };
  const timer = setInterval(() => {
    dispatchDueMessages(delivery).catch((error: unknown) => {
      console.error("outbox: dispatch failed:", error instanceof Error ? error.message : "unknown error");
    });
  }, OUTBOX_POLL_SECONDS * 1000);
  timer.unref();

  const prune = setInterval(() => {
    pruneExpiredChallenges(deps.db, deps.clock).catch((error: unknown) => {
      console.error("housekeeping: pruning challenges failed:", error instanceof Error ? error.message : "unknown error");
    });
  }, CHALLENGE_PRUNE_SECONDS * 1000);
  prune.unref();

  const flushAudit = () => void deps.audit.flush();
  process.once("SIGTERM", flushAudit);
  process.once("beforeExit", flushAudit);
}
