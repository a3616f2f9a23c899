#!/usr/bin/env bash
# The server the Playwright journeys run against (playwright.config.ts starts
# it): the production build from `npx next build`, on its own port, with a
# fresh database, so a run never sees the development database or another
# run's users, challenges and rate-limit counters:
# - SQLite (default, E2E_DATABASE_URL=file:…): the file, recreated here.
# - PostgreSQL (E2E_DATABASE_URL=postgres://… names a server): a database of
#   this run's own (E2E_DATABASE_NAME, from the config; see
#   e2e/support/server.ts), created here and dropped when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-server.sh
export NEXT_TELEMETRY_DISABLED=1

PORT="${E2E_PORT:-3100}"
# e2e/support/database.ts opens the same database to expire challenges.
export E2E_DATABASE_URL="${E2E_DATABASE_URL:-file:./data/e2e.db}"

if [ ! -f .next/BUILD_ID ]; then
  echo "No production build in .next: run \`npx next build\` first (npm test does)." >&2
  exit 1
fi

# next start loads AUTH_SECRET from .env.local; a fresh clone has none yet.
npx tsx scripts/ensure-env.ts

if [[ "$E2E_DATABASE_URL" =~ ^postgres(ql)?:// ]]; then
  DATABASE_URL="$(npx tsx scripts/e2e-database.ts create)"
  export DATABASE_URL
  # The database goes when this script does, however it ends: a failed
  # migration, Playwright's SIGTERM at the end of the run, Ctrl-C. This shell
  # becomes the server below (exec), so a watcher waits for its pid to go,
  # then drops the database. The watcher ignores the SIGTERM and SIGINT sent
  # to the whole process group, and Playwright waits for it (it holds the
  # output pipes) up to the config's gracefulShutdown timeout. SIGKILL
  # cannot be outlived: the next run drops what it left once a day old.
  server_pid=$$
  (
    trap '' TERM INT
    while kill -0 "$server_pid" 2>/dev/null; do sleep 1; done
    npx tsx scripts/e2e-database.ts drop
  ) &
else
  export DATABASE_URL="$E2E_DATABASE_URL"
  DB_FILE="${DATABASE_URL#file:}"
  mkdir -p "$(dirname "$DB_FILE")"
  # The migrator switches SQLite to WAL, so the journal files go too.
  rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm" "$DB_FILE-journal"
fi
npx tsx scripts/db/migrate.ts

# Uploads get their own directory too, emptied like the database.
export FILES_DIR="${E2E_FILES_DIR:-./data/e2e-files}"
rm -rf "$FILES_DIR"

# DEV_MAILBOX=1 serves /api/dev/mailbox from this production build: the
# journeys read their sign-in emails there. Never set it in a deployment.
# Hence loopback only (scripts/local-server.sh).
export DEV_MAILBOX=1
# The journeys play a trusted edge that names the client's country, so a
# sign-in can come from "another country" (e2e/sign-in-second-factor.spec.ts).
export COUNTRY_HEADER="${COUNTRY_HEADER:-x-e2e-country}"
export AUTH_URL="http://localhost:${PORT}"
start_local_server "$PORT"
