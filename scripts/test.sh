#!/usr/bin/env bash
# Fresh machine to a full test run: install, build, lint, run every test with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The pinned Node that setup.sh built with runs the tests and whatever they spawn (process.execPath).
source scripts/env.sh
echo "test: Node $(node --version) ($(command -v node))" >&2
# The single-file build's test packages every platform: its Node binaries are fetched here, not by a test.
node scripts/package.mjs --fetch-node
rm -f coverage/test-totals.txt
status=0
# The lint rules hold the layers apart (services never import ui): a break fails the run like a test.
npm run --silent lint || status=$?
npm run --silent test:only || status=$?
# The totals last, where CI looks for them (c8's coverage summary comes after mocha's own output).
[ -f coverage/test-totals.txt ] && cat coverage/test-totals.txt
exit "$status"
