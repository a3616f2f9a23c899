import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, postgresSchemaFrom } from "./schema-sync";

describe("postgresSchemaFrom", () => {
  it("keeps prisma/postgres/schema.prisma in step with the SQLite source", () => {
    const expected = postgresSchemaFrom(readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
    const actual = readFileSync(POSTGRES_SCHEMA_PATH, "utf8");
    expect(actual === expected, "the schemas drifted, run npm run db:generate").toBe(true);
  });

  it("changes only the provider and the client output", () => {
    const sqlite = [
      'generator client {\n  provider = "prisma-client"\n  output   = "../../lib/generated/sqlite"\n}',
      'datasource db {\n  provider = "sqlite"\n}',
      'model Note {\n  id   String @id\n  body String @default("sqlite")\n}',
    ].join("\n\n");

    expect(postgresSchemaFrom(sqlite)).toBe(
      [
        'generator client {\n  provider = "prisma-client"\n  output   = "../../lib/generated/postgres"\n}',
        'datasource db {\n  provider = "postgresql"\n}',
        'model Note {\n  id   String @id\n  body String @default("sqlite")\n}',
      ].join("\n\n"),
    );
  });

  it("refuses a schema it does not recognise rather than copying it unchanged", () => {
    expect(() => postgresSchemaFrom('datasource db {\n  provider = "mysql"\n}')).toThrow(/provider = "sqlite"/);
  });
});
