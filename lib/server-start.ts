import { pruneExpiredChallenges } from "./auth/magic-link/challenge-cleanup";
import { deliveryDeps } from "./auth/core/deps";
import { serverDeps } from "./auth/core/server-deps";
import { providerOf, sqliteFilePath } from "./db/client";
import { startSqliteCheckpointer } from "./db/sqlite-checkpointer";
import { dispatchDueMessages } from "./delivery/outbox";
import { env, type Env } from "./env";

/** How often the dispatcher looks for emails due for another attempt. */
export const OUTBOX_POLL_SECONDS = 10;
/** How often expired challenges are deleted. */
export const CHALLENGE_PRUNE_SECONDS = 10 * 60;

export function startServerProcess(): void {
  const config = env(); // throws, with a readable message, on bad configuration

  for (const warning of startupWarnings(config)) console.warn(warning);

  if (providerOf(config.DATABASE_URL) === "sqlite") startSqliteCheckpointer(sqliteFilePath(config.DATABASE_URL));

  const deps = serverDeps();
  const delivery = deliveryDeps(deps);
  const timer = setInterval(() => {
    dispatchDueMessages(delivery).catch((error: unknown) => {
      console.error("outbox: dispatch failed:", error instanceof Error ? error.message : "unknown error");
    });
  }, OUTBOX_POLL_SECONDS * 1000);
  timer.unref();

  const prune = setInterval(() => {
    pruneExpiredChallenges(deps.store, deps.clock).catch((error: unknown) => {
      console.error("housekeeping: pruning challenges failed:", error instanceof Error ? error.message : "unknown error");
    });
  }, CHALLENGE_PRUNE_SECONDS * 1000);
  prune.unref();

  const flushAudit = () => void deps.audit.flush();
  process.once("SIGTERM", flushAudit);
  process.once("beforeExit", flushAudit);
}

const BANNER_LINE = "!".repeat(78);
const banner = (lines: string[]) => [BANNER_LINE, ...lines.map((line) => `! ${line}`), BANNER_LINE].join("\n");

/** What a production start must say out loud about its configuration, one banner each. */
export function startupWarnings(config: Pick<Env, "production" | "DEV_MAILBOX" | "TRUST_PROXY_HOPS">): string[] {
  if (!config.production) return [];
  const warnings: string[] = [];
  if (config.DEV_MAILBOX) {
    warnings.push(
      banner([
        "DEV_MAILBOX=1 in a production build: /dev/mailbox and /api/dev/mailbox are OPEN.",
        "Anyone who can reach this server can read every sign-in link. Never deploy like this.",
      ]),
    );
  }
  if (config.TRUST_PROXY_HOPS === 0) {
    // Next.js keeps a client's own X-Forwarded-For when nothing is in front
    // of it, so with no trusted proxy the "client IP" is whatever the client
    // wrote: per-IP limits still hold (an unreadable one shares one bucket,
    // lib/auth/core/request-context.ts) but a client can spread over forged ones.
    warnings.push(
      banner([
        "TRUST_PROXY_HOPS=0: the client IP cannot be trusted. With no proxy in front, the",
        "client writes X-Forwarded-For itself, so per-IP rate limits and the audit log's",
        "IP prefixes count whatever address it claims. Serve the app behind a reverse",
        "proxy that appends the client's address (nginx, Caddy, a load balancer) and set",
        "TRUST_PROXY_HOPS to how many such proxies there are (1 for one): see the README's",
        "deployment section.",
      ]),
    );
  }
  return warnings;
}
