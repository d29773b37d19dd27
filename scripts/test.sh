#!/usr/bin/env bash
# Fresh machine to a full test run: install, build, run every test with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
rm -f coverage/test-totals.txt
status=0
npm run --silent test:only || status=$?
# The totals last, where CI looks for them (c8's coverage summary comes after mocha's own output).
[ -f coverage/test-totals.txt ] && cat coverage/test-totals.txt
exit "$status"
