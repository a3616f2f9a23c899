#!/usr/bin/env bash
# npm start: the production build from `npx next build`, on port PORT
# (default 3000), through the same command line as the quick start and the
# e2e server (scripts/local-server.sh): loopback only unless LISTEN_HOST says
# otherwise, and the heap limits and malloc arenas of docs/performance.md.
# `next start` alone would listen on every interface with V8's default heap
# sizes.
#
# `bash scripts/start.sh` starts the same server without npm's own process,
# which `npm start` keeps beside it for the server's whole life.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-server.sh

PORT="${PORT:-3000}"
start_local_server "$PORT"
