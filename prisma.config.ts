import { defineConfig } from "prisma/config";

// The Prisma CLI reads this file. Trustladder keeps one schema per provider
// (prisma/sqlite is the source, prisma/postgres is generated from it) and
// applies migrations itself (scripts/db/migrate.ts), so the CLI is only used
// for `prisma generate` and needs no database URL here.
const provider = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? "postgres" : "sqlite";

export default defineConfig({
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
});
