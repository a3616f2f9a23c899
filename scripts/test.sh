#!/usr/bin/env bash
# npm test: from a fresh clone, installs what the tests need, then runs the
# type check, the linter, Vitest (unit and integration, SQLite always and
# PostgreSQL when TEST_POSTGRES_URL is set) and the Playwright journeys in
# every locale against a production build (on SQLite always, and again on
# PostgreSQL when TEST_POSTGRES_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install.sh
bash scripts/ensure-chromium.sh
npx tsx scripts/ensure-env.ts
npm run db:generate

echo "== type check"
npx tsc --noEmit
echo "== lint"
npx eslint . --max-warnings=0
echo "== unit and integration tests"
npx vitest run
echo "== production build for the browser journeys"
npx next build
echo "== browser journeys (SQLite)"
npx playwright test
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  # Every locale, not one: the run takes about as long as SQLite's (~2-3
  # minutes of the suite's ~8), and the locales write different text to the
  # database (Arabic and Spanish names, emails in the outbox). Its own
  # database on that server, created and dropped by scripts/e2e-server.sh,
  # so it never sees the SQLite run's users.
  echo "== browser journeys (PostgreSQL)"
  E2E_DATABASE_URL="$TEST_POSTGRES_URL" npx playwright test
fi
