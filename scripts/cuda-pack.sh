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
for precision in f32 f16; do
  echo "cuda-pack: compiling bert-tiny for $CHIP ($precision)"
  "$BUILD/bin/mase-compile" "$MODEL/bert_tiny_eager_ts.onnx" --target=cuda --chip="$CHIP" \
    --precision=$precision "${shapes[@]}" -o "$PACK/models/bert-tiny-$precision.so"
done
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
# Tolerances: f32 models must match their (f32) reference to a relative
# error of 1e-5, f16 models to 1e-2; the absolute tolerance is the same
# fraction of 0.02, the size of bert-tiny's logits.
set -uo pipefail
PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
status=0
for model in "$PACK"/models/*.so; do
  name="$(basename "$model" .so)"
  data="$PACK/models/${name%-*}-data"
  case "$name" in
    *-f32) tolerance=(--rtol 1e-5 --atol 2e-7) ;;
    *) tolerance=(--rtol 1e-2 --atol 2e-4) ;;
  esac
  echo "== $name"
  "$PACK/bin/mase-run" "$model" --data "$data" "${tolerance[@]}" \
    --warmup 3 --iterations 20 "$@" || status=1
done
exit $status
RUN
chmod +x "$PACK/run.sh"
du -sh "$PACK"
