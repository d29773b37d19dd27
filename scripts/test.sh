#!/usr/bin/env bash
# Fresh machine to a full test run: install, build, run every test with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run test:only
