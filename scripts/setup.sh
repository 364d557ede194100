#!/usr/bin/env bash
# Installs everything mase needs, idempotently: Debian packages (LLVM/MLIR 22 and friends)
# and the project virtualenv (.venv) with the Python reference tools.
# Non-interactive (CI=true, no stdin). Prints what it installs; does nothing when all is present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MASE_VENV:-$ROOT/.venv}"

# Debian packages. LLVM/MLIR are pinned to major version 22 by package name.
DEB_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22 libomp-22-dev libclang-rt-22-dev
  libonnx-dev libprotobuf-dev protobuf-compiler libtomlplusplus-dev libgtest-dev
  ninja-build cmake python3-venv libonnx-testdata
)
# Python reference tools, pinned so reference numbers are reproducible.
# matplotlib: the plots of python -m mase.sweep.
PY_PACKAGES=(numpy==2.3.5 onnx==1.20.1 onnxruntime==1.30.0 matplotlib==3.11.2)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q </dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  echo "setup: Debian packages present"
fi

# The project virtualenv, on Debian's python3 (the same interpreter on every machine).
PY=/usr/bin/python3
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtualenv $VENV"
  "$PY" -m venv "$VENV"
fi
need=()
for spec in "${PY_PACKAGES[@]}"; do
  name="${spec%%==*}" want="${spec##*==}"
  have="$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$name'))" 2>/dev/null || true)"
  [ "$have" = "$want" ] || need+=("$spec")
done
if ((${#need[@]})); then
  echo "setup: installing Python packages into $VENV: ${need[*]}"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${need[@]}" </dev/null
else
  echo "setup: Python packages present"
fi
