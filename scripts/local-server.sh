# Sourced by scripts/quickstart.sh and scripts/e2e-server.sh: the one
# `next start` command line both use, so scripts/local-server.test.ts starts
# exactly what they start.
#
# Both servers run with DEV_MAILBOX=1, which serves every sign-in link at
# /api/dev/mailbox: whoever can reach the port can sign in as anyone. So
# they listen on loopback (127.0.0.1) only, never on every interface as
# `next start` does by default. LISTEN_HOST changes that deliberately (e.g.
# LISTEN_HOST=0.0.0.0 to reach a demo from another machine); never with
# DEV_MAILBOX=1 on a network you do not trust. A name of our own, not HOST
# or HOSTNAME, which shells and containers set for other reasons.
LOCAL_SERVER_DEFAULT_HOST="127.0.0.1"

# start_local_server PORT [DIRECTORY]: replaces the shell with the server.
start_local_server() {
  if [ -n "${LISTEN_HOST:-}" ] && [ "${DEV_MAILBOX:-}" = "1" ]; then
    echo "WARNING: LISTEN_HOST=${LISTEN_HOST} with DEV_MAILBOX=1: anyone who can reach that address can read every sign-in link." >&2
  fi
  exec npx next start -H "${LISTEN_HOST:-$LOCAL_SERVER_DEFAULT_HOST}" -p "$@"
}
