# Sourced by scripts/quickstart.sh, scripts/e2e-server.sh and scripts/start.sh
# (npm start): the one `next start` command line all three use, so
# scripts/local-server.test.ts starts exactly what they start.
#
# The quick start and the e2e server run with DEV_MAILBOX=1, which serves
# every sign-in link at /api/dev/mailbox: whoever can reach the port can sign
# in as anyone. So they listen on loopback (127.0.0.1) only, never on every
# interface as `next start` does by default; so does npm start, which a
# deployment reaches through its proxy (README, "Deployment behind a proxy").
# LISTEN_HOST changes that deliberately (e.g. LISTEN_HOST=0.0.0.0 to reach a
# demo from another machine, or a private address for the proxy); never with
# DEV_MAILBOX=1 on a network you do not trust. A name of our own, not HOST
# or HOSTNAME, which shells and containers set for other reasons.
LOCAL_SERVER_DEFAULT_HOST="127.0.0.1"

# V8's heap sizes for the server (docs/performance.md, "Memory"). On a machine
# with 8 GB or more, V8 lets the old generation grow to four times what
# survives a full collection before it collects again: the server sat at
# 500-600 MB under the bench with ~70 MB alive. Any old-space limit under 2 GB
# makes that 1.3-2 times; 512 MB leaves the app seven times its live heap (a
# fork that keeps much more in memory raises it: past the limit the process
# ends with an out-of-memory error). Semi-spaces (the young generation,
# where a request's short-lived objects die) of 4 MB instead of 16 take
# another ~25 MB, at no cost in throughput the bench could measure.
LOCAL_SERVER_NODE_OPTIONS="--max-old-space-size=512 --max-semi-space-size=4"

# glibc's malloc gives each thread that allocates an arena of its own (up to
# eight per core) and keeps what it freed there: V8's compiler and GC
# threads, libuv's pool and the SQLite checkpointer held ~60 MB of such
# arenas under the bench. Two arenas took ~40 MiB off the server's peak, the
# throughput unchanged (docs/performance.md, "Memory"). An operator's own
# MALLOC_ARENA_MAX wins; other C libraries (musl on Alpine) ignore it.
LOCAL_SERVER_MALLOC_ARENA_MAX=2

# start_local_server PORT [DIRECTORY]: replaces the shell with the server.
start_local_server() {
  if [ -n "${LISTEN_HOST:-}" ] && [ "${DEV_MAILBOX:-}" = "1" ]; then
    echo "WARNING: LISTEN_HOST=${LISTEN_HOST} with DEV_MAILBOX=1: anyone who can reach that address can read every sign-in link." >&2
  fi
  # Next.js's own executable rather than `npx next`, whose npm process would
  # stay beside the server for its whole life (~75 MB).
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-$LOCAL_SERVER_MALLOC_ARENA_MAX}" \
    NODE_OPTIONS="$LOCAL_SERVER_NODE_OPTIONS${NODE_OPTIONS:+ $NODE_OPTIONS}" \
    exec node_modules/.bin/next start -H "${LISTEN_HOST:-$LOCAL_SERVER_DEFAULT_HOST}" -p "$@"
}
