// RUN: mase-opt %s --split-input-file --mase-quantize="config=%S/Inputs/quantize/embedding.toml" | FileCheck %s --check-prefix=EMULATE
// RUN: mase-opt %s --split-input-file --mase-quantize="config=%S/Inputs/quantize/embedding.toml mode=native" | FileCheck %s --check-prefix=NATIVE
// RUN: mase-opt %s --split-input-file --mase-quantize="config=%S/Inputs/quantize/embedding.toml mode=native report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: mase-opt %s --split-input-file --mase-quantize="config=%S/Inputs/quantize/by-type.toml" | FileCheck %s --check-prefix=DEFAULT
// RUN: mase-opt %s --split-input-file --mase-quantize="config=%S/Inputs/quantize/by-type.toml report=-" -o /dev/null | FileCheck %s --check-prefix=DEFAULT-REPORT
// RUN: not mase-opt %s --split-input-file --mase-quantize='config-text={"by": "type", "embedding": {"config": {"name": "integer", "weight_width": 8, "weight_frac_width": 4}}}' 2>&1 | FileCheck %s --check-prefix=MATRIX
// RUN: not mase-opt %s --split-input-file --mase-quantize='config-text={"by": "name", "emb.word": {"config": {"name": "mxint8"}}}' 2>&1 | FileCheck %s --check-prefix=MISSING

// An embedding table quantised like a weight: emulation quantises the
// table; native mode stores its MXINT8 mantissas and scale bytes
// (0.5 = 64 * 2^(126 - 133)) and dequantises the rows it gathers.

// EMULATE-LABEL: func.func @word
// EMULATE: %[[T:.*]] = mase.quantize %{{.*}} : tensor<10x64xf32> to #mase.mxint8<block = 32>
// EMULATE: mase.embedding %arg0, %[[T]]
// NATIVE-LABEL: func.func @word
// NATIVE-DAG: %[[M:.*]] = arith.constant dense<64> : tensor<10x64xi8>
// NATIVE-DAG: %[[E:.*]] = arith.constant dense<126> : tensor<10x2xi8>
// NATIVE: mase.block_embedding %arg0, %[[M]], %[[E]] {block = 32 : i64, mase.layer = "emb.word"}
// NATIVE-SAME: (tensor<2x3xi64>, tensor<10x64xi8>, tensor<10x2xi8>) -> tensor<2x3x64xf32>
// REPORT: emb.word embedding rule=embedding native weight=#mase.mxint8<block = 32> weight_bytes=2560->660
// The integer default leaves tables alone, and out of the report.
// DEFAULT-REPORT-NOT: embedding
// DEFAULT-REPORT: total: 0 of 0 ops quantised, weight_bytes=0->0
// DEFAULT-LABEL: func.func @word
// DEFAULT-NOT: mase.quantize
// DEFAULT: mase.embedding %arg0, %cst
// MATRIX: error: layer 'emb.word' (embedding): embedding.config.name: embedding cannot take format 'integer' (it takes: mxint8)
// MISSING: error: layer 'emb.word' (embedding): emb.word.config.weight_block_size: missing (embedding quantises its weight)
func.func @word(%ids: tensor<2x3xi64>) -> tensor<2x3x64xf32> {
  %t = arith.constant dense<0.5> : tensor<10x64xf32>
  %e = mase.embedding %ids, %t {mase.layer = "emb.word"} : (tensor<2x3xi64>, tensor<10x64xf32>) -> tensor<2x3x64xf32>
  return %e : tensor<2x3x64xf32>
}

// -----

// Rows of 48 are not whole groups of 32: the groups straddle rows, which
// only emulation computes.

// NATIVE-LABEL: func.func @straddle
// NATIVE-NOT: mase.block_embedding
// NATIVE: mase.quantize %{{.*}} : tensor<4x48xf32> to #mase.mxint8<block = 32>
// REPORT: emb.narrow embedding rule=embedding emulated="table: rows of 48 are not whole groups of 32" weight=#mase.mxint8<block = 32>
func.func @straddle(%ids: tensor<5xi32>) -> tensor<5x48xf32> {
  %t = arith.constant dense<0.25> : tensor<4x48xf32>
  %e = mase.embedding %ids, %t {mase.layer = "emb.narrow"} : (tensor<5xi32>, tensor<4x48xf32>) -> tensor<5x48xf32>
  return %e : tensor<5x48xf32>
}
