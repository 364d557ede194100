//===- MaseGraphOps.cpp - mase graph-level operations ---------------------===//
//
// Verifiers of the graph ops declared in MaseGraphOps.td. The op classes
// themselves are generated into MaseOps.cpp.inc (compiled by MaseOps.cpp);
// this file holds the shared shape checks and each op's `verify()`.
//
// Every op takes its result type explicitly, so a verifier computes the shape
// (and element type) the operands and attributes imply and compares it with
// the result type. ODS guarantees statically shaped tensors.
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>
#include <string>
#include <utility>

using namespace mlir;
using namespace mlir::mase;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// `[2, 3]` for a shape (`[]` for a scalar tensor).
static std::string shapeStr(ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         "]";
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

static Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// The ONNX/numpy multidirectional broadcast of `shapes`: aligned at the
/// trailing dimension, each size is equal to the others or 1. std::nullopt
/// when they are incompatible. The one broadcast computation of the dialect
/// (binary ops, where, expand, matmul batch dimensions).
static std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> shape : shapes)
    rank = std::max(rank, shape.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> shape : shapes) {
    size_t offset = rank - shape.size();
    for (auto [i, size] : llvm::enumerate(shape)) {
      int64_t &out = result[offset + i];
      if (size == out || size == 1)
        continue;
      if (out != 1)
        return std::nullopt;
      out = size;
    }
  }
  return result;
}

/// The broadcast shape of the named operands, or an error naming them all.
static FailureOr<SmallVector<int64_t>>
broadcastOperands(Operation *op,
                  ArrayRef<std::pair<StringRef, Value>> operands) {
  auto shapes = llvm::map_to_vector(
      operands, [](auto &named) { return shapeOf(named.second); });
  if (std::optional<SmallVector<int64_t>> result = broadcastShapes(shapes))
    return *result;
  InFlightDiagnostic diag =
      op->emitOpError("operand shapes are not broadcast-compatible: ");
  llvm::interleaveComma(operands, diag, [&](auto &named) {
    diag << named.first << " " << shapeStr(shapeOf(named.second));
  });
  return failure();
}

/// Checks the result shape against the one the operands imply (`what`
/// describes it in the error).
static LogicalResult verifyResultShape(Operation *op,
                                       ArrayRef<int64_t> expected,
                                       StringRef what = "expected shape") {
  ArrayRef<int64_t> actual = shapeOf(op->getResult(0));
  if (actual == expected)
    return success();
  return op->emitOpError("result shape ")
         << shapeStr(actual) << " does not match the " << what << " "
         << shapeStr(expected);
}

/// Checks that the named values (absent optional operands skipped) have the
/// element type of the first.
static LogicalResult
verifySameElementType(Operation *op,
                      ArrayRef<std::pair<StringRef, Value>> values) {
  const std::pair<StringRef, Value> *reference = nullptr;
  for (const auto &named : values) {
    if (!named.second)
      continue;
    if (!reference) {
      reference = &named;
      continue;
    }
    Type expected = elementTypeOf(reference->second);
    Type actual = elementTypeOf(named.second);
    if (actual != expected)
      return op->emitOpError()
             << named.first << " element type " << actual << " does not match "
             << reference->first << " element type " << expected;
  }
  return success();
}

/// A weighted layer's optional bias is `[weight[0]]` (`outName` names that
/// dimension in the message) and every operand has the input's element type.
template <typename WeightedOp>
static LogicalResult verifyBiasAndElementTypes(WeightedOp op,
                                               StringRef outName) {
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  if (Value bias = op.getBias(); bias && shapeOf(bias) != weight.take_front())
    return op.emitOpError("bias shape ")
           << shapeStr(shapeOf(bias)) << " does not match [" << outName
           << "] = " << shapeStr(weight.take_front());
  return verifySameElementType(op, {{"input", op.getInput()},
                                    {"weight", op.getWeight()},
                                    {"bias", op.getBias()},
                                    {"result", op.getResult()}});
}

/// `axis` mapped into [0, rank), negative values counting from the end.
static FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis,
                                        int64_t rank, StringRef name = "axis") {
  if (axis >= -rank && axis < rank)
    return axis < 0 ? axis + rank : axis;
  op->emitOpError() << name << " " << axis << " is out of range [" << -rank
                    << ", " << rank << ") for an operand of rank " << rank;
  return failure();
}

/// Shared verifier of the broadcasting elementwise ops: the result shape is
/// the broadcast of the operand shapes, and the values in `sameElementType`
/// share an element type.
static LogicalResult
verifyBroadcastOp(Operation *op, ArrayRef<std::pair<StringRef, Value>> operands,
                  ArrayRef<std::pair<StringRef, Value>> sameElementType) {
  if (failed(verifySameElementType(op, sameElementType)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = broadcastOperands(op, operands);
  if (failed(shape))
    return failure();
  return verifyResultShape(op, *shape, "broadcast shape of the operands");
}

//===----------------------------------------------------------------------===//
// Elementwise binary operations and where
//===----------------------------------------------------------------------===//

/// Arithmetic: lhs, rhs and result share the element type.
template <typename OpTy> static LogicalResult verifyArithmeticOp(OpTy op) {
  return verifyBroadcastOp(
      op, {{"lhs", op.getLhs()}, {"rhs", op.getRhs()}},
      {{"lhs", op.getLhs()}, {"rhs", op.getRhs()}, {"result", op.getResult()}});
}

/// Comparisons: lhs and rhs share the element type (the result is i1 by ODS).
/// Logical ops are i1 throughout by ODS, so the same check suffices.
template <typename OpTy> static LogicalResult verifyPredicateOp(OpTy op) {
  return verifyBroadcastOp(op, {{"lhs", op.getLhs()}, {"rhs", op.getRhs()}},
                           {{"lhs", op.getLhs()}, {"rhs", op.getRhs()}});
}

#define MASE_VERIFY_WITH(OP, HELPER)                                           \
  LogicalResult OP::verify() { return HELPER(*this); }
MASE_VERIFY_WITH(AddOp, verifyArithmeticOp)
MASE_VERIFY_WITH(SubOp, verifyArithmeticOp)
MASE_VERIFY_WITH(MulOp, verifyArithmeticOp)
MASE_VERIFY_WITH(DivOp, verifyArithmeticOp)
MASE_VERIFY_WITH(PowOp, verifyArithmeticOp)
MASE_VERIFY_WITH(MaxOp, verifyArithmeticOp)
MASE_VERIFY_WITH(MinOp, verifyArithmeticOp)
MASE_VERIFY_WITH(EqualOp, verifyPredicateOp)
MASE_VERIFY_WITH(LessOp, verifyPredicateOp)
MASE_VERIFY_WITH(GreaterOp, verifyPredicateOp)
MASE_VERIFY_WITH(GreaterEqualOp, verifyPredicateOp)
MASE_VERIFY_WITH(LessEqualOp, verifyPredicateOp)
MASE_VERIFY_WITH(AndOp, verifyPredicateOp)
MASE_VERIFY_WITH(OrOp, verifyPredicateOp)
MASE_VERIFY_WITH(XorOp, verifyPredicateOp)
#undef MASE_VERIFY_WITH

LogicalResult WhereOp::verify() {
  return verifyBroadcastOp(*this,
                           {{"condition", getCondition()},
                            {"true_value", getTrueValue()},
                            {"false_value", getFalseValue()}},
                           {{"true_value", getTrueValue()},
                            {"false_value", getFalseValue()},
                            {"result", getResult()}});
}

//===----------------------------------------------------------------------===//
// Elementwise unary operations
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::verify() {
  StringRef approximate = getApproximate();
  if (approximate == "none" || approximate == "tanh")
    return success();
  return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
         << approximate << "\"";
}

//===----------------------------------------------------------------------===//
// Neural-network operations
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return success(
      succeeded(normalizeAxis(*this, getAxis(), getType().getRank())));
}

LogicalResult LayerNormOp::verify() {
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), shape.size());
  if (failed(axis))
    return failure();
  if (failed(verifySameElementType(*this, {{"input", getInput()},
                                           {"weight", getWeight()},
                                           {"bias", getBias()},
                                           {"result", getResult()}})))
    return failure();
  ArrayRef<int64_t> normalized = shape.drop_front(*axis);
  for (auto [name, value] : {std::pair<StringRef, Value>{"weight", getWeight()},
                             {"bias", getBias()}}) {
    if (value && shapeOf(value) != normalized)
      return emitOpError() << name << " shape " << shapeStr(shapeOf(value))
                           << " does not match the normalized shape "
                           << shapeStr(normalized)
                           << " (input dimensions from axis " << *axis << ")";
  }
  return verifyResultShape(*this, shape, "input shape");
}

LogicalResult LinearOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  if (input.empty())
    return emitOpError("input must have rank >= 1 ([..., in_features])");
  if (weight.size() != 2)
    return emitOpError("weight must have rank 2 ([out_features, "
                       "in_features]), got shape ")
           << shapeStr(weight);
  if (input.back() != weight[1])
    return emitOpError("input in_features ")
           << input.back() << " (last dimension) does not match weight "
           << "in_features " << weight[1] << " (shape " << shapeStr(weight)
           << ")";
  if (failed(verifyBiasAndElementTypes(*this, "out_features")))
    return failure();
  SmallVector<int64_t> expected(input.drop_back());
  expected.push_back(weight[0]);
  return verifyResultShape(*this, expected);
}

LogicalResult MatmulOp::verify() {
  ArrayRef<int64_t> lhs = getLhs().getType().getShape();
  ArrayRef<int64_t> rhs = getRhs().getType().getShape();
  if (lhs.empty() || rhs.empty())
    return emitOpError("operands must have rank >= 1, got shapes ")
           << shapeStr(lhs) << " and " << shapeStr(rhs);
  if (failed(verifySameElementType(
          *this,
          {{"lhs", getLhs()}, {"rhs", getRhs()}, {"result", getResult()}})))
    return failure();
  // lhs [..., m, k] (1-D: [k]), rhs [..., k, n] (1-D: [k]).
  int64_t lhsK = lhs.back();
  int64_t rhsK = rhs.size() == 1 ? rhs[0] : rhs[rhs.size() - 2];
  if (lhsK != rhsK)
    return emitOpError("contraction dimensions differ: lhs ")
           << shapeStr(lhs) << " has " << lhsK << " columns, rhs "
           << shapeStr(rhs) << " has " << rhsK << " rows";
  ArrayRef<int64_t> lhsBatch = lhs.drop_back(std::min<size_t>(lhs.size(), 2));
  ArrayRef<int64_t> rhsBatch = rhs.drop_back(std::min<size_t>(rhs.size(), 2));
  std::optional<SmallVector<int64_t>> expected =
      broadcastShapes({lhsBatch, rhsBatch});
  if (!expected)
    return emitOpError("batch dimensions ")
           << shapeStr(lhsBatch) << " and " << shapeStr(rhsBatch)
           << " are not broadcast-compatible";
  if (lhs.size() >= 2)
    expected->push_back(lhs[lhs.size() - 2]);
  if (rhs.size() >= 2)
    expected->push_back(rhs.back());
  return verifyResultShape(*this, *expected);
}

LogicalResult EmbeddingOp::verify() {
  ArrayRef<int64_t> table = getTable().getType().getShape();
  if (table.size() != 2)
    return emitOpError("table must have rank 2 ([num_embeddings, "
                       "embedding_dim]), got shape ")
           << shapeStr(table);
  if (failed(verifySameElementType(
          *this, {{"table", getTable()}, {"result", getResult()}})))
    return failure();
  SmallVector<int64_t> expected(getIndices().getType().getShape());
  expected.push_back(table[1]);
  return verifyResultShape(*this, expected);
}

LogicalResult GatherOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), input.size());
  if (failed(axis))
    return failure();
  if (failed(verifySameElementType(
          *this, {{"input", getInput()}, {"result", getResult()}})))
    return failure();
  SmallVector<int64_t> expected(input.take_front(*axis));
  llvm::append_range(expected, getIndices().getType().getShape());
  llvm::append_range(expected, input.drop_front(*axis + 1));
  return verifyResultShape(*this, expected);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Checks the window attributes of a 2-D sliding-window op on an NCHW input
/// and returns the output spatial sizes they imply.
static FailureOr<SmallVector<int64_t>>
verifyWindow(Operation *op, ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
             ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
             ArrayRef<int64_t> dilation, bool ceilMode) {
  if (input.size() != 4)
    return op->emitOpError("input must have rank 4 ([N, C, H, W]), got shape ")
           << shapeStr(input);
  struct Attr {
    StringRef name;
    ArrayRef<int64_t> values;
    size_t size;
    int64_t low;
  };
  for (const Attr &attr : {Attr{"kernel size", kernel, 2, 1},
                           Attr{"stride", stride, 2, 1},
                           Attr{"padding", padding, 4, 0},
                           Attr{"dilation", dilation, 2, 1}}) {
    if (attr.values.size() != attr.size)
      return op->emitOpError()
             << attr.name << " must have " << attr.size << " entries, got "
             << attr.values.size();
    if (llvm::any_of(attr.values, [&](int64_t v) { return v < attr.low; }))
      return op->emitOpError() << attr.name << " " << shapeStr(attr.values)
                               << " must be >= " << attr.low;
  }
  SmallVector<int64_t> sizes;
  for (int d = 0; d < 2; ++d) {
    int64_t in = input[d + 2], begin = padding[d], s = stride[d];
    int64_t span =
        in + begin + padding[d + 2] - ((kernel[d] - 1) * dilation[d] + 1);
    if (span < 0)
      return op->emitOpError("window ")
             << shapeStr(kernel) << " with dilation " << shapeStr(dilation)
             << " does not fit the padded input of shape " << shapeStr(input);
    int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
    if (ceilMode && (out - 1) * s >= in + begin)
      --out;
    sizes.push_back(out);
  }
  return sizes;
}

LogicalResult Conv2dOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  if (weight.size() != 4)
    return emitOpError("weight must have rank 4 ([F, C / groups, KH, KW]), "
                       "got shape ")
           << shapeStr(weight);
  FailureOr<SmallVector<int64_t>> spatial =
      verifyWindow(*this, input, weight.drop_front(2), getStride(),
                   getPadding(), getDilation(), /*ceilMode=*/false);
  if (failed(spatial))
    return failure();
  int64_t groups = getGroups();
  if (groups < 1 || input[1] % groups || weight[0] % groups ||
      input[1] / groups != weight[1])
    return emitOpError("input channels ")
           << input[1] << ", weight shape " << shapeStr(weight)
           << " and groups " << groups
           << " do not match (weight is [F, C / groups, KH, KW] with F and C "
              "multiples of groups)";
  if (failed(verifyBiasAndElementTypes(*this, "F")))
    return failure();
  SmallVector<int64_t> expected = {input[0], weight[0]};
  llvm::append_range(expected, *spatial);
  return verifyResultShape(*this, expected);
}

/// Shared verifier of max_pool2d and avg_pool2d.
template <typename OpTy> static LogicalResult verifyPoolOp(OpTy op) {
  ArrayRef<int64_t> input = op.getInput().getType().getShape();
  FailureOr<SmallVector<int64_t>> spatial = verifyWindow(
      op, input, op.getKernelSize(), op.getStride(), op.getPadding(),
      op.getDilation(), op.getCeilMode());
  if (failed(spatial))
    return failure();
  if (failed(verifySameElementType(
          op, {{"input", op.getInput()}, {"result", op.getResult()}})))
    return failure();
  SmallVector<int64_t> expected = {input[0], input[1]};
  llvm::append_range(expected, *spatial);
  return verifyResultShape(op, expected);
}

LogicalResult MaxPool2dOp::verify() { return verifyPoolOp(*this); }
LogicalResult AvgPool2dOp::verify() { return verifyPoolOp(*this); }

//===----------------------------------------------------------------------===//
// Shape movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (failed(verifySameElementType(
          *this, {{"input", getInput()}, {"result", getResult()}})))
    return failure();
  int64_t inputCount = getInput().getType().getNumElements();
  int64_t resultCount = getType().getNumElements();
  if (inputCount != resultCount)
    return emitOpError("input has ")
           << inputCount << " elements but the result has " << resultCount;
  return success();
}

LogicalResult TransposeOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> permutation = getPermutation();
  if (permutation.size() != input.size())
    return emitOpError("permutation has ")
           << permutation.size() << " entries but the input has rank "
           << input.size();
  llvm::SmallBitVector seen(input.size());
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= static_cast<int64_t>(input.size()) || seen[dim])
      return emitOpError("permutation ")
             << shapeStr(permutation) << " is not a permutation of [0, "
             << input.size() << ")";
    seen.set(dim);
  }
  if (failed(verifySameElementType(
          *this, {{"input", getInput()}, {"result", getResult()}})))
    return failure();
  SmallVector<int64_t> expected =
      llvm::map_to_vector(permutation, [&](int64_t dim) { return input[dim]; });
  return verifyResultShape(*this, expected);
}

LogicalResult ConcatOp::verify() {
  OperandRange inputs = getInputs();
  if (inputs.empty())
    return emitOpError("requires at least one input");
  ArrayRef<int64_t> first = shapeOf(inputs[0]);
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), first.size());
  if (failed(axis))
    return failure();
  SmallVector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i)
    names.push_back("input " + std::to_string(i));
  SmallVector<std::pair<StringRef, Value>> typed;
  for (auto [name, input] : llvm::zip_equal(names, inputs))
    typed.push_back({name, input});
  typed.push_back({"result", getResult()});
  if (failed(verifySameElementType(*this, typed)))
    return failure();
  SmallVector<int64_t> expected(first);
  for (auto [i, input] : llvm::enumerate(inputs.drop_front())) {
    ArrayRef<int64_t> shape = shapeOf(input);
    bool agrees = shape.size() == first.size();
    for (size_t d = 0; agrees && d < shape.size(); ++d)
      agrees = d == static_cast<size_t>(*axis) || shape[d] == first[d];
    if (!agrees)
      return emitOpError("input ")
             << i + 1 << " shape " << shapeStr(shape)
             << " does not match input 0 shape " << shapeStr(first)
             << " outside axis " << *axis;
    expected[*axis] += shape[*axis];
  }
  return verifyResultShape(*this, expected);
}

LogicalResult SliceOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"starts", getStarts()},
        {"ends", getEnds()},
        {"steps", getSteps()}}) {
    if (values.size() != input.size())
      return emitOpError() << name << " has " << values.size()
                           << " entries but the input has rank " << input.size()
                           << " (one entry per dimension)";
  }
  if (failed(verifySameElementType(
          *this, {{"input", getInput()}, {"result", getResult()}})))
    return failure();
  SmallVector<int64_t> expected;
  for (auto [d, size] : llvm::enumerate(input)) {
    int64_t start = getStarts()[d], end = getEnds()[d], step = getSteps()[d];
    if (step == 0)
      return emitOpError("steps[") << d << "] must be non-zero";
    // Normalised bounds: [0, size] going forward, [-1, size - 1] backward.
    int64_t low = step > 0 ? 0 : -1, high = step > 0 ? size : size - 1;
    for (auto [name, value] :
         {std::pair<StringRef, int64_t>{"starts", start}, {"ends", end}}) {
      if (value < low || value > high)
        return emitOpError() << name << "[" << d << "] = " << value
                             << " is out of the normalised range [" << low
                             << ", " << high << "] for dimension " << d
                             << " of size " << size << " with step " << step;
    }
    int64_t distance = step > 0 ? end - start : start - end;
    int64_t stride = step > 0 ? step : -step;
    expected.push_back(distance <= 0 ? 0 : (distance + stride - 1) / stride);
  }
  return verifyResultShape(*this, expected);
}

LogicalResult ExpandOp::verify() {
  if (failed(verifySameElementType(
          *this, {{"input", getInput()}, {"result", getResult()}})))
    return failure();
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> result = getType().getShape();
  std::optional<SmallVector<int64_t>> broadcast =
      broadcastShapes({input, result});
  if (!broadcast || *broadcast != result)
    return emitOpError("input shape ")
           << shapeStr(input) << " cannot be broadcast to the result shape "
           << shapeStr(result);
  return success();
}

/// Shared verifier of reduce_mean, reduce_sum and reduce_max.
template <typename OpTy> static LogicalResult verifyReduceOp(OpTy op) {
  ArrayRef<int64_t> input = op.getInput().getType().getShape();
  llvm::SmallBitVector reduced(input.size());
  for (int64_t axis : op.getAxes()) {
    FailureOr<int64_t> dim =
        normalizeAxis(op, axis, input.size(), "axes entry");
    if (failed(dim))
      return failure();
    if (reduced[*dim])
      return op.emitOpError("axes reduce dimension ") << *dim << " twice";
    reduced.set(*dim);
  }
  if (failed(verifySameElementType(
          op, {{"input", op.getInput()}, {"result", op.getResult()}})))
    return failure();
  SmallVector<int64_t> expected;
  for (auto [d, size] : llvm::enumerate(input)) {
    if (!reduced[d])
      expected.push_back(size);
    else if (op.getKeepdims())
      expected.push_back(1);
  }
  return verifyResultShape(op, expected);
}

LogicalResult ReduceMeanOp::verify() { return verifyReduceOp(*this); }
LogicalResult ReduceSumOp::verify() { return verifyReduceOp(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduceOp(*this); }

LogicalResult PruneActivationOp::verify() {
  float sparsity = getSparsity().convertToFloat();
  if (!(sparsity >= 0.0f && sparsity <= 1.0f))
    return emitOpError() << "sparsity must be in [0, 1], got " << sparsity;
  if (!getInput().getType().hasStaticShape())
    return emitOpError() << "needs a static shape";
  return success();
}
