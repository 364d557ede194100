//===- OpContext.h - shared helpers for ONNX node semantics -----*- C++ -*-===//
//
// Internal to lib/Import/ONNX: the per-node context handed to each op's type
// inference and evaluation, the op table entry, and index helpers.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_IMPORT_ONNX_OPCONTEXT_H
#define MASE_LIB_IMPORT_ONNX_OPCONTEXT_H

#include "mase/Import/ONNX/HostTensor.h"

#include <string>
#include <vector>

namespace mase::onnx_import {

/// Classes of element types that op inputs accept.
enum class Accepts { Any, Numeric, Signed, Float, Bool };

/// One node being typed or evaluated. Helpers return false after recording
/// an error; the first error wins.
class OpContext {
public:
  OpContext(const onnx::NodeProto &node, int opset,
            std::vector<const TensorType *> types,
            std::vector<const HostTensor *> values)
      : node(node), opset(opset), types(std::move(types)),
        values(std::move(values)) {}

  const onnx::NodeProto &node;
  const int opset;

  /// Records `message` prefixed with the node's op type and name.
  bool fail(const std::string &message);
  const std::string &error() const { return errorMessage; }

  size_t numInputs() const { return types.size(); }
  size_t numOutputs() const { return node.output_size(); }
  /// Type of input i, or nullptr when it is absent.
  const TensorType *type(size_t i) const {
    return i < types.size() ? types[i] : nullptr;
  }
  /// Value of input i, or nullptr when it is absent or not a constant.
  const HostTensor *value(size_t i) const {
    return i < values.size() ? values[i] : nullptr;
  }
  /// Input i, which must be present.
  bool input(size_t i, const TensorType *&result);
  /// Input i, which must be present and constant because it determines an
  /// output shape.
  bool constantInput(size_t i, const HostTensor *&result);
  /// Constant integer input i (scalar or 1-D) as a list.
  bool constantInts(size_t i, std::vector<int64_t> &result);
  /// Input i must have element type `expected`.
  bool expectType(size_t i, ElementType expected);
  /// Present inputs first..last must have element types of class `kind`.
  bool expectKind(Accepts kind, size_t first, size_t last);
  /// Inputs first..last (present ones) must share input first's type.
  bool expectSameType(size_t first, size_t last);

  const onnx::AttributeProto *attr(const std::string &name) const;
  bool getInt(const std::string &name, int64_t def, int64_t &result);
  bool getFloat(const std::string &name, float def, float &result);
  bool getString(const std::string &name, const std::string &def,
                 std::string &result);
  /// Leaves `result` unchanged when the attribute is absent.
  bool getInts(const std::string &name, std::vector<int64_t> &result);
  bool getTensor(const std::string &name, const onnx::TensorProto *&result);

  /// Maps axis from [-rank, rank) to [0, rank).
  bool normalizeAxis(int64_t &axis, int64_t rank);
  /// Normalizes each axis; repeated axes are an error.
  bool normalizeAxes(std::vector<int64_t> &axes, int64_t rank);

private:
  std::vector<const TensorType *> types;
  std::vector<const HostTensor *> values;
  std::string errorMessage;
};

using InferFn = bool (*)(OpContext &ctx, std::vector<TensorType> &outputs);
/// Called with every present input constant (Shape: typed only) and the
/// output types inferred for them.
using EvalFn = bool (*)(OpContext &ctx, const std::vector<TensorType> &types,
                        std::vector<HostTensor> &outputs);

/// Newest default-domain opset covered.
constexpr int kMaxOpset = 23;

struct OpDef {
  const char *name;
  int minOpset;  // Covered through kMaxOpset.
  int minInputs; // The first minInputs inputs are required.
  int maxInputs; // -1: variadic.
  int minOutputs;
  int maxOutputs; // -1: variadic.
  InferFn infer;
  EvalFn eval;     // nullptr: never folded.
  bool alwaysFold; // Fold regardless of size (Constant, Identity).
};

void addElementwiseOps(std::vector<OpDef> &ops);
void addShapeOps(std::vector<OpDef> &ops);
void addIndexOps(std::vector<OpDef> &ops);
void addReduceOps(std::vector<OpDef> &ops);
void addNNOps(std::vector<OpDef> &ops);

//===----------------------------------------------------------------------===//
// Shape and index helpers
//===----------------------------------------------------------------------===//

/// Multidirectional (numpy) broadcast; false if incompatible.
bool broadcastShapes(const Shape &a, const Shape &b, Shape &result);
/// Row-major strides.
std::vector<int64_t> stridesOf(const Shape &shape);
/// Calls fn(i, offset + dot(multi-index of i, strides)) for each element i
/// (row-major) of a tensor of `shape`.
template <typename Fn>
void forEachStrided(const Shape &shape, int64_t offset,
                    const std::vector<int64_t> &strides, Fn fn) {
  const int64_t n = numElements(shape);
  std::vector<int64_t> counter(shape.size(), 0);
  int64_t index = offset;
  for (int64_t i = 0; i < n; ++i) {
    fn(i, index);
    for (size_t d = shape.size(); d-- > 0;) {
      index += strides[d];
      if (++counter[d] < shape[d])
        break;
      index -= strides[d] * shape[d];
      counter[d] = 0;
    }
  }
}
/// The indices forEachStrided visits, as a list.
std::vector<int64_t> stridedIndices(const Shape &shape, int64_t offset,
                                    const std::vector<int64_t> &strides);
/// For each element of `to`, the linear index of the element of a tensor of
/// shape `from` that broadcasts to it.
std::vector<int64_t> broadcastIndices(const Shape &from, const Shape &to);
/// A tensor of `type` whose element i is src's element indices[i].
HostTensor takeElements(const HostTensor &src,
                        const std::vector<int64_t> &indices,
                        const TensorType &type);
/// src broadcast to `shape`.
HostTensor broadcastTo(const HostTensor &src, const Shape &shape);
/// Copies one element between tensors of the same element type.
void copyElement(const HostTensor &src, int64_t srcIndex, HostTensor &dst,
                 int64_t dstIndex);

} // namespace mase::onnx_import

#endif // MASE_LIB_IMPORT_ONNX_OPCONTEXT_H
