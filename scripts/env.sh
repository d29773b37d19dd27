# shellcheck shell=bash
# Puts the pinned Node (.node-version) first on PATH, installing it into .tools/node on first use:
#   source scripts/env.sh
# The build, the tests, the benchmarks and everything they spawn then run on it (npm and npx are
# scripts run by the first `node` on PATH, so they do too).
_seccomp_node=$("$(dirname "${BASH_SOURCE[0]}")/install-node.sh") || return 1 2>/dev/null || exit 1
case ":$PATH:" in
  *":${_seccomp_node%/node}:"*) ;;
  *) export PATH="${_seccomp_node%/node}:$PATH" ;;
esac
unset _seccomp_node
hash -r
