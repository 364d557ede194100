//===- HostTensor.cpp - ONNX tensor types and host values -----------------===//

#include "mase/Import/ONNX/HostTensor.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace mase::onnx_import {

using DT = onnx::TensorProto_DataType;

namespace {
struct TypeInfo {
  ElementType type;
  DT onnx;
  const char *name;
  int bytes;
};

// Indexed by ElementType.
constexpr TypeInfo kTypes[] = {
    {ElementType::F32, onnx::TensorProto_DataType_FLOAT, "f32", 4},
    {ElementType::F64, onnx::TensorProto_DataType_DOUBLE, "f64", 8},
    {ElementType::F16, onnx::TensorProto_DataType_FLOAT16, "f16", 2},
    {ElementType::BF16, onnx::TensorProto_DataType_BFLOAT16, "bf16", 2},
    {ElementType::I64, onnx::TensorProto_DataType_INT64, "i64", 8},
    {ElementType::I32, onnx::TensorProto_DataType_INT32, "i32", 4},
    {ElementType::I16, onnx::TensorProto_DataType_INT16, "i16", 2},
    {ElementType::I8, onnx::TensorProto_DataType_INT8, "i8", 1},
    {ElementType::U8, onnx::TensorProto_DataType_UINT8, "ui8", 1},
    {ElementType::U16, onnx::TensorProto_DataType_UINT16, "ui16", 2},
    {ElementType::U32, onnx::TensorProto_DataType_UINT32, "ui32", 4},
    {ElementType::U64, onnx::TensorProto_DataType_UINT64, "ui64", 8},
    {ElementType::Bool, onnx::TensorProto_DataType_BOOL, "i1", 1},
};

const TypeInfo &info(ElementType type) {
  return kTypes[static_cast<int>(type)];
}

/// Saturating truncation toward zero; NaN gives 0.
int64_t truncToInt64(double v) {
  if (std::isnan(v))
    return 0;
  if (v >= 9223372036854775807.0)
    return std::numeric_limits<int64_t>::max();
  if (v <= -9223372036854775808.0)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

/// Reads a little-endian unsigned integer of `bytes` bytes.
uint64_t readLE(const char *p, int bytes) {
  uint64_t v = 0;
  for (int b = bytes - 1; b >= 0; --b)
    v = (v << 8) | static_cast<unsigned char>(p[b]);
  return v;
}

/// Stores an element from its raw bit pattern.
void setFromBits(HostTensor &t, int64_t i, uint64_t bits) {
  switch (t.type.elementType) {
  case ElementType::F32: {
    uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&t.f32[i], &b, 4);
    return;
  }
  case ElementType::F64:
    std::memcpy(&t.f64[i], &bits, 8);
    return;
  case ElementType::F16:
    t.f32[i] = halfBitsToFloat(static_cast<uint16_t>(bits));
    return;
  case ElementType::BF16:
    t.f32[i] = bfloat16BitsToFloat(static_cast<uint16_t>(bits));
    return;
  default:
    t.setInt(i, static_cast<int64_t>(bits));
    return;
  }
}

/// The typed field holding a tensor's values when it has no raw_data.
const char *typedField(ElementType et) {
  switch (et) {
  case ElementType::F32:
    return "float_data";
  case ElementType::F64:
    return "double_data";
  case ElementType::I64:
    return "int64_data";
  case ElementType::U32:
  case ElementType::U64:
    return "uint64_data";
  default:
    return "int32_data";
  }
}

int64_t typedCount(const onnx::TensorProto &proto, ElementType et) {
  switch (et) {
  case ElementType::F32:
    return proto.float_data_size();
  case ElementType::F64:
    return proto.double_data_size();
  case ElementType::I64:
    return proto.int64_data_size();
  case ElementType::U32:
  case ElementType::U64:
    return proto.uint64_data_size();
  default:
    return proto.int32_data_size();
  }
}
} // namespace

std::string elementTypeFromOnnx(int dataType, ElementType &type) {
  for (const TypeInfo &t : kTypes) {
    if (t.onnx == dataType) {
      type = t.type;
      return {};
    }
  }
  std::string name =
      onnx::TensorProto_DataType_IsValid(dataType)
          ? onnx::TensorProto_DataType_Name(static_cast<DT>(dataType))
          : "data type " + std::to_string(dataType);
  return "unsupported ONNX element type " + name;
}

DT elementTypeToOnnx(ElementType type) { return info(type).onnx; }
const char *elementTypeName(ElementType type) { return info(type).name; }
int byteWidth(ElementType type) { return info(type).bytes; }

bool isFloat(ElementType type) {
  return type == ElementType::F32 || type == ElementType::F64 ||
         type == ElementType::F16 || type == ElementType::BF16;
}

bool isUnsigned(ElementType type) {
  return type == ElementType::U8 || type == ElementType::U16 ||
         type == ElementType::U32 || type == ElementType::U64 ||
         type == ElementType::Bool;
}

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string shapeToString(const Shape &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

std::string TensorType::str() const {
  std::string dims = shapeToString(shape);
  return "tensor<" + dims + (dims.empty() ? "" : "x") +
         elementTypeName(elementType) + ">";
}

double roundToFloatType(double v, ElementType type) {
  switch (type) {
  case ElementType::F32:
    return static_cast<float>(v);
  case ElementType::F16:
    return halfBitsToFloat(floatToHalfBits(static_cast<float>(v)));
  case ElementType::BF16:
    return bfloat16BitsToFloat(floatToBFloat16Bits(static_cast<float>(v)));
  default:
    return v;
  }
}

int64_t wrapToIntType(int64_t v, ElementType type) {
  switch (type) {
  case ElementType::I32:
    return static_cast<int32_t>(v);
  case ElementType::I16:
    return static_cast<int16_t>(v);
  case ElementType::I8:
    return static_cast<int8_t>(v);
  case ElementType::U8:
    return static_cast<uint8_t>(v);
  case ElementType::U16:
    return static_cast<uint16_t>(v);
  case ElementType::U32:
    return static_cast<uint32_t>(v);
  case ElementType::Bool:
    return v != 0;
  default:
    return v;
  }
}

HostTensor HostTensor::zeros(const TensorType &type) {
  HostTensor t;
  t.type = type;
  size_t n = type.numElements();
  if (type.elementType == ElementType::F64)
    t.f64.assign(n, 0.0);
  else if (isFloat(type.elementType))
    t.f32.assign(n, 0.0f);
  else
    t.ints.assign(n, 0);
  return t;
}

HostTensor HostTensor::fromInts(ElementType elementType, Shape shape,
                                const std::vector<int64_t> &values) {
  HostTensor t = zeros({elementType, std::move(shape)});
  for (size_t i = 0; i < values.size() && i < t.ints.size(); ++i)
    t.setInt(i, values[i]);
  return t;
}

HostTensor HostTensor::fromDoubles(ElementType elementType, Shape shape,
                                   const std::vector<double> &values) {
  HostTensor t = zeros({elementType, std::move(shape)});
  for (int64_t i = 0;
       i < static_cast<int64_t>(values.size()) && i < t.numElements(); ++i)
    t.setDouble(i, values[i]);
  return t;
}

bool HostTensor::hasData() const {
  for (int64_t d : type.shape)
    if (d < 0)
      return false;
  size_t n = numElements();
  if (type.elementType == ElementType::F64)
    return f64.size() == n;
  if (isFloat(type.elementType))
    return f32.size() == n;
  return ints.size() == n;
}

double HostTensor::getDouble(int64_t i) const {
  ElementType et = type.elementType;
  if (et == ElementType::F64)
    return f64[i];
  if (isFloat(et))
    return f32[i];
  if (et == ElementType::U64)
    return static_cast<double>(static_cast<uint64_t>(ints[i]));
  return static_cast<double>(ints[i]);
}

int64_t HostTensor::getInt(int64_t i) const {
  if (isFloat(type.elementType))
    return truncToInt64(getDouble(i));
  return ints[i];
}

void HostTensor::setDouble(int64_t i, double v) {
  ElementType et = type.elementType;
  if (et == ElementType::F64)
    f64[i] = v;
  else if (isFloat(et))
    f32[i] = static_cast<float>(roundToFloatType(v, et));
  else if (et == ElementType::Bool)
    ints[i] = v != 0;
  else if (et == ElementType::U64 && v >= 9223372036854775808.0)
    ints[i] = static_cast<int64_t>(
        v >= 18446744073709551616.0 ? ~uint64_t(0) : static_cast<uint64_t>(v));
  else
    ints[i] = wrapToIntType(truncToInt64(v), et);
}

void HostTensor::setInt(int64_t i, int64_t v) {
  ElementType et = type.elementType;
  if (et == ElementType::F64)
    f64[i] = static_cast<double>(v);
  else if (isFloat(et))
    f32[i] = static_cast<float>(roundToFloatType(static_cast<float>(v), et));
  else
    ints[i] = wrapToIntType(v, et);
}

uint16_t floatToHalfBits(float v) {
  uint32_t x;
  std::memcpy(&x, &v, 4);
  uint16_t sign = (x >> 16) & 0x8000;
  uint32_t abs = x & 0x7fffffff;
  if (abs > 0x7f800000) // NaN: keep it quiet.
    return sign | 0x7e00 | ((abs >> 13) & 0x3ff);
  if (abs >= 0x477ff000) // >= 65520 rounds to infinity.
    return sign | 0x7c00;
  if (abs < 0x38800000) { // Half subnormal: round v * 2^24 to an integer.
    float a;
    std::memcpy(&a, &abs, 4);
    return sign | static_cast<uint16_t>(std::nearbyint(a * 16777216.0f));
  }
  // Rebias the exponent and round the dropped 13 bits to nearest even.
  abs += 0xc8000fffu + ((abs >> 13) & 1);
  return sign | static_cast<uint16_t>(abs >> 13);
}

float halfBitsToFloat(uint16_t bits) {
  int exp = (bits >> 10) & 0x1f;
  int mant = bits & 0x3ff;
  float v;
  if (exp == 0)
    v = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31)
    v = mant ? std::numeric_limits<float>::quiet_NaN()
             : std::numeric_limits<float>::infinity();
  else
    v = std::ldexp(static_cast<float>(mant | 0x400), exp - 25);
  return (bits & 0x8000) ? -v : v;
}

uint16_t floatToBFloat16Bits(float v) {
  uint32_t x;
  std::memcpy(&x, &v, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((x >> 16) | 0x40);
  x += 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

float bfloat16BitsToFloat(uint16_t bits) {
  uint32_t x = static_cast<uint32_t>(bits) << 16;
  float v;
  std::memcpy(&v, &x, 4);
  return v;
}

std::string tensorTypeFromProto(const onnx::TensorProto &proto,
                                TensorType &type) {
  const std::string name = "tensor '" + proto.name() + "': ";
  if (std::string err =
          elementTypeFromOnnx(proto.data_type(), type.elementType);
      !err.empty())
    return name + err;
  type.shape.assign(proto.dims().begin(), proto.dims().end());
  int64_t n = 1;
  for (int64_t d : type.shape) {
    if (d < 0)
      return name + "negative dimension in [" + shapeToString(type.shape) + "]";
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      return name + "element count overflows";
    n *= d;
  }
  return {};
}

std::string fromTensorProto(const onnx::TensorProto &proto,
                            const std::string *externalBytes, HostTensor &out) {
  TensorType type;
  if (std::string err = tensorTypeFromProto(proto, type); !err.empty())
    return err;
  const std::string name = "tensor '" + proto.name() + "': ";
  if (proto.has_segment())
    return name + "segmented tensors are not supported";
  if (proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL &&
      !externalBytes)
    return name + "external data was not provided";

  // Check the amount of data before allocating anything.
  const int64_t n = type.numElements();
  const ElementType et = type.elementType;
  const bool raw = externalBytes || proto.has_raw_data();
  const std::string &bytes = externalBytes ? *externalBytes : proto.raw_data();
  const int64_t width = byteWidth(et);
  const char *field = typedField(et);
  const int64_t have = raw ? bytes.size() / width : typedCount(proto, et);
  if (have != n || (raw && bytes.size() % width))
    return name + (have < n ? "too little" : "too much") + " data in " +
           (raw ? std::string("raw_data: ") + std::to_string(bytes.size()) +
                      " bytes"
                : std::string(field) + ": " + std::to_string(have) +
                      " values") +
           " for " + std::to_string(n) + " elements";

  HostTensor t = HostTensor::zeros(type);
  for (int64_t i = 0; i < n; ++i) {
    if (raw) {
      uint64_t bits = readLE(bytes.data() + i * width, width);
      // Sign-extend signed integers narrower than 64 bits.
      if (!isFloat(et) && !isUnsigned(et) && width < 8 &&
          (bits >> (8 * width - 1)) & 1)
        bits |= ~uint64_t(0) << (8 * width);
      setFromBits(t, i, bits);
      continue;
    }
    switch (et) {
    case ElementType::F32:
      t.f32[i] = proto.float_data(i);
      break;
    case ElementType::F64:
      t.f64[i] = proto.double_data(i);
      break;
    case ElementType::I64:
      t.ints[i] = proto.int64_data(i);
      break;
    case ElementType::U32:
    case ElementType::U64:
      setFromBits(t, i, proto.uint64_data(i));
      break;
    case ElementType::F16:
    case ElementType::BF16: // Bit patterns in int32_data.
      setFromBits(t, i, static_cast<uint16_t>(proto.int32_data(i)));
      break;
    default:
      t.setInt(i, proto.int32_data(i));
      break;
    }
  }
  out = std::move(t);
  return {};
}

} // namespace mase::onnx_import
