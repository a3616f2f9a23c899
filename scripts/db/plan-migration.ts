/**
 * What the next migration for one provider would be: Prisma's schema engine
 * (as WebAssembly, see schema-engine.ts) replays the migrations folder on a
 * throwaway shadow database and diffs the result against the schema. The
 * SQL it returns is what `prisma migrate dev --create-only` would write.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { DatabaseProvider } from "../../lib/db/client";
import {
  MIGRATION_FILE_NAME,
  MIGRATION_LOCK_FILE_NAME,
  migrationLockToml,
  providerFolder,
  readMigrationFiles,
} from "../../lib/db/migration-files";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, postgresSchemaFrom } from "../../lib/db/schema-sync";
import { startSchemaEngine } from "./schema-engine";
import { postgresShadowFactory, sqliteShadowFactory, type DisposableFactory } from "./shadow-databases";

/** The server the Postgres shadow database is created on (and dropped from). */
export const DEFAULT_SHADOW_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface MigrationPlan {
  provider: DatabaseProvider;
  migrationsDir: string;
  /** The SQL of the next migration, or null when the folder already matches the schema. */
  sql: string | null;
}

export interface PlanOptions {
  /** Default: the working directory. */
  projectRoot?: string;
  /** Default: DEFAULT_SHADOW_POSTGRES_URL. */
  postgresUrl?: string;
}

/** Both schemas, refusing when the generated Postgres one is stale. */
export function readSchemas(projectRoot: string): Record<DatabaseProvider, string> {
  const sqlite = readFileSync(path.join(projectRoot, SQLITE_SCHEMA_PATH), "utf8");
  const postgres = readFileSync(path.join(projectRoot, POSTGRES_SCHEMA_PATH), "utf8");
  if (postgres !== postgresSchemaFrom(sqlite)) {
    throw new Error(`${POSTGRES_SCHEMA_PATH} is out of date: run \`npm run db:generate\` first.`);
  }
  return { sqlite, postgresql: postgres };
}

/** One line of the schema engine's log (JSON); only the parts shown are checked. */
const engineLogLine = z.object({ level: z.string().optional(), fields: z.object({ message: z.string().optional() }).optional() });

function engineLog(line: string): void {
  // The engine reports everything through this callback; only problems are worth showing.
  let entry: z.infer<typeof engineLogLine>;
  try {
    entry = engineLogLine.parse(JSON.parse(line));
  } catch {
    console.warn(`schema engine: ${line}`);
    return;
  }
  if (entry.level === "WARN" || entry.level === "ERROR") console.warn(`schema engine ${entry.level}: ${entry.fields?.message ?? line}`);
}

export async function planMigration(
  provider: DatabaseProvider,
  schema: string,
  options: PlanOptions = {},
): Promise<MigrationPlan> {
  const projectRoot = options.projectRoot ?? process.cwd();
  const migrationsDir = path.join(projectRoot, "prisma", providerFolder(provider), "migrations");
  const schemaPath = path.join(projectRoot, provider === "postgresql" ? POSTGRES_SCHEMA_PATH : SQLITE_SCHEMA_PATH);
  const lockPath = path.join(migrationsDir, MIGRATION_LOCK_FILE_NAME);
  const shadow: DisposableFactory =
    provider === "postgresql"
      ? postgresShadowFactory(options.postgresUrl ?? DEFAULT_SHADOW_POSTGRES_URL)
      : sqliteShadowFactory();
  try {
    const engine = await startSchemaEngine(schemaPath, schema, shadow.factory, engineLog);
    try {
      const result = await engine.diff({
        from: {
          tag: "migrations",
          baseDir: migrationsDir,
          // The engine reads the provider from the lock file, which a first migration does not have yet.
          lockfile: {
            path: MIGRATION_LOCK_FILE_NAME,
            content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : migrationLockToml(provider),
          },
          shadowDbInitScript: "",
          migrationDirectories: readMigrationFiles(migrationsDir).map((migration) => ({
            path: migration.name,
            migrationFile: { path: MIGRATION_FILE_NAME, content: { tag: "ok", value: migration.sql } },
          })),
        },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
        script: true,
        // Exit code 2 means "there is a difference", 0 means none.
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      return { provider, migrationsDir, sql: result.exitCode === 2 ? (result.stdout ?? "") : null };
    } finally {
      engine.free();
    }
  } finally {
    await shadow.cleanup();
  }
}
