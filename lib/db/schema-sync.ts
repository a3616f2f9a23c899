/**
 * One Prisma schema cannot serve two providers (`provider` cannot read
 * `env()`), so prisma/sqlite/schema.prisma is the source and
 * prisma/postgres/schema.prisma is derived from it. This pure function is the
 * whole derivation: `npm run db:generate` writes its result and a test fails
 * when the committed file differs from it.
 */

export const SQLITE_SCHEMA_PATH = "prisma/sqlite/schema.prisma";
export const POSTGRES_SCHEMA_PATH = "prisma/postgres/schema.prisma";

const DATASOURCE_PROVIDER = /(datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*)"sqlite"/g;
const CLIENT_OUTPUT = /(generator\s+\w+\s*\{[^}]*?\boutput\s*=\s*"[^"]*\/)sqlite"/g;

export function postgresSchemaFrom(sqliteSchemaText: string): string {
  return replaceExactlyOnce(
    replaceExactlyOnce(sqliteSchemaText, DATASOURCE_PROVIDER, '$1"postgresql"', 'datasource provider = "sqlite"'),
    CLIENT_OUTPUT,
    '$1postgres"',
    'generator output = ".../sqlite"',
  );
}

// A silent no-op would write a "postgres" schema that still says sqlite, so a
// source schema we do not recognise is an error, not a pass-through.
function replaceExactlyOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(pattern)?.length ?? 0;
  if (matches !== 1) {
    throw new Error(`Expected exactly one ${what} in ${SQLITE_SCHEMA_PATH}, found ${matches}.`);
  }
  return text.replace(pattern, replacement);
}
