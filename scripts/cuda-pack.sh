#!/usr/bin/env bash
# Builds the GPU test pack on this (GPU-less) build machine: the bundled BERT
# compiled with `mase-compile --target=cuda`, its test data, mase-run with the
# runtime and the shared libraries it needs, and run.sh, which runs every
# model on the GPU machine and checks it against its reference.
#
#   scripts/cuda-pack.sh [PACK_DIR]          (default build/cuda-pack)
#   then, on the GPU machine:  PACK_DIR/run.sh
#
# The pack needs no MLIR, compiler or CUDA toolkit where it runs: only the
# NVIDIA driver (libcuda.so.1) and a glibc at least as new as Debian 12's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MASE_BUILD_DIR:-$ROOT/build}"
PACK="${1:-$BUILD/cuda-pack}"
CHIP="${MASE_CUDA_CHIP:-sm_90}"
MODEL="$ROOT/models/bert-tiny"

for tool in mase-compile mase-run; do
  [[ -x "$BUILD/bin/$tool" ]] || { echo "cuda-pack: $BUILD/bin/$tool is missing; run scripts/build.sh first" >&2; exit 2; }
done
rm -rf "$PACK"
mkdir -p "$PACK/bin" "$PACK/lib" "$PACK/models"

# The bundled test data is batch 2, sequence 128.
shapes=(--shape input_ids=2x128 --shape attention_mask=2x128 --shape token_type_ids=2x128)
echo "cuda-pack: compiling bert-tiny for $CHIP (fp32)"
"$BUILD/bin/mase-compile" "$MODEL/bert_tiny_eager_ts.onnx" --target=cuda --chip="$CHIP" \
  "${shapes[@]}" -o "$PACK/models/bert-tiny-fp32.so"
cp -r "$MODEL/test_data_set_0" "$PACK/models/bert-tiny-data"

cp "$BUILD/bin/mase-run" "$PACK/bin/"
cp -L "$BUILD/lib/libmase_runtime.so" "$BUILD/lib/libonnx_proto.so.1" "$PACK/lib/"
# mase-run's system libraries that a GPU machine may lack.
for lib in $(ldd "$BUILD/bin/mase-run" | awk '/libprotobuf|libz\.so/ {print $3}'); do
  cp -L "$lib" "$PACK/lib/"
done

cat > "$PACK/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs each packed GPU model on its test data; exit status 1 when any fails.
# Tolerances: fp32 models must match their reference to a relative error of
# 1e-5 (plus an absolute 1e-5 for elements near zero).
set -uo pipefail
PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
status=0
for model in "$PACK"/models/*-fp32.so; do
  name="$(basename "$model" .so)"
  data="$PACK/models/${name%-fp32}-data"
  echo "== $name"
  "$PACK/bin/mase-run" "$model" --data "$data" --rtol 1e-5 --atol 1e-5 \
    --warmup 3 --iterations 20 "$@" || status=1
done
exit $status
RUN
chmod +x "$PACK/run.sh"
du -sh "$PACK"
