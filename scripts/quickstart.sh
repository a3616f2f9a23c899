#!/usr/bin/env bash
# npm run quickstart: from a fresh clone to a running app on
# http://localhost:3000 with SQLite, demo data and the development mailbox.
# It listens on 127.0.0.1 only (scripts/local-server.sh says why and how to
# change it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-server.sh
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install.sh
npx tsx scripts/ensure-env.ts
npm run db:generate
npm run db:migrate
npm run db:seed
echo "== building for production"
npx next build

PORT="${PORT:-3000}"
echo ""
echo "Trustladder is starting on http://localhost:${PORT}"
echo "Sign-in emails land in the development mailbox: http://localhost:${PORT}/en/dev/mailbox"
echo "It listens on ${LISTEN_HOST:-127.0.0.1} only: the mailbox lets whoever reaches it sign in as anyone."
echo ""
# DEV_MAILBOX=1 lets this production build show the mailbox: a local demo only.
export DEV_MAILBOX=1
export AUTH_URL="${AUTH_URL:-http://localhost:${PORT}}"
start_local_server "$PORT"
