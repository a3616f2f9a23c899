#!/usr/bin/env bash
# The server the Playwright journeys run against (playwright.config.ts starts
# it): the production build from `npx next build`, on its own port, with a
# fresh SQLite file, so a run never sees the development database or a
# previous run's users, challenges and rate-limit counters.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-server.sh
export NEXT_TELEMETRY_DISABLED=1

PORT="${E2E_PORT:-3100}"
# e2e/support/database.ts opens the same file to expire challenges.
export DATABASE_URL="${E2E_DATABASE_URL:-file:./data/e2e.db}"
DB_FILE="${DATABASE_URL#file:}"

if [ ! -f .next/BUILD_ID ]; then
  echo "No production build in .next: run \`npx next build\` first (npm test does)." >&2
  exit 1
fi

# next start loads AUTH_SECRET from .env.local; a fresh clone has none yet.
npx tsx scripts/ensure-env.ts

mkdir -p "$(dirname "$DB_FILE")"
# The migrator switches SQLite to WAL, so the journal files go too.
rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm" "$DB_FILE-journal"
npx tsx scripts/db/migrate.ts

# Uploads get their own directory too, emptied like the database.
export FILES_DIR="${E2E_FILES_DIR:-./data/e2e-files}"
rm -rf "$FILES_DIR"

# DEV_MAILBOX=1 serves /api/dev/mailbox from this production build: the
# journeys read their sign-in emails there. Never set it in a deployment.
# Hence loopback only (scripts/local-server.sh).
export DEV_MAILBOX=1
export AUTH_URL="http://localhost:${PORT}"
start_local_server "$PORT"
