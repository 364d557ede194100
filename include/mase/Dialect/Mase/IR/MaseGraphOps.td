//===- MaseGraphOps.td - mase graph-level operations -------*- tablegen -*-===//
//
// The graph-level operations of the `mase` dialect, named after MASE's
// operator vocabulary. They work on statically shaped tensors and take their
// result type explicitly (the ONNX importer computes it); the verifiers check
// that operands, attributes and result type agree. Included from MaseOps.td,
// so the op classes come from the same MaseOps.*.inc; the C++ is in
// lib/Dialect/Mase/IR/MaseGraphOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_MASEGRAPHOPS_TD
#define MASE_DIALECT_MASE_IR_MASEGRAPHOPS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Mase_AnyStaticTensor : StaticShapeTensorOf<[AnyType]>;
def Mase_NumericTensor : StaticShapeTensorOf<[AnyFloat, AnyInteger]>;
def Mase_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def Mase_BoolTensor : StaticShapeTensorOf<[I1]>;
def Mase_IntegerTensor : StaticShapeTensorOf<[AnyInteger]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

// A graph op. Graph ops are `Pure` unless they can fail at run time on bad
// data (integer division by zero, out-of-range indices): those are only
// `NoMemoryEffect`, so they are not hoisted out of a guarding condition.
class Mase_GraphOp<string mnemonic, list<Trait> traits = [],
                   list<Trait> effects = [Pure]>
    : Mase_Op<mnemonic, !listconcat(effects, traits)>;

// Elementwise binary op with ONNX/numpy multidirectional broadcasting.
class Mase_BroadcastBinaryOp<string mnemonic, Type operandType,
                             Type resultType, list<Trait> effects = [Pure]>
    : Mase_GraphOp<mnemonic, [], effects> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

// `lhs <op> rhs` on float or integer tensors; result of the same element type.
class Mase_ArithmeticOp<string mnemonic, string what,
                        list<Trait> effects = [Pure]>
    : Mase_BroadcastBinaryOp<mnemonic, Mase_NumericTensor, Mase_NumericTensor,
                             effects> {
  let summary = "Elementwise " # what # " with broadcasting";
  let description = [{
    Computes the elementwise }] # what # [{ of two float or integer
    tensors of the same element type, after ONNX/numpy multidirectional
    broadcasting: shapes are aligned at their trailing dimension and each
    pair of sizes must be equal or contain a 1. The result type is given
    explicitly; its shape must be the broadcast shape of the operands and its
    element type theirs.

    ```mlir
    %r = mase.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

// `lhs <cmp> rhs`: float or integer operands of one element type, i1 result.
class Mase_ComparisonOp<string mnemonic, string what>
    : Mase_BroadcastBinaryOp<mnemonic, Mase_NumericTensor, Mase_BoolTensor> {
  let summary = "Elementwise `" # what # "` comparison with broadcasting";
  let description = [{
    Compares two tensors elementwise (`lhs }] # what # [{ rhs`) after
    ONNX/numpy multidirectional broadcasting. The operands have the same
    (float or integer) element type; the result is an `i1` tensor of the
    broadcast shape.

    ```mlir
    %r = mase.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
    ```
  }];
}

// Boolean `lhs <op> rhs` on i1 tensors.
class Mase_LogicalOp<string mnemonic>
    : Mase_BroadcastBinaryOp<mnemonic, Mase_BoolTensor, Mase_BoolTensor> {
  let summary = "Elementwise logical `" # mnemonic # "` with broadcasting";
  let description = [{
    Computes the elementwise logical `}] # mnemonic # [{` of two `i1`
    tensors after ONNX/numpy multidirectional broadcasting; the result is an
    `i1` tensor of the broadcast shape.

    ```mlir
    %r = mase.}] # mnemonic # [{ %a, %b : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
    ```
  }];
}

// Elementwise unary op: the result has the operand's type.
class Mase_UnaryOp<string mnemonic, Type type, string what,
                   list<Trait> traits = []>
    : Mase_GraphOp<mnemonic, !listconcat([SameOperandsAndResultType], traits)> {
  let summary = "Apply " # what # " elementwise";
  let description = [{
    Applies }] # what # [{ to every element of a tensor; the result
    has the operand's type.

    ```mlir
    %r = mase.}] # mnemonic # [{ %x : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins type:$input);
  let results = (outs type:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

// Reduction of `input` over `axes`.
class Mase_ReduceOp<string mnemonic, string what>
    : Mase_GraphOp<mnemonic> {
  let summary = "Reduce a tensor to its " # what # " over some axes";
  let description = [{
    Takes the }] # what # [{ of `input` over the dimensions
    listed in `axes` (each in `[-rank, rank)`, negative ones counting from the
    end, no dimension twice). Reduced dimensions are kept with size 1 when
    `keepdims` is true and dropped otherwise. An empty `axes` reduces nothing
    (the importer spells out ONNX's "empty means all" as the full list). The
    result has the input's element type.

    ```mlir
    %r = mase.}] # mnemonic # [{ %x {axes = array<i64: -1>, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins Mase_NumericTensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs Mase_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary operations
//===----------------------------------------------------------------------===//

def Mase_AddOp : Mase_ArithmeticOp<"add", "sum">;
def Mase_SubOp : Mase_ArithmeticOp<"sub", "difference">;
def Mase_MulOp : Mase_ArithmeticOp<"mul", "product">;
// Integer division by zero is undefined: not speculatable.
def Mase_DivOp : Mase_ArithmeticOp<"div", "quotient", [NoMemoryEffect]>;
def Mase_PowOp : Mase_ArithmeticOp<"pow", "power (`lhs` to the `rhs`)">;
def Mase_MaxOp : Mase_ArithmeticOp<"max", "maximum">;
def Mase_MinOp : Mase_ArithmeticOp<"min", "minimum">;

def Mase_EqualOp : Mase_ComparisonOp<"equal", "==">;
def Mase_LessOp : Mase_ComparisonOp<"less", "<">;
def Mase_GreaterOp : Mase_ComparisonOp<"greater", ">">;
def Mase_GreaterEqualOp : Mase_ComparisonOp<"greater_equal", ">=">;
def Mase_LessEqualOp : Mase_ComparisonOp<"less_equal", "<=">;

def Mase_AndOp : Mase_LogicalOp<"and">;
def Mase_OrOp : Mase_LogicalOp<"or">;
def Mase_XorOp : Mase_LogicalOp<"xor">;

def Mase_WhereOp : Mase_GraphOp<"where"> {
  let summary = "Elementwise select with broadcasting";
  let description = [{
    Picks `true_value` where `condition` is true and `false_value` elsewhere,
    after broadcasting all three operands together (ONNX `Where`). The two
    values and the result share an element type; the result shape is the
    broadcast shape of the three operands.

    ```mlir
    %r = mase.where %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Mase_BoolTensor:$condition,
                       Mase_AnyStaticTensor:$true_value,
                       Mase_AnyStaticTensor:$false_value);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$condition `,` $true_value `,` $false_value attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary operations
//===----------------------------------------------------------------------===//

def Mase_ReluOp : Mase_UnaryOp<"relu", Mase_NumericTensor, "`max(x, 0)`">;
def Mase_ErfOp : Mase_UnaryOp<"erf", Mase_FloatTensor, "the error function">;
def Mase_TanhOp
    : Mase_UnaryOp<"tanh", Mase_FloatTensor, "the hyperbolic tangent">;
def Mase_SigmoidOp : Mase_UnaryOp<"sigmoid", Mase_FloatTensor,
                                  "the logistic sigmoid `1 / (1 + exp(-x))`">;
def Mase_ExpOp : Mase_UnaryOp<"exp", Mase_FloatTensor, "the exponential">;
def Mase_LogOp : Mase_UnaryOp<"log", Mase_FloatTensor, "the natural logarithm">;
def Mase_SqrtOp : Mase_UnaryOp<"sqrt", Mase_FloatTensor, "the square root">;
def Mase_NegOp : Mase_UnaryOp<"neg", Mase_NumericTensor, "negation">;
def Mase_AbsOp : Mase_UnaryOp<"abs", Mase_NumericTensor, "the absolute value">;
def Mase_ReciprocalOp
    : Mase_UnaryOp<"reciprocal", Mase_FloatTensor, "the reciprocal `1 / x`">;
def Mase_NotOp : Mase_UnaryOp<"not", Mase_BoolTensor, "logical negation"> {
  let description = [{
    Negates every element of an `i1` tensor.

    ```mlir
    %r = mase.not %x : tensor<4xi1>
    ```
  }];
}

def Mase_GeluOp : Mase_UnaryOp<"gelu", Mase_FloatTensor,
                               "the Gaussian error linear unit"> {
  let description = [{
    `x * Phi(x)` elementwise, with `Phi` the standard normal CDF computed
    exactly (`approximate = "none"`, the default, elided when printed) or by
    the tanh approximation (`approximate = "tanh"`), as PyTorch's and ONNX's
    `Gelu`. The result has the operand's type.

    ```mlir
    %r = mase.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Mase_FloatTensor:$input,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}

def Mase_PruneActivationOp
    : Mase_GraphOp<"prune_activation", [SameOperandsAndResultType]> {
  let summary = "Zero the smallest activations, as MASE's l1-norm hook does";
  let description = [{
    MASE's local l1-norm activation pruning, recomputed on every run over
    the whole tensor (batch included): the threshold is torch.quantile of
    |x| at `sparsity` with linear interpolation, and the result is
    `x * (|x| > threshold)` (ties at the threshold are pruned, a pruned
    negative becomes -0.0). `mase-prune` inserts it on the input of each
    pruned layer.

    ```mlir
    %r = mase.prune_activation %x {sparsity = 5.000000e-01 : f32} : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins TensorOf<[F32]>:$input, F32Attr:$sparsity);
  let results = (outs TensorOf<[F32]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Mase_CastOp : Mase_GraphOp<"cast", [SameOperandsAndResultShape]> {
  let summary = "Convert the element type of a tensor";
  let description = [{
    Converts every element to the result's element type (any element type to
    any other, as ONNX `Cast`); the shape is unchanged.

    ```mlir
    %r = mase.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
}

//===----------------------------------------------------------------------===//
// Neural-network operations
//===----------------------------------------------------------------------===//

def Mase_SoftmaxOp : Mase_GraphOp<"softmax", [SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x) / sum(exp(x))` along dimension `axis` (in `[-rank, rank)`;
    negative values count from the end). The result has the operand's type.

    ```mlir
    %r = mase.softmax %x {axis = -1 : i64} : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Mase_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Mase_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Mase_LayerNormOp : Mase_GraphOp<"layer_norm", [AttrSizedOperandSegments]> {
  let summary = "Layer normalisation over the trailing dimensions";
  let description = [{
    Normalises `input` to zero mean and unit variance over the dimensions from
    `axis` (in `[-rank, rank)`) to the last, with `epsilon` added to the
    variance, then multiplies by `weight` and adds `bias` when present (ONNX
    `LayerNormalization`, PyTorch `layer_norm`). `weight` and `bias` have the
    shape `input.shape[axis:]`; every operand and the result share the
    element type, and the result has the input's type.

    ```mlir
    %r = mase.layer_norm %x weight(%w) bias(%b) {axis = -1 : i64, epsilon = 9.99999974E-6 : f32}
           : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Mase_FloatTensor:$input,
                       Optional<Mase_FloatTensor>:$weight,
                       Optional<Mase_FloatTensor>:$bias,
                       I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs Mase_FloatTensor:$result);
  let assemblyFormat = "$input (`weight` `(` $weight^ `)`)? "
                       "(`bias` `(` $bias^ `)`)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_LinearOp : Mase_GraphOp<"linear"> {
  let summary = "Fully connected layer `x W^T + b`";
  let description = [{
    `input` is `[..., in_features]`, `weight` is `[out_features, in_features]`
    (the PyTorch and MASE layout) and the optional `bias` is `[out_features]`;
    the result is `[..., out_features]`, `input W^T + bias`. All operands and
    the result share the element type.

    ```mlir
    %y = mase.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins Mase_NumericTensor:$input, Mase_NumericTensor:$weight,
                       Optional<Mase_NumericTensor>:$bias);
  let results = (outs Mase_NumericTensor:$result);
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_MatmulOp : Mase_GraphOp<"matmul"> {
  let summary = "Matrix product with numpy semantics";
  let description = [{
    The product of the last two dimensions of `lhs` (`[..., m, k]`) and `rhs`
    (`[..., k, n]`), with the leading (batch) dimensions broadcast together,
    as `numpy.matmul` and ONNX `MatMul`: a 1-D `lhs` is a row `[1, k]` and a
    1-D `rhs` a column `[k, 1]`, and that dimension is dropped from the
    result. Both operands and the result share the element type.

    ```mlir
    %r = mase.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
    ```
  }];
  let arguments = (ins Mase_NumericTensor:$lhs, Mase_NumericTensor:$rhs);
  let results = (outs Mase_NumericTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_EmbeddingOp : Mase_GraphOp<"embedding", [], [NoMemoryEffect]> {
  let summary = "Look up rows of an embedding table";
  let description = [{
    Replaces every integer index of `indices` (`[...]`) by that row of
    `table` (`[num_embeddings, embedding_dim]`); the result is
    `[..., embedding_dim]` with the table's element type. An index out of
    range is an error at run time, so the op is not speculatable.

    ```mlir
    %r = mase.embedding %ids, %table : (tensor<2x5xi64>, tensor<100x16xf32>) -> tensor<2x5x16xf32>
    ```
  }];
  let arguments = (ins Mase_IntegerTensor:$indices,
                       Mase_AnyStaticTensor:$table);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat =
      "$indices `,` $table attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_GatherOp : Mase_GraphOp<"gather", [], [NoMemoryEffect]> {
  let summary = "Gather slices along an axis (ONNX `Gather`)";
  let description = [{
    Indexes dimension `axis` (in `[-rank, rank)`) of `input` with the integer
    tensor `indices` (negative indices count from the end at run time): the
    result shape is `input.shape[:axis] + indices.shape +
    input.shape[axis+1:]`, with the input's element type. An index out of
    range is an error at run time, so the op is not speculatable.

    ```mlir
    %r = mase.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2xi64>) -> tensor<3x2x5xf32>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input,
                       Mase_IntegerTensor:$indices, I64Attr:$axis);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat =
      "$input `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// The sliding-window attributes of conv2d and the 2-D pooling ops, named as
// PyTorch's: `stride` and `dilation` hold one value per spatial dimension
// (height, width; each >= 1) and `padding` four, ONNX's order
// `[top, left, bottom, right]` (each >= 0), so padding may be asymmetric.
// Output size per spatial dimension, for input size `in`, kernel `k`:
// `floor((in + pad_begin + pad_end - ((k - 1) * dilation + 1)) / stride) + 1`.

def Mase_Conv2dOp : Mase_GraphOp<"conv2d"> {
  let summary = "2-D convolution over NCHW tensors";
  let description = [{
    Cross-correlates `input` (`[N, C, H, W]`) with `weight`
    (`[F, C / groups, KH, KW]`) and adds `bias` (`[F]`) when present
    (PyTorch `conv2d`, ONNX `Conv`): the channels are split into `groups`
    groups, output channel `f` reading input group `f / (F / groups)`. The
    result is `[N, F, OH, OW]` (see the output size rule above); every
    operand and the result share the element type.

    ```mlir
    %y = mase.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>,
                                 dilation = array<i64: 1, 1>, groups = 1 : i64}
           : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins Mase_FloatTensor:$input, Mase_FloatTensor:$weight,
                       Optional<Mase_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Mase_FloatTensor:$result);
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mase_MaxPool2dOp : Mase_GraphOp<"max_pool2d"> {
  let summary = "2-D max pooling over NCHW tensors";
  let description = [{
    The maximum of every `kernel_size` window (PyTorch `max_pool2d`, ONNX
    `MaxPool`); padding never wins. With `ceil_mode` the output size rounds
    up instead of down, except that no window starts in the end padding. The
    result is `[N, C, OH, OW]` with the input's element type (float or
    integer).

    ```mlir
    %y = mase.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                             padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                             ceil_mode = false} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
    ```
  }];
  let arguments = (ins Mase_NumericTensor:$input,
                       DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
  let results = (outs Mase_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mase_AvgPool2dOp : Mase_GraphOp<"avg_pool2d"> {
  let summary = "2-D average pooling over NCHW tensors";
  let description = [{
    The mean of every `kernel_size` window (PyTorch `avg_pool2d`, ONNX
    `AveragePool`). With `count_include_pad` the divisor counts the padding
    (but not what `ceil_mode` adds past it); without, only the input
    elements in the window. `ceil_mode` as for `mase.max_pool2d`. The result
    is `[N, C, OH, OW]` with the input's float element type.

    ```mlir
    %y = mase.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>,
                             padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>,
                             ceil_mode = false, count_include_pad = false}
           : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins Mase_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode,
                       BoolAttr:$count_include_pad);
  let results = (outs Mase_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape movement
//===----------------------------------------------------------------------===//

def Mase_ReshapeOp : Mase_GraphOp<"reshape"> {
  let summary = "Reinterpret a tensor with another shape";
  let description = [{
    Keeps the elements in row-major order and gives them the result's shape;
    the element counts and element types must match.

    ```mlir
    %r = mase.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mase_TransposeOp : Mase_GraphOp<"transpose"> {
  let summary = "Permute the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`; `permutation`
    is a permutation of `[0, rank)`.

    ```mlir
    %r = mase.transpose %x {permutation = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mase_ConcatOp : Mase_GraphOp<"concat"> {
  let summary = "Concatenate tensors along an axis";
  let description = [{
    Joins one or more tensors of the same rank and element type along
    dimension `axis` (in `[-rank, rank)`); all other dimensions must agree.

    ```mlir
    %r = mase.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Mase_AnyStaticTensor>:$inputs, I64Attr:$axis);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

def Mase_SliceOp : Mase_GraphOp<"slice"> {
  let summary = "Strided slice with one start, end and step per dimension";
  let description = [{
    Takes, in every dimension `d` of size `n`, the indices `starts[d]`,
    `starts[d] + steps[d]`, ... up to but excluding `ends[d]` (ONNX `Slice`
    after normalisation: the importer fills in every dimension and clamps).
    Steps are non-zero; with a positive step `0 <= start, end <= n`, with a
    negative step `-1 <= start, end <= n - 1` (`end = -1` runs through index
    0). Result dimension `d` has `max(0, ceil((end - start) / step))`
    elements.

    ```mlir
    %r = mase.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 4, 7>, steps = array<i64: 2, 3>}
           : tensor<4x8xf32> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mase_ExpandOp : Mase_GraphOp<"expand"> {
  let summary = "Broadcast a tensor to the result shape";
  let description = [{
    Broadcasts `input` to the result's shape by numpy rules (ONNX `Expand`,
    with the importer folding the broadcast of input and target shape into
    the result type): broadcasting the input shape with the result shape must
    give the result shape. Element types match.

    ```mlir
    %r = mase.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Mase_AnyStaticTensor:$input);
  let results = (outs Mase_AnyStaticTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mase_ReduceMeanOp : Mase_ReduceOp<"reduce_mean", "mean">;
def Mase_ReduceSumOp : Mase_ReduceOp<"reduce_sum", "sum">;
def Mase_ReduceMaxOp : Mase_ReduceOp<"reduce_max", "maximum">;

#endif // MASE_DIALECT_MASE_IR_MASEGRAPHOPS_TD
