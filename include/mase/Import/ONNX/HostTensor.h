//===- HostTensor.h - ONNX tensor types and host values ---------*- C++ -*-===//
//
// Element types, static tensor types and small host-side tensor values used by
// the ONNX importer and mase-run, plus TensorProto decoding. No MLIR
// dependency: the source is lib/Import/ONNXTensor (library MaseONNXTensor).
//
//===----------------------------------------------------------------------===//

#ifndef MASE_IMPORT_ONNX_HOSTTENSOR_H
#define MASE_IMPORT_ONNX_HOSTTENSOR_H

// Debian's libonnx-dev only ships the ONNX_ML variant of the generated
// headers; the onnx_proto CMake target sets both of these.
#ifndef ONNX_ML
#define ONNX_ML 1
#endif
#ifndef ONNX_NAMESPACE
#define ONNX_NAMESPACE onnx
#endif
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mase::onnx_import {

enum class ElementType {
  F32,
  F64,
  F16,
  BF16,
  I64,
  I32,
  I16,
  I8,
  U8,
  U16,
  U32,
  U64,
  Bool
};

/// Maps an onnx::TensorProto_DataType value; types mase does not handle
/// (string, complex, float8, ...) are an error.
std::string elementTypeFromOnnx(int dataType, ElementType &type);
onnx::TensorProto_DataType elementTypeToOnnx(ElementType type);
/// MLIR-style spelling: "f32", "bf16", "i64", "ui8", "i1".
const char *elementTypeName(ElementType type);

bool isFloat(ElementType type);
bool isUnsigned(ElementType type);
/// Bytes per element in raw_data (Bool is one byte).
int byteWidth(ElementType type);

using Shape = std::vector<int64_t>;

/// Product of the dimensions (1 for a scalar).
int64_t numElements(const Shape &shape);
/// "2x3x4"; "" for a scalar.
std::string shapeToString(const Shape &shape);

struct TensorType {
  ElementType elementType = ElementType::F32;
  Shape shape;

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t numElements() const { return onnx_import::numElements(shape); }
  /// "tensor<2x3xf32>".
  std::string str() const;
  bool operator==(const TensorType &other) const {
    return elementType == other.elementType && shape == other.shape;
  }
  bool operator!=(const TensorType &other) const { return !(*this == other); }
};

/// A tensor value held on the host, row-major. Storage by element type:
///   F32, F16, BF16 -> f32 (F16/BF16 values are exactly representable)
///   F64            -> f64
///   integers, Bool -> ints (widened; Bool is 0/1; U64 keeps its bit pattern)
struct HostTensor {
  TensorType type;
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<int64_t> ints;

  /// A zero-filled tensor of `type`.
  static HostTensor zeros(const TensorType &type);
  /// Integer or Bool tensor; values are wrapped to the element type.
  static HostTensor fromInts(ElementType elementType, Shape shape,
                             const std::vector<int64_t> &values);
  /// Float tensor; values are rounded to the element type.
  static HostTensor fromDoubles(ElementType elementType, Shape shape,
                                const std::vector<double> &values);

  int64_t numElements() const { return type.numElements(); }
  /// True when the storage for the element type has numElements() entries.
  bool hasData() const;

  /// Element i as a double (U64 read unsigned).
  double getDouble(int64_t i) const;
  /// Element i as an integer; floats truncate toward zero and saturate
  /// (NaN gives 0).
  int64_t getInt(int64_t i) const;
  /// Stores v rounded (floats) or truncated, saturated and wrapped (integers;
  /// Bool stores v != 0).
  void setDouble(int64_t i, double v);
  /// Stores v wrapped to the integer width, or converted to the float type.
  void setInt(int64_t i, int64_t v);
};

/// Rounds v to the nearest value of a float element type (F32, F16, BF16,
/// F64), ties to even.
double roundToFloatType(double v, ElementType type);
/// Wraps v to the width of an integer element type (Bool: v != 0).
int64_t wrapToIntType(int64_t v, ElementType type);

uint16_t floatToHalfBits(float v);
float halfBitsToFloat(uint16_t bits);
uint16_t floatToBFloat16Bits(float v);
float bfloat16BitsToFloat(uint16_t bits);

/// Decodes the element type and dims of `proto` (no data).
std::string tensorTypeFromProto(const onnx::TensorProto &proto,
                                TensorType &type);
/// Decodes `proto` into `out` from raw_data or the typed fields (float_data,
/// double_data, int64_data, uint64_data, and int32_data for
/// bool/int8/uint8/int16/uint16/int32/float16/bfloat16). For tensors with
/// data_location EXTERNAL, `externalBytes` (the resolved bytes, laid out like
/// raw_data) must be given; when non-null it is used instead of raw_data.
/// The value count must match the dims exactly.
std::string fromTensorProto(const onnx::TensorProto &proto,
                            const std::string *externalBytes, HostTensor &out);

} // namespace mase::onnx_import

#endif // MASE_IMPORT_ONNX_HOSTTENSOR_H
