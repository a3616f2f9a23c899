/**
 * `npm run db:migrate`: apply pending migrations to DATABASE_URL, the way
 * `prisma migrate deploy` would (see lib/db/migrations.ts for why we do not
 * call it). Safe to run on every start or deploy: it applies nothing twice.
 *
 * Scripts read process.env directly: lib/env.ts would also insist on
 * AUTH_SECRET, which migrating does not need.
 */
import { providerOf } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrations";

const DEFAULT_DATABASE_URL = "file:./data/dev.db";

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for the log line. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  console.log(`Migrating ${redacted(url)} (${providerOf(url)})`);
  const applied = await applyMigrations(url);
  if (applied.length === 0) {
    console.log("Already up to date.");
    return;
  }
  for (const name of applied) console.log(`  applied ${name}`);
  console.log(`${applied.length} migration(s) applied.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
