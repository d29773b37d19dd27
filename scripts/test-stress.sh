#!/usr/bin/env bash
# Runs the process-heavy tests (sources with child processes, agents, runc, journald, the CLI end to
# end) RUNS times in a row (default 5) with two busy loops beside them, on the current build, to
# find races between processes before CI does. Usage: scripts/test-stress.sh [RUNS] [MOCHA GLOB...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
globs=("$@")
[ ${#globs[@]} -gt 0 ] || globs=(
  'agent/dist/violations/sources/*.test.js'
  'agent/dist/store/*.test.js'
  'cli/dist/**/*.test.js'
  'test/dist/**/*.test.js'
)
hogs=()
stop_hogs() { for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_hogs EXIT
for _ in 1 2; do
  sh -c 'while :; do :; done' &
  hogs+=($!)
done
failed=0
for run in $(seq "$runs"); do
  start=$(date +%s)
  status=0
  npx mocha "${globs[@]}" >"/tmp/kubectl-seccomp-stress-$run.log" 2>&1 || status=$?
  echo "stress run $run/$runs: exit $status in $(($(date +%s) - start)) s: $(tail -n 1 "/tmp/kubectl-seccomp-stress-$run.log")"
  [ "$status" = 0 ] || failed=$((failed + 1))
done
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" = 0 ]
