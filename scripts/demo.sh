#!/usr/bin/env bash
# The README's demo command: install dependencies, build, run the main job.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
exec "$ROOT/.venv/bin/python" "$ROOT/scripts/demo.py" "$@"
