import { describe, expect, it } from "vitest";
import { planMigration, readSchemas } from "./plan-migration";

// The migrations folders must capture the whole schema: a model changed
// without `npm run db:new` would otherwise reach production unmigrated.
const postgresUrl = process.env.TEST_POSTGRES_URL;
const schemas = readSchemas(process.cwd());
const STALE = "the schema has changes no migration captures: run npm run db:new -- <name>";

describe("the migrations folders", () => {
  it("capture the SQLite schema", async () => {
    const plan = await planMigration("sqlite", schemas.sqlite);
    expect(plan.sql, STALE).toBeNull();
  });

  it.skipIf(!postgresUrl)("capture the PostgreSQL schema", async () => {
    const plan = await planMigration("postgresql", schemas.postgresql, { postgresUrl });
    expect(plan.sql, STALE).toBeNull();
  });
});
