#!/usr/bin/env bash
# Regenerates the dialect and pass reference (docs/reference/) from ODS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MASE_BUILD_DIR:-$ROOT/build}"
cmake --build "$BUILD" --target mlir-doc
mkdir -p "$ROOT/docs/reference"
"$BUILD/bin/mase-import-onnx" --print-supported-ops > "$ROOT/docs/reference/OnnxOps.md"
echo "updated docs/reference/OnnxOps.md"
for doc in "$BUILD"/docs/*/*.md; do
  cp "$doc" "$ROOT/docs/reference/$(basename "$doc")"
  echo "updated docs/reference/$(basename "$doc")"
done
