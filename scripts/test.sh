#!/usr/bin/env bash
# The README's test command: install dependencies, build, run every test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
cd "${MASE_BUILD_DIR:-$ROOT/build}"
ctest --output-on-failure "$@"
