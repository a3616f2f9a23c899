#!/usr/bin/env bash
# npm test: from a fresh clone, installs what the tests need, then runs the
# type check, the linter, Vitest (unit and integration, SQLite always and
# PostgreSQL when TEST_POSTGRES_URL is set) and the Playwright journeys in
# every locale against a production build.
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
echo "== browser journeys"
npx playwright test
