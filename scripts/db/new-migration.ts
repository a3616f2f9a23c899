/**
 * `npm run db:new -- <name>`: author the next migration for BOTH providers,
 * as `prisma migrate dev --create-only` would, without Prisma's native
 * engine (see plan-migration.ts). Nothing is applied to any database; review
 * the SQL, then run `npm run db:migrate`.
 *
 * The Postgres shadow database is created on TEST_POSTGRES_URL's server, or
 * on postgres://postgres@127.0.0.1:5432/postgres, and dropped afterwards.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MIGRATION_FILE_NAME, MIGRATION_LOCK_FILE_NAME, migrationLockToml } from "../../lib/db/migration-files";
import { planMigration, readSchemas, type MigrationPlan } from "./plan-migration";

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** `Add passkeys!` → `add_passkeys`, the shape Prisma gives migration names. */
function migrationSlug(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

/** YYYYMMDDHHMMSS in UTC, Prisma's prefix, so folders sort by creation time. */
function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

function writeMigration(plan: MigrationPlan, folderName: string): void {
  const dir = path.join(plan.migrationsDir, folderName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MIGRATION_FILE_NAME), plan.sql ?? "");
  const lockPath = path.join(plan.migrationsDir, MIGRATION_LOCK_FILE_NAME);
  if (!existsSync(lockPath)) writeFileSync(lockPath, migrationLockToml(plan.provider));
  console.log(`Wrote ${path.relative(projectRoot, path.join(dir, MIGRATION_FILE_NAME))}`);
}

async function main(): Promise<void> {
  const name = migrationSlug(process.argv.slice(2).join(" "));
  if (!name) {
    throw new Error("Usage: npm run db:new -- <name>   (e.g. npm run db:new -- add_passkeys)");
  }
  const schemas = readSchemas(projectRoot);
  const options = { projectRoot, postgresUrl: process.env.TEST_POSTGRES_URL || undefined };
  // Plan both before writing either, so a failure (say, Postgres is down) leaves no half-written pair.
  const plans = [
    await planMigration("sqlite", schemas.sqlite, options),
    await planMigration("postgresql", schemas.postgresql, options),
  ];
  const changed = plans.filter((plan) => plan.sql !== null);
  if (changed.length === 0) {
    console.log("The schema matches the migrations folders: no changes, nothing written.");
    return;
  }
  if (changed.length !== plans.length) {
    const unchanged = plans.filter((plan) => plan.sql === null).map((plan) => plan.provider);
    console.warn(`Warning: no changes for ${unchanged.join(", ")}; the two migration histories have diverged.`);
  }
  const folderName = `${migrationTimestamp(new Date())}_${name}`;
  for (const plan of changed) writeMigration(plan, folderName);
  console.log("Review the SQL, then apply it with `npm run db:migrate`.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
