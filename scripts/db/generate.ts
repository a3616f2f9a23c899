/**
 * `npm run db:generate`: derive prisma/postgres/schema.prisma from the SQLite
 * schema, then generate both Prisma clients.
 *
 * `prisma generate` only checks that a schema-engine binary exists before it
 * would try to download one, and this project never needs the native engine
 * (migrations are applied by lib/db/migrations.ts and authored with the WASM
 * engine). Pointing PRISMA_SCHEMA_ENGINE_BINARY at an executable we know
 * exists, Node itself, keeps generation offline.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, postgresSchemaFrom } from "../../lib/db/schema-sync";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

function writePostgresSchema(): void {
  const sqliteSchema = readFileSync(path.join(projectRoot, SQLITE_SCHEMA_PATH), "utf8");
  const target = path.join(projectRoot, POSTGRES_SCHEMA_PATH);
  const next = postgresSchemaFrom(sqliteSchema);
  if (existsSync(target) && readFileSync(target, "utf8") === next) {
    console.log(`${POSTGRES_SCHEMA_PATH} is up to date.`);
    return;
  }
  writeFileSync(target, next);
  console.log(`Wrote ${POSTGRES_SCHEMA_PATH} from ${SQLITE_SCHEMA_PATH}.`);
}

function generateClient(schemaPath: string): void {
  const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", schemaPath], {
    cwd: projectRoot,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.status !== 0) {
    throw new Error(`prisma generate --schema ${schemaPath} failed (exit ${result.status ?? result.signal}).`);
  }
}

writePostgresSchema();
generateClient(SQLITE_SCHEMA_PATH);
generateClient(POSTGRES_SCHEMA_PATH);
