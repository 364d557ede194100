#!/usr/bin/env bash
# Builds the GPU test pack on this (GPU-less) build machine, for a GPU machine
# that has only the NVIDIA driver (no MLIR, compiler or CUDA toolkit):
#
#   - the bundled BERT in f32 and f16, and generated BERT-tiny and BERT-base at batch 1 and
#     32 (sequence 128), compiled with `mase-compile --target=cuda` in f32 and
#     f16, with their test data; libraries compressed with xz;
#   - mase-run, the runtime and the shared libraries mase-run needs;
#   - run.sh, which runs every model and checks it against its reference,
#     and bench/bert_cuda.py, which times them against PyTorch.
#
#   scripts/cuda-pack.sh [--models all|bundled|generated] [PACK_DIR]
#                                            (default: all, build/cuda-pack)
#   then, on the GPU machine:  PACK_DIR/run.sh
#                              python PACK_DIR/bench/bert_cuda.py --pack PACK_DIR
#
# The lent GPU machine takes at most 64 MiB with the source tree: pack the
# bundled model (25 MB) and the generated ones (30 MB) separately there.
#
# The generated models' weights repeat one seeded block of 65536 values, each
# tensor from its own offset (mase.models.bert --repeat-weights), so that
# BERT-base's libraries (442 MB in f32) compress to a few MB for the trip.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MASE_BUILD_DIR:-$ROOT/build}"
MODELS=all
if [[ "${1:-}" == "--models" ]]; then
  MODELS="${2:-}"
  shift 2 || true
fi
case "$MODELS" in
  all|bundled|generated) ;;
  *) echo "cuda-pack: --models takes all, bundled or generated, not '$MODELS'" >&2; exit 2 ;;
esac
PACK="${1:-$BUILD/cuda-pack}"
CHIP="${MASE_CUDA_CHIP:-sm_90}"
PYTHON="$ROOT/.venv/bin/python"
BLOCK=65536
SEED=0

for tool in "$BUILD/bin/mase-compile" "$BUILD/bin/mase-run" "$PYTHON"; do
  [[ -x "$tool" ]] || { echo "cuda-pack: $tool is missing; run scripts/setup.sh and scripts/build.sh first" >&2; exit 2; }
done
rm -rf "$PACK"
mkdir -p "$PACK/bin" "$PACK/lib" "$PACK/models" "$PACK/python" "$PACK/bench"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# compile NAME ONNX BATCH SEQ PRECISION: models/NAME.so.xz
compile() {
  local name=$1 onnx=$2 batch=$3 seq=$4 precision=$5
  echo "cuda-pack: $name ($CHIP)"
  "$BUILD/bin/mase-compile" "$onnx" --target=cuda --chip="$CHIP" --precision="$precision" \
    --shape "input_ids=${batch}x$seq" --shape "attention_mask=${batch}x$seq" \
    --shape "token_type_ids=${batch}x$seq" -o "$PACK/models/$name.so"
  xz -T2 -6 "$PACK/models/$name.so"
}

# The bundled BERT (batch 2; its random weights hardly compress).
if [[ "$MODELS" != generated ]]; then
  for precision in f32 f16; do
    compile "bert-tiny-bundled-b2-$precision" "$ROOT/models/bert-tiny/bert_tiny_eager_ts.onnx" 2 128 "$precision"
  done
  cp -r "$ROOT/models/bert-tiny/test_data_set_0" "$PACK/models/bert-tiny-bundled-b2-data"
fi

manifest=()
configs=(tiny base)
[[ "$MODELS" == bundled ]] && configs=()
for config in "${configs[@]}"; do
  for batch in 1 32; do
    out="$WORK/$config-b$batch"
    PYTHONPATH="$ROOT/python" "$PYTHON" -m mase.models.bert --config "$config" \
      --style torchscript --batch "$batch" --seq 128 --seed "$SEED" \
      --repeat-weights "$BLOCK" -o "$out"
    cp -r "$out/test_data_set_0" "$PACK/models/bert-$config-b$batch-data"
    for precision in f32 f16; do
      compile "bert-$config-b$batch-$precision" "$out/model.onnx" "$batch" 128 "$precision"
      manifest+=("{\"library\": \"models/bert-$config-b$batch-$precision.so\", \"data\": \"models/bert-$config-b$batch-data\", \"config\": \"$config\", \"batch\": $batch, \"seq\": 128, \"precision\": \"$precision\", \"seed\": $SEED, \"repeat_weights\": $BLOCK}")
    done
    rm -rf "$out"
  done
done
(IFS=,; echo "{\"chip\": \"$CHIP\", \"models\": [${manifest[*]}]}") > "$PACK/manifest.json"

cp "$BUILD/bin/mase-run" "$PACK/bin/"
cp -L "$BUILD/lib/libmase_runtime.so" "$BUILD/lib/libonnx_proto.so.1" "$PACK/lib/"
# mase-run's system libraries that a GPU machine may lack.
for lib in $(ldd "$BUILD/bin/mase-run" | awk '/libprotobuf|libz\.so/ {print $3}'); do
  cp -L "$lib" "$PACK/lib/"
done
cp "$ROOT/python/mase/models/bert_data.py" "$PACK/python/"
cp "$ROOT/bench/bert_cuda.py" "$PACK/bench/"

cat > "$PACK/run.sh" <<'RUN'
#!/usr/bin/env bash
# Unpacks the models, then runs each on its test data; exit status 1 when any
# fails. Tolerances against the f32 reference: f32 models to a relative error
# of 1e-5, f16 models to 1e-2 (each with a small absolute floor for logits
# near zero).
set -uo pipefail
PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for packed in "$PACK"/models/*.so.xz; do
  [[ -e "$packed" ]] || continue
  python3 -c 'import lzma, shutil, sys
with lzma.open(sys.argv[1]) as src, open(sys.argv[1][:-3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 24)' "$packed" && rm "$packed"
done
status=0
for model in "$PACK"/models/*.so; do
  name="$(basename "$model" .so)"
  data="$PACK/models/${name%-*}-data"
  case "$name" in
    *-f32) tolerance=(--rtol 1e-5 --atol 1e-6) ;;
    *) tolerance=(--rtol 1e-2 --atol 1e-3) ;;
  esac
  echo "== $name"
  "$PACK/bin/mase-run" "$model" --data "$data" "${tolerance[@]}" \
    --warmup 3 --iterations 20 "$@" || status=1
done
exit $status
RUN
chmod +x "$PACK/run.sh"
du -sh "$PACK"
