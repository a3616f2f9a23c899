import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The production server under test: built with `next build`, started with
 * `next start` on 127.0.0.1 only, with its own throw-away SQLite database.
 */

/** 3200 unless BENCH_PORT says otherwise (when another server already holds 3200). */
export const BENCH_PORT = Number(process.env.BENCH_PORT || 3200);
/** Where scripts/local-server.sh listens unless LISTEN_HOST says otherwise. */
export const BENCH_HOST = "127.0.0.1";
export const BENCH_ORIGIN = `http://${BENCH_HOST}:${BENCH_PORT}`;
/**
 * Where a browser opens the app: the server's AUTH_URL (below), so that its
 * server actions pass the origin check, and a secure context for WebAuthn.
 */
export const BENCH_BROWSER_ORIGIN = `http://localhost:${BENCH_PORT}`;
const DATABASE_FILE = "./data/bench.db";
/** How long a cold production server may take to answer its first request. */
const STARTUP_TIMEOUT_MS = 60_000;
/** How long another process's `next build` may hold the .next directory before we give up. */
const FOREIGN_BUILD_WAIT_MS = 15 * 60_000;
/** Grace between SIGTERM (which lets the audit log flush) and SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** The server's environment: production mode, the mailbox open, one trusted proxy hop. */
export function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${DATABASE_FILE}`,
    DEV_MAILBOX: "1",
    EMAIL_TRANSPORT: "outbox",
    AUTH_URL: BENCH_BROWSER_ORIGIN,
    // Each request carries its own X-Forwarded-For, so the per-IP limits see
    // thousands of clients instead of one that they would rightly refuse.
    TRUST_PROXY_HOPS: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // `next start` sets NODE_ENV itself; a country header would make every
  // email render the "from <country>" variant only some real ones have.
  // LISTEN_HOST would move it off loopback (scripts/local-server.sh).
  for (const name of ["NODE_ENV", "COUNTRY_HEADER", "RESEND_API_KEY", "RESEND_BASE_URL", "PORT", "LISTEN_HOST"]) delete env[name];
  return env;
}

/** Deletes the bench database (and its WAL files) and migrates a fresh one. */
export function prepareDatabase(): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${DATABASE_FILE}${suffix}`, { force: true });
  execFileSync("npx", ["tsx", "scripts/db/migrate.ts"], { env: serverEnv(), stdio: "inherit" });
}

/** Runs `next build`, after waiting for anyone else's build of this checkout to finish. */
export async function buildApp(): Promise<void> {
  const started = Date.now();
  while (foreignBuildRunning()) {
    if (Date.now() - started > FOREIGN_BUILD_WAIT_MS) throw new Error("Another `next build` is still running; try later.");
    console.log("bench: another `next build` is running; waiting for it to finish…");
    await sleep(5_000);
  }
  // Built as `npm test` builds it, plus the baseline route, which next.config.mjs
  // includes only when TRUSTLADDER_BENCH=1 so that no other build ships it.
  const result = spawnSync("npx", ["next", "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TRUSTLADDER_BENCH: "1" },
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export function foreignBuildRunning(): boolean {
  const result = spawnSync("pgrep", ["-f", "next build"], { encoding: "utf8" });
  return result.stdout.trim().length > 0;
}

export interface RunningServer {
  pid: number;
  stop(): Promise<void>;
  /** Synchronous last resort for `process.on("exit")`. */
  killNow(): void;
}

export async function startServer(): Promise<RunningServer> {
  if (!Number.isInteger(BENCH_PORT) || BENCH_PORT <= 0) throw new Error(`BENCH_PORT must be a port number, not "${process.env.BENCH_PORT}"`);
  if (await portOpen()) throw new Error(`Something already listens on ${BENCH_HOST}:${BENCH_PORT}; stop it first.`);
  // Started as the quick start and the e2e server start it (the same Node.js
  // options, on loopback), so that its memory is theirs; the shell execs
  // into the server, which keeps this pid. Its own process group, so that
  // stopping it ends whatever it spawned too.
  const child = spawn("bash", ["-c", 'source scripts/local-server.sh && start_local_server "$1"', "bench", String(BENCH_PORT)], {
    env: serverEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start did not start");
  forwardOutput(child);

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => (exited = true));

  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  return {
    pid,
    async stop() {
      if (exited) return;
      signal("SIGTERM");
      const stopped = await Promise.race([exitedPromise.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!stopped) signal("SIGKILL");
    },
    killNow: () => {
      if (!exited) signal("SIGKILL");
    },
  };
}

/** Polls the baseline route until the server answers it with 200. */
export async function waitUntilReady(server: RunningServer): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      process.kill(server.pid, 0);
    } catch {
      throw new Error("next start exited before answering; see its output above.");
    }
    try {
      const response = await fetch(`${BENCH_ORIGIN}/api/bench/baseline`);
      if (response.status === 200) return;
      if (response.status === 404) {
        throw new Error("The build has no /api/bench/baseline route (only a build with TRUSTLADDER_BENCH=1 has it); run without BENCH_SKIP_BUILD=1 to rebuild.");
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes("baseline")) throw error;
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`next start did not answer within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

function portOpen(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(BENCH_PORT, BENCH_HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The server's log lines, prefixed, so that a crash mid-run explains itself. */
function forwardOutput(child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line.trim()) process.stderr.write(`  [server] ${line}\n`);
    });
  }
}

/** Whether `pid` is alive; used to refuse a run whose server died. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `git rev-parse --short HEAD`, for the results file; null outside a checkout. */
export function commitOf(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/**
 * Which build .next holds (its id and when it was written). Another
 * `next build` of this checkout replaces the chunks a running server loads
 * lazily, so a change mid-run makes the figures meaningless.
 */
export function buildIdentity(): string {
  try {
    return `${readFileSync(".next/BUILD_ID", "utf8").trim()}@${statSync(".next/BUILD_ID").mtimeMs}`;
  } catch {
    return "none";
  }
}
