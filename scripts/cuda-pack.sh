#!/usr/bin/env bash
# Builds the GPU test pack on this (GPU-less) build machine, for a GPU machine
# that has only the NVIDIA driver (no MLIR, compiler or CUDA toolkit):
#
#   - the bundled BERT in f32 and f16, and generated BERT-tiny and BERT-base at batch 1 and
#     32 (sequence 128), compiled with `mase-compile --target=cuda` in f32 and
#     f16, with their test data; libraries compressed with xz;
#   - natively quantised models (`--quant-mode=native`, weights in codes on the
#     GPU): the bundled BERT with MASE's two reference configs (int8, bfp8;
#     checked against MASE's own outputs) and generated BERT with MXINT8
#     linear layers (checked against the CPU's emulation of MASE's numerics,
#     scripts/quant-reference.py);
#   - mase-run, the runtime and the shared libraries mase-run needs;
#   - attention alone at the benchmark's shapes (sdpa/, one library each),
#     and BERT-base's linear layers alone at batch 32 (gemm/);
#   - run.sh, which runs every model and checks it against its reference,
#     session.sh, which runs it, profiles the largest BERT and runs the
#     benchmarks, writing what a GPU session brings back into one folder,
#     bench/bert_cuda.py, which times them against PyTorch, and
#     bench/sdpa_cuda.py and bench/gemm_cuda.py, which check and time
#     attention and the linear layers alone against PyTorch.
#
#   scripts/cuda-pack.sh [--models all|bundled|generated|NAME,...] [PACK_DIR]
#                                            (default: all, build/cuda-pack)
#   NAME: bundled-f32, bundled-f16, bundled-int8, bundled-bfp8, or
#   CONFIG-bBATCH-KIND for CONFIG tiny or base, BATCH 1 or 32 and KIND f32,
#   f16, mxint8 (f32 with MXINT8 linear layers and embedding tables, native;
#   bench/configs/mxint8_linear_embedding.toml) or mxint8-emulate (the
#   same in emulate mode: float weights, MASE's simulated quantisation):
#   base-b32-f16.
#   then, on the GPU machine:  PACK_DIR/session.sh OUT_DIR (all of the below)
#                              PACK_DIR/run.sh
#                              python PACK_DIR/bench/bert_cuda.py --pack PACK_DIR
#                              python PACK_DIR/bench/sdpa_cuda.py --pack PACK_DIR
#                              python PACK_DIR/bench/gemm_cuda.py --pack PACK_DIR
#
# The lent GPU machine takes at most 64 MiB with the source tree: the
# bundled models take 25 MB, the generated ones 30 MB (BERT-base in f32
# 8.6 MB each); pack a selection, such as every model but base-b32-f32 and
# bundled-f16.
#
# The generated models' weights repeat one seeded block of 65536 values, each
# tensor from its own offset (mase.models.bert --repeat-weights), so that
# BERT-base's libraries (442 MB in f32) compress to a few MB for the trip.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MASE_BUILD_DIR:-$ROOT/build}"
BUNDLED=(bundled-f32 bundled-f16 bundled-int8 bundled-bfp8)
GENERATED=()
for config in tiny base; do
  for batch in 1 32; do
    GENERATED+=("$config-b$batch-f32" "$config-b$batch-f16" "$config-b$batch-mxint8"
                "$config-b$batch-mxint8-emulate")
  done
done
MODELS=all
if [[ "${1:-}" == "--models" ]]; then
  MODELS="${2:-}"
  shift 2 || true
fi
# The models to pack: a group, or a comma-separated list of names.
case "$MODELS" in
  all) WANTED=("${BUNDLED[@]}" "${GENERATED[@]}") ;;
  bundled) WANTED=("${BUNDLED[@]}") ;;
  generated) WANTED=("${GENERATED[@]}") ;;
  *) IFS=, read -r -a WANTED <<< "$MODELS" ;;
esac
wanted() { [[ " ${WANTED[*]} " == *" $1 "* ]]; }
for name in "${WANTED[@]}"; do
  if ! [[ " ${BUNDLED[*]} ${GENERATED[*]} " == *" $name "* ]]; then
    echo "cuda-pack: --models takes all, bundled, generated or a comma-separated list of ${BUNDLED[*]} ${GENERATED[*]}; not '$name'" >&2
    exit 2
  fi
done
PACK="${1:-$BUILD/cuda-pack}"
CHIP="${MASE_CUDA_CHIP:-sm_90}"
# MASE_CUDA_GEMM_MIN_BLOCKS sets mase-compile's --cuda-gemm-min-blocks
# (default 64; 0 builds the models without the prebuilt GEMM).
GEMM_MIN_BLOCKS="${MASE_CUDA_GEMM_MIN_BLOCKS:-64}"
PYTHON="$ROOT/.venv/bin/python"
BLOCK=65536
SEED=0
MXINT8_CONFIG="$ROOT/bench/configs/mxint8_linear_embedding.toml"

for tool in "$BUILD/bin/mase-compile" "$BUILD/bin/mase-run" "$PYTHON"; do
  [[ -x "$tool" ]] || { echo "cuda-pack: $tool is missing; run scripts/setup.sh and scripts/build.sh first" >&2; exit 2; }
done
rm -rf "$PACK"
mkdir -p "$PACK/bin" "$PACK/lib" "$PACK/models" "$PACK/python" "$PACK/bench"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# compile NAME ONNX BATCH SEQ KIND [MODE]: models/NAME.so.xz; KIND is a
# precision (f32, f16) or a quantize config file, applied in f32 in MODE
# (default native).
compile() {
  local name=$1 onnx=$2 batch=$3 seq=$4 kind=$5
  local options=(--precision="$kind")
  [[ -f "$kind" ]] && options=(--quant-config "$kind" --quant-mode="${6:-native}")
  echo "cuda-pack: $name ($CHIP)"
  "$BUILD/bin/mase-compile" "$onnx" --target=cuda --chip="$CHIP" "${options[@]}" \
    --cuda-gemm-min-blocks="$GEMM_MIN_BLOCKS" \
    --shape "input_ids=${batch}x$seq" --shape "attention_mask=${batch}x$seq" \
    --shape "token_type_ids=${batch}x$seq" -o "$PACK/models/$name.so"
  xz -T2 -6 "$PACK/models/$name.so"
}

# The bundled BERT (batch 2; its random weights hardly compress).
BERT_TINY="$ROOT/models/bert-tiny"
for precision in f32 f16; do
  wanted "bundled-$precision" || continue
  compile "bert-tiny-bundled-b2-$precision" "$BERT_TINY/bert_tiny_eager_ts.onnx" 2 128 "$precision"
  cp -r "$BERT_TINY/test_data_set_0" "$PACK/models/bert-tiny-bundled-b2-data"
done
# ... and quantised natively with MASE's configs, against MASE's outputs.
for quant in int8 bfp8; do
  wanted "bundled-$quant" || continue
  name="bert-tiny-bundled-b2-$quant"
  compile "$name" "$BERT_TINY/bert_tiny_eager_ts.onnx" 2 128 "$BERT_TINY/mase_reference/${quant}_linear.toml"
  mkdir "$PACK/models/$name-data"
  cp "$BERT_TINY"/test_data_set_0/input_*.pb "$PACK/models/$name-data/"
  cp "$BERT_TINY/mase_reference/${quant}_linear_output_0.pb" "$PACK/models/$name-data/output_0.pb"
done

manifest=()
for config in tiny base; do
  for batch in 1 32; do
    wanted "$config-b$batch-f32" || wanted "$config-b$batch-f16" ||
      wanted "$config-b$batch-mxint8" || wanted "$config-b$batch-mxint8-emulate" || continue
    out="$WORK/$config-b$batch"
    PYTHONPATH="$ROOT/python" "$PYTHON" -m mase.models.bert --config "$config" \
      --style torchscript --batch "$batch" --seq 128 --seed "$SEED" \
      --repeat-weights "$BLOCK" -o "$out"
    cp -r "$out/test_data_set_0" "$PACK/models/bert-$config-b$batch-data"
    for precision in f32 f16; do
      wanted "$config-b$batch-$precision" || continue
      compile "bert-$config-b$batch-$precision" "$out/model.onnx" "$batch" 128 "$precision"
      manifest+=("{\"library\": \"models/bert-$config-b$batch-$precision.so\", \"data\": \"models/bert-$config-b$batch-data\", \"config\": \"$config\", \"batch\": $batch, \"seq\": 128, \"precision\": \"$precision\", \"seed\": $SEED, \"repeat_weights\": $BLOCK}")
    done
    # MXINT8, native and emulated, against the CPU's emulation of MASE.
    name="bert-$config-b$batch-mxint8"
    for mode in native emulate; do
      suffix=; [[ $mode == emulate ]] && suffix=-emulate
      wanted "$config-b$batch-mxint8$suffix" || continue
      compile "$name$suffix" "$out/model.onnx" "$batch" 128 "$MXINT8_CONFIG" "$mode"
      [[ -d "$PACK/models/$name-data" ]] ||
        PYTHONPATH="$ROOT/python" MASE_BIN_DIR="$BUILD/bin" "$PYTHON" \
          "$ROOT/scripts/quant-reference.py" "$out/model.onnx" "$MXINT8_CONFIG" \
          "$out/test_data_set_0" "$PACK/models/$name-data"
      manifest+=("{\"library\": \"models/$name$suffix.so\", \"data\": \"models/$name-data\", \"config\": \"$config\", \"batch\": $batch, \"seq\": 128, \"precision\": \"f32\", \"quant\": \"mxint8\", \"quant_mode\": \"$mode\", \"seed\": $SEED, \"repeat_weights\": $BLOCK}")
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
cp "$ROOT/bench/bert_cuda.py" "$ROOT/bench/sdpa_cuda.py" "$ROOT/bench/gemm_cuda.py" "$PACK/bench/"
"$PYTHON" "$ROOT/bench/sdpa_cuda.py" --export "$PACK/sdpa" --mase-compile "$BUILD/bin/mase-compile"
"$PYTHON" "$ROOT/bench/gemm_cuda.py" --export "$PACK/gemm" --mase-compile "$BUILD/bin/mase-compile"

cat > "$PACK/run.sh" <<'RUN'
#!/usr/bin/env bash
# Unpacks the models, then runs each on its test data; exit status 1 when any
# fails. Tolerances against the f32 reference: f32 models to a relative error
# of 1e-5, f16 models to 1e-2; the bundled BERT quantised by MASE's configs
# against MASE's outputs to 1e-3; MXINT8 BERT against the CPU's emulation of
# MASE to 2e-2 absolute (MXINT8's rounding of every activation turns the
# GPU's float32 differences, 1e-7, into logit differences of 1e-3 to 1e-2,
# natively or emulated alike); each with a small absolute floor for logits
# near zero.
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
  # A quantised model has its own reference; the others share their BERT's.
  data="$PACK/models/$name-data"
  [[ -d "$data" ]] || data="$PACK/models/${name%-*}-data"
  case "$name" in
    *-f32) tolerance=(--rtol 1e-5 --atol 1e-6) ;;
    *-int8|*-bfp8) tolerance=(--rtol 1e-3 --atol 1e-4) ;;
    *-mxint8|*-mxint8-emulate) tolerance=(--rtol 1e-2 --atol 2e-2) ;;
    *) tolerance=(--rtol 1e-2 --atol 1e-3) ;;
  esac
  echo "== $name"
  "$PACK/bin/mase-run" "$model" --data "$data" "${tolerance[@]}" \
    --warmup 3 --iterations 20 "$@" || status=1
done
exit $status
RUN
chmod +x "$PACK/run.sh"

cat > "$PACK/session.sh" <<'SESSION'
#!/usr/bin/env bash
# Everything one GPU session measures, into OUT_DIR (default: $OUT, the lent
# machine's result folder): run.sh's checks (run.txt), the kernel profile of
# the largest BERT in the pack (profile.txt, MASE_CUDA_PROFILE=all), and the
# benchmarks against PyTorch (bert.json, gemm.json, sdpa.json), which
# `bench/*_cuda.py --record FILE --markdown docs/benchmarks.md` write into
# the docs on the build machine. Exit status: run.sh's.
set -uo pipefail
PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${1:-${OUT:?give a result folder}}"
mkdir -p "$OUT_DIR"
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
"$PACK/run.sh" > "$OUT_DIR/run.txt" 2>&1
status=$?
grep -E '^(==|PASS|FAIL|MISMATCH)|error' "$OUT_DIR/run.txt"
echo "run.sh: exit status $status"
export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
largest="$(ls -S "$PACK"/models/bert-*-b*.so 2>/dev/null | head -1)"
if [[ -n "$largest" ]]; then
  name="$(basename "$largest" .so)"
  MASE_CUDA_PROFILE=all "$PACK/bin/mase-run" "$largest" --data "$PACK/models/${name%-*}-data" \
    --rtol 1e-2 --atol 1e-3 --warmup 3 --iterations 20 > "$OUT_DIR/profile.txt" 2>&1
  echo "profile of $name:"; head -12 "$OUT_DIR/profile.txt"
fi
for bench in gemm sdpa bert; do
  python3 "$PACK/bench/${bench}_cuda.py" --pack "$PACK" --json "$OUT_DIR/$bench.json" 2>&1 | tail -4
done
exit $status
SESSION
chmod +x "$PACK/session.sh"
du -sh "$PACK"
