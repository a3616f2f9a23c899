import { describe, expect, it } from "vitest";
import { sha256Hex, type MigrationFile } from "./migration-files";
import { MigrationHistoryError, pendingMigrations, type MigrationRecord } from "./migration-history";

function file(name: string, sql = `-- ${name}\n`): MigrationFile {
  return { name, sql, checksum: sha256Hex(sql) };
}

function applied(migration: MigrationFile, overrides: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    migration_name: migration.name,
    checksum: migration.checksum,
    finished_at: "2025-01-01T00:00:00.000+00:00",
    rolled_back_at: null,
    ...overrides,
  };
}

const first = file("20250101000000_init");
const second = file("20250201000000_add_index");

describe("pendingMigrations", () => {
  it.each([
    { case: "nothing applied yet", records: [], pending: [first, second] },
    { case: "the first applied", records: [applied(first)], pending: [second] },
    { case: "everything applied", records: [applied(first), applied(second)], pending: [] },
    {
      case: "a rolled-back attempt counts as not applied",
      records: [applied(first), applied(second, { finished_at: null, rolled_back_at: "2025-02-02" })],
      pending: [second],
    },
    {
      case: "a migration applied elsewhere but absent here is left alone",
      records: [applied(first), applied(file("20250115000000_hotfix"))],
      pending: [second],
    },
  ])("$case", ({ records, pending }) => {
    expect(pendingMigrations([first, second], records)).toEqual(pending);
  });

  it.each([
    {
      case: "an edited migration",
      records: [applied(first, { checksum: sha256Hex("something else") })],
      message: /20250101000000_init was modified after it was applied/,
    },
    {
      case: "a migration that started and never finished",
      records: [applied(first, { finished_at: null })],
      message: /20250101000000_init started but never finished/,
    },
  ])("refuses $case", ({ records, message }) => {
    expect(() => pendingMigrations([first, second], records)).toThrow(MigrationHistoryError);
    expect(() => pendingMigrations([first, second], records)).toThrow(message);
  });
});
