#!/usr/bin/env bash
# Fresh machine to a first result: install, build, then check this machine the way the agent checks
# a node (`doctor --local`), lint the shipped catalog, and push it into a scratch profile dir twice
# (the second push changes nothing). No cluster needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
bin=node_modules/.bin/kubectl-seccomp
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== kubectl seccomp doctor --local"
"$bin" doctor --local || echo "(doctor exited $?: see the failed checks above)"
echo
echo "== kubectl seccomp lint (the catalog)"
"$bin" lint profiles/catalog
echo
echo "== kubectl seccomp push --local --profile-dir $scratch (twice)"
"$bin" push --local --profile-dir "$scratch"
"$bin" push --local --profile-dir "$scratch"
