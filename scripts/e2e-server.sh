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

on_postgres=false
if [[ "$E2E_DATABASE_URL" =~ ^postgres(ql)?:// ]]; then
  on_postgres=true
  DATABASE_URL="$(npx tsx scripts/e2e-database.ts create)"
  export DATABASE_URL
  # From here on, however the script ends (a failed migration, Playwright's
  # SIGTERM at the end of the run, Ctrl-C), the database goes with it. A
  # signal exits through the EXIT trap; SIGKILL cannot be caught, and the
  # next run drops what it left once it is a day old.
  # Playwright signals the whole process group; someone stopping only this
  # script by its pid would leave `next start` running (npx does not pass
  # the signal on), so the server's processes are stopped one by one.
  stop_tree() {
    local child
    for child in $(pgrep -P "$1" || true); do stop_tree "$child"; done
    kill -TERM "$1" 2>/dev/null || true
  }
  drop_database() {
    if [ -n "${server_pid:-}" ]; then
      stop_tree "$server_pid"
      wait "$server_pid" 2>/dev/null || true
    fi
    npx tsx scripts/e2e-database.ts drop
  }
  trap drop_database EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
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
export AUTH_URL="http://localhost:${PORT}"
if [ "$on_postgres" = true ]; then
  # In the background, so the shell stays to run the trap when it stops.
  start_local_server "$PORT" &
  server_pid=$!
  wait "$server_pid"
else
  start_local_server "$PORT"
fi
