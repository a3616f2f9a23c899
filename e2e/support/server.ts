import path from "node:path";

/**
 * Where the journeys' server listens and which database it uses. The config
 * hands both to scripts/e2e-server.sh, and the fixtures that reach past the
 * UI (support/database.ts) open the same database, so they never disagree.
 * Port 3100 leaves 3000 to `npm run dev`.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

/** Default `http://localhost:3100`; also AUTH_URL, so links in emails point here. */
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

/**
 * The e2e server's RISK_BLOCKED_CIDRS (a documentation range, RFC 5737), and
 * an address in it. The server trusts one proxy hop, so a journey plays the
 * proxy by sending X-Forwarded-For: every test's browsers send an address of
 * their own (support/client-address.ts), and e2e/blocked-network.spec.ts
 * sends this one instead.
 */
export const E2E_BLOCKED_NETWORK = "203.0.113.0/24";
export const E2E_BLOCKED_CLIENT_IP = "203.0.113.7";

/**
 * Default `file:./data/e2e.db` (relative to the repository root like every
 * DATABASE_URL): a SQLite file the server recreates on every start. A
 * `postgres://` URL names a server instead, as TEST_POSTGRES_URL does (any
 * database on it, e.g. `…/postgres`): every run creates a database of its
 * own there (e2eDatabaseUrl) and drops it when the server stops.
 */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

const repositoryRoot = path.resolve(__dirname, "..", "..");

/**
 * Hands this run's PostgreSQL database name from Playwright's main process
 * (which loads the config first) to its workers, which inherit its
 * environment, and to the server script (the config passes it on). Chosen
 * by the first process that asks; not a setting.
 */
export const RUN_DATABASE_NAME_VARIABLE = "E2E_DATABASE_NAME";

/**
 * This run's PostgreSQL database (`trustladder_e2e_<UTC time>_<pid>`) on
 * the E2E_DATABASE_URL server, so two runs, or a run and the Vitest suites,
 * never see each other's users; null on SQLite, whose file is per run.
 */
export function e2eRunDatabaseName(): string | null {
  if (!isPostgresUrl(E2E_DATABASE_URL)) return null;
  return (process.env[RUN_DATABASE_NAME_VARIABLE] ??= runDatabaseName(new Date(), process.pid));
}

/** The database this run's server and fixtures use, as a DATABASE_URL. */
export function e2eDatabaseUrl(): string {
  const name = e2eRunDatabaseName();
  if (name) return postgresDatabaseUrl(E2E_DATABASE_URL, name);
  // Absolute, so a worker started from another directory opens the same file.
  return `file:${path.resolve(repositoryRoot, E2E_DATABASE_URL.replace(/^file:/, ""))}`;
}

/** The run's name for PostgreSQL, e.g. `trustladder_e2e_20260515103000_4242`. */
export function runDatabaseName(now: Date, pid: number): string {
  return `${RUN_DATABASE_PREFIX}${now.toISOString().replace(/\D/g, "").slice(0, 14)}_${pid}`;
}

/** Every run database's name starts with it, and nothing else's does. */
export const RUN_DATABASE_PREFIX = "trustladder_e2e_";

const RUN_DATABASE_NAME = /^trustladder_e2e_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_\d+$/;

/** When a run database was created, from its name; null for any other name. */
export function runDatabaseCreatedAt(name: string): Date | null {
  const parts = RUN_DATABASE_NAME.exec(name);
  if (!parts) return null;
  const [, year, month, day, hour, minute, second] = parts.map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** `postgres://user@host/postgres` + `name` → `postgres://user@host/name`, query string kept. */
export function postgresDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/**
 * The rule of `providerOf` in lib/db/client.ts, repeated: that module loads
 * Prisma's generated client, which Playwright cannot load (see
 * support/database.ts), and the config imports this file.
 */
function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
