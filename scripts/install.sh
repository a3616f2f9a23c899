#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing, older than the
# lockfile, or built for another Node.js. `npm ci` installs exactly what
# package-lock.json pins.
#
# better-sqlite3 is a native addon compiled for one Node.js ABI
# (process.versions.modules: 115 for Node.js 20, 137 for 24); Node.js refuses
# to load it under another. So the ABI node_modules was built for is recorded
# in a marker and a different `node` (CI's Node.js 24 after a quick start on
# the machine's Node.js 20, or the reverse) reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."

MARKER=node_modules/.trustladder-node-abi
abi="$(node -p '`${process.versions.modules}-${process.platform}-${process.arch}`')"
addon_loads() {
  node -e 'new (require("better-sqlite3"))(":memory:").close()' >/dev/null 2>&1
}

reason=""
if [ ! -f node_modules/.package-lock.json ]; then
  reason="node_modules is missing"
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
  reason="package-lock.json changed"
elif [ ! -f "$MARKER" ]; then
  # Installed before the marker existed: keep it if the addon loads here.
  if addon_loads; then echo "$abi" > "$MARKER"; else reason="better-sqlite3 was built for another Node.js"; fi
elif [ "$(cat "$MARKER")" != "$abi" ]; then
  reason="node_modules was built for Node.js ABI $(cat "$MARKER"), this is $(node -v) (ABI $abi)"
fi

if [ -n "$reason" ]; then
  echo "== installing dependencies with Node.js $(node -v) (npm ci: $reason)"
  npm ci --no-audit --no-fund
  if ! addon_loads; then
    echo "better-sqlite3 does not load under Node.js $(node -v): it was compiled against other headers." >&2
    echo "Point node-gyp at this Node.js's headers (npm_config_nodedir=<dir with include/node>) and rerun." >&2
    exit 1
  fi
  echo "$abi" > "$MARKER"
fi
