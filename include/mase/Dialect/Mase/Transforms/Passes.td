//===- Passes.td - mase dialect graph passes ---------------*- tablegen -*-===//

#ifndef MASE_DIALECT_MASE_TRANSFORMS_PASSES_TD
#define MASE_DIALECT_MASE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantizePass : Pass<"mase-quantize", "ModuleOp"> {
  let summary = "Quantise graph ops as a MASE quantize config says";
  let description = [{
    Reads a MASE quantize-pass config (TOML or JSON, with or without the
    `[passes.quantize]` wrapping; see docs/user-guide.md) and, for every op
    the config selects, inserts `mase.quantize` on the operands MASE
    quantises, with the configured formats (emulation: float in, float out,
    bit-exact with MASE). Constant operands (weights, biases) fold to
    quantised constants under `canonicalize`.

    Ops and what gets quantised (MASE's support matrix, spec section 6):
    `linear` (data_in, weight, bias, and data_out with `fixed`), `matmul`
    and `bmm` (data_in on the left operand, weight on the right), `add`,
    `sub`, `mul` (both operands with data_in), `relu` (data_in, unsigned for
    integer formats), `tanh`, `gelu`, `layer_norm` (data_in). Rules select
    ops by op type, by the dotted layer name (`mase.layer`) or by a regular
    expression on it; the first matching rule in file order applies, then
    `default`. Every problem (an unknown or missing key, a wrong value type,
    a format the op cannot take, a name or pattern that selects no layer, a
    shape the format cannot block) is an error naming the key and the layer.

    With `by = "type"` and a `linear` rule of `integer` formats:

    ```mlir
    %y = mase.linear %x, %w, %b {mase.layer = "fc1"}
           : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    ```

    becomes

    ```mlir
    %qx = mase.quantize %x : tensor<2x8xf32> to #mase.int<8, 4>
    %qw = mase.quantize %w : tensor<4x8xf32> to #mase.int<8, 7>
    %qb = mase.quantize %b : tensor<4xf32> to #mase.int<8, 7>
    %y = mase.linear %qx, %qw, %qb {mase.layer = "fc1"}
           : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    ```

    `mode=native` (default `emulate`) computes instead of simulating where
    a native kernel exists: a `linear` whose weight format is `integer` of at
    most 8 bits (7 unsigned) becomes `mase.int_linear` on the weight's i8
    codes (`mase.int_codes`, folded to an i8 constant by `canonicalize`),
    and on the activation's i8 codes as well when data_in is such an
    integer; the bias keeps its `mase.quantize`. The results equal emulate
    mode's (docs/design.md gives the argument and its limits). Other layers
    and formats are emulated. With the `integer` rule above:

    ```mlir
    %cx = mase.int_codes %x : tensor<2x8xf32> -> tensor<2x8xi8> in #mase.int<8, 4>
    %cw = mase.int_codes %w : tensor<4x8xf32> -> tensor<4x8xi8> in #mase.int<8, 7>
    %qb = mase.quantize %b : tensor<4xf32> to #mase.int<8, 7>
    %y = mase.int_linear %cx, %cw, %qb {input_format = #mase.int<8, 4>,
           mase.layer = "fc1", weight_format = #mase.int<8, 7>}
           : (tensor<2x8xi8>, tensor<4x8xi8>, tensor<4xf32>) -> tensor<2x4xf32>
    ```

    A `linear` whose weight is MXINT8 or block FP of at most 8 bits, in
    blocks along rows, becomes `mase.block_linear` on int8 mantissas and
    exponent bytes encoded at compile time, when data_in has mantissas in
    the same blocks.

    `integer-activations=0` (what `--target=cuda` sets) keeps activations
    in float: integer layers take their float input (through
    `mase.quantize` when data_in has a format) and block-scaled weights
    make a `float_input` `mase.block_linear` whatever data_in's format.
    Only the weights are stored as codes, and the GEMM dequantises them.

    `report` writes one line per candidate op: the layer, the op type, the
    rule that selected it, the format of each operand, and the weight's
    storage in bytes before and after (float32 against the format's bits,
    shared exponents and scales included).
  }];
  let options = [
    Option<"configPath", "config", "std::string", /*default=*/"\"\"",
           "MASE quantize config file (.toml or .json)">,
    Option<"configText", "config-text", "std::string", /*default=*/"\"\"",
           "The config itself, TOML or JSON text (instead of `config`)">,
    Option<"reportPath", "report", "std::string", /*default=*/"\"\"",
           "Write the per-layer report to this file ('-': standard output)">,
    Option<"mode", "mode", "std::string", /*default=*/"\"emulate\"",
           "'emulate' (float compute, simulated formats) or 'native' "
           "(integer kernels on i8 codes where supported)">,
    Option<"integerActivations", "integer-activations", "bool",
           /*default=*/"true",
           "In native mode, compute on integer codes of activations where "
           "the formats allow (the CPU's int8 kernels); false keeps "
           "activations in float and only the weights in codes">,
  ];
  let dependentDialects = ["mase::MaseDialect"];
}

def PrunePass : Pass<"mase-prune", "ModuleOp"> {
  let summary = "Prune weights as a MASE prune config says";
  let description = [{
    Reads a MASE prune-pass config (TOML or JSON, with or without the
    `[passes.prune]` wrapping: `weight` and `activation` tables with
    `sparsity`, `scope`, `method`, `granularity`; mase adds a top-level
    `seed`) and prunes the constant weight of every `mase.linear` and
    `mase.conv2d` at compile time, as MASE's parametrisation computes it:

    - `l1-norm`: the threshold is torch.quantile of |W| at `sparsity` with
      linear interpolation in float32, over the layer's weight (`local`) or
      over every pruned layer's weights together (`global`); the mask keeps
      |w| > threshold (ties at the threshold go, and sparsity 0 still prunes
      the smallest weights); the weight becomes `w * mask` (a pruned
      negative weight is -0.0). Bit-exact with MASE (its golden masks are
      unit tests).
    - `random`: each weight is kept when a uniform draw is at least
      `sparsity`, from this project's generator (splitmix64, seeded with
      `seed` and the layer's position): reproducible, but not torch's
      random numbers. Global random is local random, as in MASE.

    Beyond MASE, weights take two structured granularities: `"n:m"` (keys
    `n`, `m`) keeps the n of every m consecutive weights along a row (the
    reduction dimension) with the largest magnitudes (`l1-norm`; equal
    magnitudes in index order) or n drawn at random (`random`), so the
    sparsity is 1 - n/m; `"block"` (key `block = [r, c]`) scores each r x c
    block of the weight matrix (output features by the rest) by its L1 norm
    and prunes whole blocks, with the elementwise rules above applied to
    the block norms (local or global threshold; random keeps each block
    with probability 1 - sparsity).

    The masked weight replaces the constant, so the mask is folded.
    Activations: local `l1-norm` puts a `mase.prune_activation` on each
    pruned layer's input (the threshold over the whole input tensor,
    recomputed on every run, as MASE's forward pre-hook does), and declares
    the model support function it lowers to; `random` at sparsity 0 keeps
    everything. Random activation masks (torch's generator on every call)
    and global activation scope (MASE's recorded activations) are errors
    rather than silent differences. `report` writes one line per layer: the
    method and scope, the threshold, the sparsity reached and the weight's
    size.
  }];
  let options = [
    Option<"configPath", "config", "std::string", /*default=*/"\"\"",
           "MASE prune config file (.toml or .json)">,
    Option<"configText", "config-text", "std::string", /*default=*/"\"\"",
           "The config itself, TOML or JSON text (instead of `config`)">,
    Option<"reportPath", "report", "std::string", /*default=*/"\"\"",
           "Write the per-layer report to this file ('-': standard output)">,
  ];
  let dependentDialects = ["mase::MaseDialect", "arith::ArithDialect",
                           "func::FuncDialect"];
}

def SparseWeightsPass : Pass<"mase-sparse-weights", "ModuleOp"> {
  let summary = "Store sparse linear weights in compressed rows where that pays";
  let description = [{
    For every `mase.linear` whose weight is a float32 constant (pruning
    and emulated quantisation fold theirs) with at least `threshold` of its
    elements zero, and at most 65536 input features: the weight becomes
    compressed sparse rows (i32 offsets, 16-bit columns, f32 values: 6 bytes
    per nonzero against 4 per weight) and the layer `mase.sparse_linear`,
    whose kernel multiplies only the nonzeros (`mase_sparse_gemm`, declared
    here). Zeros are +0.0 or -0.0 alike. The default threshold is where the
    sparse kernel overtook the dense GEMM on BERT-base's shapes
    (docs/benchmarks.md). `report` writes one line per linear layer: its
    sparsity, the storage chosen and the weight's bytes before and after.
  }];
  let options = [
    Option<"threshold", "threshold", "double", /*default=*/"0.5",
           "Smallest fraction of zeros stored sparse (above 1: none)">,
    Option<"reportPath", "report", "std::string", /*default=*/"\"\"",
           "Write the per-layer report to this file ('-': standard output)">,
    Option<"appendReport", "append-report", "bool", /*default=*/"false",
           "Append to the report file instead of replacing it">,
  ];
  let dependentDialects = ["mase::MaseDialect", "arith::ArithDialect",
                           "func::FuncDialect"];
}

def FuseSdpaPass : Pass<"mase-fuse-sdpa", "ModuleOp"> {
  let summary = "Fuse scaled dot-product attention into mase.sdpa";
  let description = [{
    Every `mase.softmax` is an attention site. A site fuses when the graph
    around it is `matmul(softmax(add?(scale?(matmul(Q, K^T)), mask)), V)`
    with rank-4 operands, the softmax on the last axis (optionally followed
    by PyTorch SDPA's guard `where(isnan(p), 0, p)`, which becomes
    `zero_nan_rows`), the scale a `mul` or `div` by a scalar constant (or
    `Q` or `K^T` multiplied by one before the product), the mask any
    tensor of the scores' element type added to the scores that does not
    enlarge them (the Sub/Mul/Where/Cast chains exporters build it with
    stay as they are), and every intermediate used only once. The match
    becomes one `mase.sdpa` (declaring the CPU kernel it lowers to when it
    is f32). Only scores of one of `element-types` fuse: those the target
    has a kernel for. `report` writes one line per site: fused, with its
    scale and shapes, or not fused, with the step of the pattern that failed
    and why; then a total.
  }];
  let options = [
    Option<"reportPath", "report", "std::string", /*default=*/"\"\"",
           "Write the per-site report to this file ('-': standard output)">,
    ListOption<"elementTypes", "element-types", "std::string",
               "The element types attention fuses in: f32 (the default, "
               "the CPU kernel's), f16, bf16 (the GPU kernel's)">,
  ];
  let dependentDialects = ["mase::MaseDialect", "func::FuncDialect"];
}

def FuseGeluPass : Pass<"mase-fuse-gelu", "ModuleOp"> {
  let summary = "Fuse the exporters' erf form of GELU into mase.gelu";
  let description = [{
    PyTorch's exporter writes the exact GELU (Hugging Face's `gelu`,
    `torch.nn.functional.gelu`) as `x * 0.5 * (1 + erf(x / sqrt(2)))`:
    five graph ops. Each such chain, in either association, with the
    division a product by `1 / sqrt(2)` or the constants on either side of
    the commuting ops, and every intermediate used once, becomes one
    `mase.gelu` (exact), which a target can compute in one step (the GPU
    GEMM applies it to the sum as it stores it). Constants match to 1e-3
    relative, so that a graph run in f16 (where sqrt(2) rounds to
    1.4140625) fuses too. With `element-types`, only chains of those
    element types fuse (the GPU pipeline asks for f16 and bf16, those its
    GEMM takes, leaving f32 graphs as the CPU's).
  }];
  let options = [
    ListOption<"elementTypes", "element-types", "std::string",
               "Fuse only chains of these element types (f32, f16, bf16; "
               "default: all)">,
  ];
  let dependentDialects = ["mase::MaseDialect"];
}

def ConvertFloatPass : Pass<"mase-convert-float", "ModuleOp"> {
  let summary = "Run a float32 graph in float16 or bfloat16";
  let description = [{
    Rewrites `@main`'s graph so that every f32 tensor becomes `to` (`f16` or
    `bf16`): op results change type, f32 constants are rounded to the nearest
    value of the new type, with values past its range clamped to its largest
    finite value (as onnxconverter-common's float16 conversion does, so the
    float32 minimum that attention masks use stays finite). The model keeps
    its interface: f32 inputs are cast to `to` on entry and results cast back
    to f32 before the return. Op attributes (a layer norm's epsilon) keep
    their f32 values. Other element types (integer ids, masks) are left
    alone.
  }];
  let options = [
    Option<"to", "to", "std::string", /*default=*/"\"f16\"",
           "The float type to compute in: f16 or bf16">,
  ];
  let dependentDialects = ["mase::MaseDialect", "func::FuncDialect",
                           "arith::ArithDialect"];
}

#endif // MASE_DIALECT_MASE_TRANSFORMS_PASSES_TD
