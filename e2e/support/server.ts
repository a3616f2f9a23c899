import path from "node:path";

/**
 * Where the journeys' server listens and which SQLite file it uses. The
 * config hands both to scripts/e2e-server.sh, and the expiry fixture opens
 * the same file, so the three never disagree. Port 3100 leaves 3000 to
 * `npm run dev`.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

/** Default `http://localhost:3100`; also AUTH_URL, so links in emails point here. */
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

/** Default `file:./data/e2e.db`, relative to the repository root like every DATABASE_URL. */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

const repositoryRoot = path.resolve(__dirname, "..", "..");

/** The e2e database's path on disk, for fixtures that must reach past the UI. */
export function e2eDatabaseFile(): string {
  return path.resolve(repositoryRoot, E2E_DATABASE_URL.replace(/^file:/, ""));
}
