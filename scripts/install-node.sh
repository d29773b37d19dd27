#!/usr/bin/env bash
# Installs the pinned Node (.node-version) for one architecture (x64 or arm64; default: this
# machine's) from the npm registry package node-linux-<arch>, into .tools/node/v<version>-linux-<arch>,
# and prints the path of its `node`. Cached: a second run does nothing. The machine's npm only
# fetches the package (npm checks the registry's integrity hash).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(tr -d '[:space:]' <"$root/.node-version")
arch=${1:-}
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "install-node: no node-linux package for $(uname -m)" >&2; exit 1 ;;
  esac
fi
case "$arch" in x64 | arm64) ;; *) echo "install-node: unknown architecture $arch (x64 or arm64)" >&2; exit 1 ;; esac

dir="$root/.tools/node/v$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  command -v npm >/dev/null || { echo "install-node: npm is needed once, to fetch node-linux-$arch@$version" >&2; exit 1; }
  mkdir -p "$root/.tools/node"
  # Unpacked beside its final place and renamed in when complete: an interrupted or concurrent run
  # never leaves a half-written Node where the next one would use it.
  tmp=$(mktemp -d "$root/.tools/node/.v$version-linux-$arch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "install-node: fetching node-linux-$arch@$version from the npm registry" >&2
  npm pack "node-linux-$arch@$version" --pack-destination "$tmp" --silent >/dev/null
  mkdir "$tmp/node"
  tar -xzf "$tmp/node-linux-$arch-$version.tgz" -C "$tmp/node" --strip-components=1 --no-same-owner
  [ -x "$tmp/node/bin/node" ] || { echo "install-node: node-linux-$arch@$version holds no bin/node" >&2; exit 1; }
  mv -T "$tmp/node" "$dir" 2>/dev/null || [ -x "$dir/bin/node" ]
fi
echo "$dir/bin/node"
