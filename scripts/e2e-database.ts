/**
 * The browser journeys' PostgreSQL database, for scripts/e2e-server.sh
 * (E2E_DATABASE_URL names the server; e2e/support/server.ts names the run's
 * database on it):
 *
 *   create   drops run databases left behind long ago, creates this run's,
 *            and prints its URL (the server's DATABASE_URL)
 *   drop     drops the database DATABASE_URL names, if it is a run database
 *
 * Through node's `pg`, which the app already uses: psql may not be installed.
 * Scripts read process.env directly (see scripts/db/migrate.ts).
 */
import pg from "pg";
import {
  E2E_DATABASE_URL,
  RUN_DATABASE_PREFIX,
  e2eDatabaseUrl,
  e2eRunDatabaseName,
  runDatabaseCreatedAt,
} from "../e2e/support/server";

/**
 * A run database older than this was left by a run that could not drop its
 * own (killed with SIGKILL, a machine that lost power); no run lasts that
 * long, so dropping it can never pull a database from under a live run.
 */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Long enough for a busy server; short enough that a server that went away
 * does not hold the end of a run until Playwright kills the script.
 */
const CONNECT_TIMEOUT_MS = 10_000;

async function withServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Only names of our own pattern reach the DDL below: interpolating them is
 * safe, and nothing but a run database can ever be dropped.
 */
function runDatabaseNameOrThrow(name: string): string {
  if (!runDatabaseCreatedAt(name)) throw new Error(`Not a journeys database name: ${JSON.stringify(name)}`);
  return name;
}

async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  // FORCE ends the connections a server that did not stop cleanly left open (PostgreSQL 13+).
  await client.query(`DROP DATABASE IF EXISTS "${runDatabaseNameOrThrow(name)}" WITH (FORCE)`);
}

async function create(): Promise<void> {
  const name = runDatabaseNameOrThrow(e2eRunDatabaseName() ?? "");
  await withServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [RUN_DATABASE_PREFIX],
    );
    for (const { datname } of rows) {
      const createdAt = runDatabaseCreatedAt(datname);
      if (createdAt && Date.now() - createdAt.getTime() > ABANDONED_AFTER_MS) {
        await dropDatabase(client, datname);
        console.error(`Dropped ${datname}, abandoned by an earlier run.`);
      }
    }
    await client.query(`CREATE DATABASE "${name}"`);
  });
  console.log(e2eDatabaseUrl());
}

async function drop(): Promise<void> {
  const name = decodeURIComponent(new URL(process.env.DATABASE_URL ?? "").pathname.slice(1));
  await withServer((client) => dropDatabase(client, name));
}

const commands: Record<string, () => Promise<void>> = { create, drop };
const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error("Usage: tsx scripts/e2e-database.ts create|drop");
  process.exitCode = 2;
} else {
  command().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
