//===- NodeSemanticsTest.cpp - ONNX node typing and folding ---------------===//

#include "mase/Import/ONNX/NodeSemantics.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <optional>

using namespace mase::onnx_import;

namespace {

using ET = ElementType;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

/// A node input: a type, and a value when it is a constant.
struct In {
  TensorType type;
  std::optional<HostTensor> value;
};

In typed(ET et, Shape shape) { return {{et, std::move(shape)}, std::nullopt}; }

In ints(std::vector<int64_t> values, std::optional<Shape> shape = {},
        ET et = ET::I64) {
  Shape s = shape ? *shape : Shape{static_cast<int64_t>(values.size())};
  HostTensor t = HostTensor::fromInts(et, s, values);
  return {t.type, t};
}

In floats(std::vector<double> values, std::optional<Shape> shape = {},
          ET et = ET::F32) {
  Shape s = shape ? *shape : Shape{static_cast<int64_t>(values.size())};
  HostTensor t = HostTensor::fromDoubles(et, s, values);
  return {t.type, t};
}

In bools(std::vector<int64_t> values, Shape shape) {
  return ints(std::move(values), std::move(shape), ET::Bool);
}

std::vector<double> doublesOf(const HostTensor &t) {
  std::vector<double> v;
  for (int64_t i = 0; i < t.numElements(); ++i)
    v.push_back(t.getDouble(i));
  return v;
}

struct Result {
  std::string error;
  std::vector<TensorType> types;
  std::vector<HostTensor> values;
  const Shape &shape(size_t i = 0) const { return types.at(i).shape; }
  const std::vector<int64_t> &ints(size_t i = 0) const {
    return values.at(i).ints;
  }
};

/// Builds one node and runs inferTypes, then (fold) canFold and evaluate.
class Node {
public:
  explicit Node(const std::string &opType, int numOutputs = 1) {
    node.set_op_type(opType);
    node.set_name("n");
    for (int i = 0; i < numOutputs; ++i)
      node.add_output("y" + std::to_string(i));
  }

  Node &in(In input) {
    node.add_input("x" + std::to_string(inputs.size()));
    inputs.push_back(std::move(input));
    return *this;
  }
  Node &absent() {
    node.add_input("");
    inputs.push_back(std::nullopt);
    return *this;
  }
  onnx::AttributeProto &attr(const std::string &name,
                             onnx::AttributeProto::AttributeType type) {
    onnx::AttributeProto *a = node.add_attribute();
    a->set_name(name);
    a->set_type(type);
    return *a;
  }
  Node &attr(const std::string &name, int64_t v) {
    attr(name, onnx::AttributeProto::INT).set_i(v);
    return *this;
  }
  Node &attrF(const std::string &name, float v) {
    attr(name, onnx::AttributeProto::FLOAT).set_f(v);
    return *this;
  }
  Node &attr(const std::string &name, std::vector<int64_t> v) {
    onnx::AttributeProto &a = attr(name, onnx::AttributeProto::INTS);
    for (int64_t x : v)
      a.add_ints(x);
    return *this;
  }
  Node &attr(const std::string &name, const std::string &v) {
    attr(name, onnx::AttributeProto::STRING).set_s(v);
    return *this;
  }
  Node &attr(const std::string &name, const onnx::TensorProto &v) {
    *attr(name, onnx::AttributeProto::TENSOR).mutable_t() = v;
    return *this;
  }
  Node &drop(int outputIndex) {
    node.set_output(outputIndex, "");
    return *this;
  }

  Result infer(int opset = 18) const {
    Result r;
    std::vector<const TensorType *> types;
    std::vector<const HostTensor *> values;
    for (const auto &input : inputs) {
      types.push_back(input ? &input->type : nullptr);
      values.push_back(input && input->value ? &*input->value : nullptr);
    }
    r.error = inferTypes(node, opset, types, values, r.types);
    return r;
  }

  Result fold(int opset = 18) const {
    Result r = infer(opset);
    if (!r.error.empty())
      return r;
    if (!canFold(node, r.types)) {
      r.error = "not foldable";
      return r;
    }
    // Non-constant inputs (only valid for Shape) are passed type-only.
    std::vector<HostTensor> typeOnly(inputs.size());
    std::vector<const HostTensor *> values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i])
        typeOnly[i].type = inputs[i]->type;
      values.push_back(!inputs[i]         ? nullptr
                       : inputs[i]->value ? &*inputs[i]->value
                                          : &typeOnly[i]);
    }
    r.error = evaluate(node, opset, values, r.types, r.values);
    return r;
  }

  onnx::NodeProto node;

private:
  std::vector<std::optional<In>> inputs;
};

#define EXPECT_OK(r) ASSERT_EQ((r).error, "")
#define EXPECT_ERROR(r, text)                                                  \
  EXPECT_NE((r).error.find(text), std::string::npos) << (r).error

//===----------------------------------------------------------------------===//
// HostTensor
//===----------------------------------------------------------------------===//

TEST(HostTensor, ElementTypeMapping) {
  ElementType et;
  EXPECT_EQ(elementTypeFromOnnx(onnx::TensorProto_DataType_BFLOAT16, et), "");
  EXPECT_EQ(et, ET::BF16);
  EXPECT_EQ(elementTypeToOnnx(ET::U16), onnx::TensorProto_DataType_UINT16);
  EXPECT_NE(
      elementTypeFromOnnx(onnx::TensorProto_DataType_STRING, et).find("STRING"),
      std::string::npos);
  EXPECT_NE(elementTypeFromOnnx(99, et), "");
  EXPECT_EQ((TensorType{ET::I64, {2, 3}}.str()), "tensor<2x3xi64>");
  EXPECT_EQ((TensorType{ET::Bool, {}}.str()), "tensor<i1>");
}

TEST(HostTensor, HalfAndBFloat16) {
  EXPECT_EQ(floatToHalfBits(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalfBits(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalfBits(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalfBits(-0x1p-24f), 0x8001);
  EXPECT_EQ(floatToHalfBits(1.0f + 0x1p-11f), 0x3c00); // Tie to even.
  EXPECT_EQ(halfBitsToFloat(0x0001), 0x1p-24f);
  EXPECT_TRUE(std::isnan(halfBitsToFloat(floatToHalfBits(NAN))));
  EXPECT_EQ(floatToBFloat16Bits(1.0f + 0x1p-8f), 0x3f80); // Tie to even.
  EXPECT_EQ(bfloat16BitsToFloat(0x3fc0), 1.5f);
  EXPECT_EQ(roundToFloatType(0.1, ET::F16), halfBitsToFloat(0x2e66));
}

TEST(HostTensor, DecodeRawAndTypedData) {
  onnx::TensorProto p;
  p.set_name("w");
  p.set_data_type(onnx::TensorProto_DataType_INT16);
  p.add_dims(2);
  p.set_raw_data(std::string("\xff\xff\x02\x00", 4));
  HostTensor t;
  ASSERT_EQ(fromTensorProto(p, nullptr, t), "");
  EXPECT_EQ(t.ints, (std::vector<int64_t>{-1, 2}));

  onnx::TensorProto h;
  h.set_data_type(onnx::TensorProto_DataType_FLOAT16);
  h.add_dims(2);
  h.add_int32_data(0x3c00);
  h.add_int32_data(0xc000);
  ASSERT_EQ(fromTensorProto(h, nullptr, t), "");
  EXPECT_EQ(t.f32, (std::vector<float>{1.0f, -2.0f}));

  onnx::TensorProto b;
  b.set_data_type(onnx::TensorProto_DataType_BOOL);
  b.add_dims(3);
  for (int v : {1, 0, 1})
    b.add_int32_data(v);
  ASSERT_EQ(fromTensorProto(b, nullptr, t), "");
  EXPECT_EQ(t.ints, (std::vector<int64_t>{1, 0, 1}));

  onnx::TensorProto d;
  d.set_data_type(onnx::TensorProto_DataType_DOUBLE);
  d.add_double_data(2.5); // A scalar.
  ASSERT_EQ(fromTensorProto(d, nullptr, t), "");
  EXPECT_EQ(t.f64, (std::vector<double>{2.5}));
}

TEST(HostTensor, DecodeErrors) {
  onnx::TensorProto p;
  p.set_name("w");
  p.set_data_type(onnx::TensorProto_DataType_FLOAT);
  p.add_dims(2);
  p.add_dims(2);
  p.add_float_data(1.0f);
  HostTensor t;
  EXPECT_EQ(fromTensorProto(p, nullptr, t),
            "tensor 'w': too little data in float_data: 1 values for 4 "
            "elements");
  p.clear_float_data();
  p.set_raw_data(std::string(12, '\0'));
  EXPECT_EQ(fromTensorProto(p, nullptr, t),
            "tensor 'w': too little data in raw_data: 12 bytes for 4 "
            "elements");
  p.set_raw_data(std::string(17, '\0'));
  EXPECT_NE(fromTensorProto(p, nullptr, t).find("too much data in raw_data"),
            std::string::npos);

  p.clear_raw_data();
  p.set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
  EXPECT_NE(fromTensorProto(p, nullptr, t).find("external data"),
            std::string::npos);
  std::string bytes(16, '\0');
  bytes[3] = '\x3f'; // 0x3f800000 = 1.0f, little-endian.
  bytes[2] = '\x80';
  ASSERT_EQ(fromTensorProto(p, &bytes, t), "");
  EXPECT_EQ(t.f32, (std::vector<float>{1, 0, 0, 0}));

  // Checked before allocating.
  onnx::TensorProto huge;
  huge.set_data_type(onnx::TensorProto_DataType_DOUBLE);
  huge.add_dims(int64_t(1) << 40);
  EXPECT_NE(fromTensorProto(huge, nullptr, t).find("too little data"),
            std::string::npos);
  huge.add_dims(int64_t(1) << 40);
  EXPECT_NE(fromTensorProto(huge, nullptr, t).find("overflows"),
            std::string::npos);

  onnx::TensorProto s;
  s.set_data_type(onnx::TensorProto_DataType_STRING);
  EXPECT_NE(fromTensorProto(s, nullptr, t), "");
  onnx::TensorProto neg;
  neg.set_data_type(onnx::TensorProto_DataType_FLOAT);
  neg.add_dims(-1);
  EXPECT_NE(fromTensorProto(neg, nullptr, t).find("negative"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST(Elementwise, Broadcasting) {
  Result r =
      Node("Add").in(typed(ET::F32, {2, 3, 1})).in(typed(ET::F32, {4})).infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.types[0], (TensorType{ET::F32, {2, 3, 4}}));

  r = Node("Mul").in(ints({1, 2, 3}, Shape{3, 1})).in(ints({10, 20})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{10, 20, 20, 40, 30, 60}));

  r = Node("Add").in(typed(ET::F32, {2, 3})).in(typed(ET::F32, {4})).infer();
  EXPECT_ERROR(r, "Add node 'n': input shapes do not broadcast: [2x3] [4]");
  r = Node("Add").in(typed(ET::F32, {2})).in(typed(ET::I64, {2})).infer();
  EXPECT_ERROR(r, "element types differ");
}

TEST(Elementwise, IntegerAndFloatMath) {
  Result r = Node("Div").in(ints({7, -7})).in(ints({2})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{3, -3}));
  EXPECT_ERROR(Node("Div").in(ints({1})).in(ints({0})).fold(),
               "integer division by zero");
  r = Node("Add")
          .in(ints({127}, Shape{1}, ET::I8))
          .in(ints({1}, Shape{1}, ET::I8))
          .fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{-128}));
  r = Node("Pow").in(floats({2, 3})).in(ints({3})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(doublesOf(r.values[0]), (std::vector<double>{8, 27}));
  r = Node("Sqrt").in(floats({4, 2})).fold();
  EXPECT_EQ(r.values[0].f32, (std::vector<float>{2, std::sqrt(2.0f)}));
  r = Node("Max").in(floats({1, 5})).in(floats({3})).in(floats({2, 2})).fold();
  EXPECT_EQ(doublesOf(r.values[0]), (std::vector<double>{3, 5}));
  r = Node("Gelu").in(floats({0, 1})).fold(20);
  EXPECT_OK(r);
  EXPECT_NEAR(r.values[0].f32[1], 0.8413447f, 1e-6);
  EXPECT_ERROR(Node("Gelu").in(floats({0})).infer(19), "opset 19");
  EXPECT_ERROR(Node("Sqrt").in(ints({4})).infer(), "float element type");
}

TEST(Elementwise, ComparisonAndLogic) {
  Result r = Node("Equal").in(ints({1, 2, 3})).in(ints({2})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.types[0].elementType, ET::Bool);
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{0, 1, 0}));
  r = Node("GreaterOrEqual").in(floats({1, 2, 3})).in(floats({2})).fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{0, 1, 1}));
  r = Node("Not").in(bools({1, 0}, {2})).fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{0, 1}));
  r = Node("And").in(bools({1, 0}, {2})).in(bools({1}, {})).fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 0}));
  r = Node("IsNaN").in(floats({NAN, 1})).fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 0}));
  EXPECT_ERROR(Node("Or").in(ints({1})).in(ints({0})).infer(),
               "bool element type");
}

TEST(Elementwise, Where) {
  Result r = Node("Where")
                 .in(bools({1, 0}, {2, 1}))
                 .in(ints({1, 2, 3}))
                 .in(ints({-1}, Shape{}))
                 .fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 2, 3, -1, -1, -1}));
  EXPECT_ERROR(Node("Where").in(ints({1})).in(ints({1})).in(ints({1})).infer(),
               "bool element type");
}

TEST(Elementwise, Cast) {
  Result r = Node("Cast")
                 .in(floats({-1.7, 2.9, 0}))
                 .attr("to", int64_t(onnx::TensorProto_DataType_INT64))
                 .fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{-1, 2, 0}));
  r = Node("Cast")
          .in(floats({-1.7, 0}))
          .attr("to", int64_t(onnx::TensorProto_DataType_BOOL))
          .fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 0}));
  r = Node("Cast")
          .in(ints({2049, 300}))
          .attr("to", int64_t(onnx::TensorProto_DataType_FLOAT16))
          .fold();
  EXPECT_EQ(r.types[0].elementType, ET::F16);
  EXPECT_EQ(r.values[0].f32, (std::vector<float>{2048, 300}));
  r = Node("Cast")
          .in(ints({300}))
          .attr("to", int64_t(onnx::TensorProto_DataType_UINT8))
          .fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{44}));
  EXPECT_ERROR(Node("Cast")
                   .in(ints({1}))
                   .attr("to", int64_t(onnx::TensorProto_DataType_STRING))
                   .infer(),
               "cannot cast");
  EXPECT_ERROR(Node("Cast").in(ints({1})).infer(), "'to'");
}

TEST(Elementwise, ClipDropoutIdentity) {
  Result r =
      Node("Clip").in(ints({-5, 0, 9})).in(ints({-1}, Shape{})).absent().fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{-1, 0, 9}));
  r = Node("Clip")
          .in(floats({-5, 0, 9}))
          .absent()
          .in(floats({1}, Shape{}))
          .fold();
  EXPECT_EQ(doublesOf(r.values[0]), (std::vector<double>{-5, 0, 1}));

  r = Node("Dropout", 2).in(floats({1, 2})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.types[1], (TensorType{ET::Bool, {2}}));
  EXPECT_EQ(r.ints(1), (std::vector<int64_t>{1, 1}));
  r = Node("Dropout", 2).in(floats({1})).absent().in(bools({1}, {})).infer();
  EXPECT_ERROR(r, "training_mode must be a false scalar");
  r = Node("Dropout").in(floats({1})).absent().in(typed(ET::Bool, {})).infer();
  EXPECT_ERROR(r, "must be a constant");

  r = Node("Identity").in(ints({4, 5})).fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{4, 5}));
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

TEST(ShapeOps, ReshapeZeroAndMinusOne) {
  Result r =
      Node("Reshape").in(typed(ET::F32, {2, 3, 4})).in(ints({0, -1})).infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 12}));
  r = Node("Reshape")
          .in(typed(ET::F32, {2, 3, 4}))
          .in(ints({-1, 0, 2}))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{4, 3, 2}));
  r = Node("Reshape")
          .in(typed(ET::F32, {0, 4}))
          .in(ints({0, 4}))
          .attr("allowzero", int64_t(1))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{0, 4}));
  r = Node("Reshape")
          .in(ints({1, 2, 3, 4, 5, 6}, Shape{2, 3}))
          .in(ints({3, -1}))
          .fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));

  EXPECT_ERROR(
      Node("Reshape").in(typed(ET::F32, {2, 3})).in(ints({-1, -1})).infer(),
      "more than one -1");
  EXPECT_ERROR(
      Node("Reshape").in(typed(ET::F32, {2, 3})).in(ints({4, -1})).infer(),
      "cannot reshape tensor<2x3xf32> to [4, -1]");
  EXPECT_ERROR(Node("Reshape")
                   .in(typed(ET::F32, {2, 3}))
                   .in(ints({0, -1}))
                   .attr("allowzero", int64_t(1))
                   .infer(),
               "allowzero");
  EXPECT_ERROR(Node("Reshape").in(typed(ET::F32, {6})).in(ints({6, 0})).infer(),
               "past the input rank");
}

TEST(ShapeOps, NonConstantShapeInput) {
  Result r = Node("Reshape")
                 .in(typed(ET::F32, {2, 3}))
                 .in(typed(ET::I64, {2}))
                 .infer();
  EXPECT_EQ(r.error, "Reshape node 'n': input 1 ('x1') must be a constant: "
                     "mase needs static shapes");
  EXPECT_ERROR(
      Node("Expand").in(typed(ET::F32, {3})).in(typed(ET::I64, {2})).infer(),
      "must be a constant");
  EXPECT_ERROR(
      Node("Add").in(typed(ET::F32, {-1, 3})).in(typed(ET::F32, {3})).infer(),
      "static shapes");
}

TEST(ShapeOps, ShapeGatherConcat) {
  // The classic shape subgraph: Shape -> Gather -> Unsqueeze -> Concat.
  Result shape = Node("Shape").in(typed(ET::F32, {2, 3, 4})).infer();
  EXPECT_OK(shape);
  EXPECT_EQ(shape.types[0], (TensorType{ET::I64, {3}}));

  Node shapeNode("Shape");
  shapeNode.in(typed(ET::F32, {2, 3, 4}));
  EXPECT_TRUE(foldsFromInputTypes(shapeNode.node));
  HostTensor typeOnly;
  typeOnly.type = {ET::F32, {2, 3, 4}};
  std::vector<HostTensor> out;
  ASSERT_EQ(evaluate(shapeNode.node, 18, {&typeOnly}, shape.types, out), "");
  EXPECT_EQ(out[0].ints, (std::vector<int64_t>{2, 3, 4}));

  Result part = Node("Shape")
                    .in(typed(ET::F32, {2, 3, 4, 5}))
                    .attr("start", int64_t(1))
                    .attr("end", int64_t(-1))
                    .fold();
  EXPECT_EQ(part.ints(), (std::vector<int64_t>{3, 4}));
  part = Node("Shape")
             .in(typed(ET::F32, {2, 3, 4, 5}))
             .attr("start", int64_t(-10))
             .attr("end", int64_t(100))
             .fold();
  EXPECT_EQ(part.ints(), (std::vector<int64_t>{2, 3, 4, 5}));

  Result dim =
      Node("Gather").in(ints({2, 3, 4})).in(ints({-1}, Shape{})).fold();
  EXPECT_OK(dim);
  EXPECT_EQ(dim.types[0], (TensorType{ET::I64, {}}));
  EXPECT_EQ(dim.ints(), (std::vector<int64_t>{4}));
  Result rows = Node("Gather")
                    .in(ints({1, 2, 3, 4, 5, 6}, Shape{3, 2}))
                    .in(ints({1, 0}, Shape{2, 1}, ET::I32))
                    .attr("axis", int64_t(-1))
                    .fold();
  EXPECT_EQ(rows.shape(), (Shape{3, 2, 1}));
  EXPECT_EQ(rows.ints(), (std::vector<int64_t>{2, 1, 4, 3, 6, 5}));
  EXPECT_ERROR(Node("Gather").in(ints({2, 3})).in(ints({2}, Shape{})).fold(),
               "index 2 is out of range for axis 0 of size 2");
  EXPECT_ERROR(Node("Gather").in(ints({2, 3})).in(floats({0})).infer(),
               "indices must be i32 or i64");

  Result cat = Node("Concat")
                   .in(ints({7}))
                   .in(ints({-1, 64}))
                   .attr("axis", int64_t(0))
                   .fold();
  EXPECT_EQ(cat.ints(), (std::vector<int64_t>{7, -1, 64}));
  cat = Node("Concat")
            .in(ints({1, 2, 3, 4}, Shape{2, 2}))
            .in(ints({5, 6}, Shape{2, 1}))
            .attr("axis", int64_t(-1))
            .fold();
  EXPECT_EQ(cat.shape(), (Shape{2, 3}));
  EXPECT_EQ(cat.ints(), (std::vector<int64_t>{1, 2, 5, 3, 4, 6}));
  EXPECT_ERROR(Node("Concat")
                   .in(ints({1}))
                   .in(ints({2}))
                   .attr("axis", int64_t(1))
                   .infer(),
               "axis 1 is out of range for rank 1");
  EXPECT_ERROR(Node("Concat").in(ints({1})).in(ints({2})).infer(),
               "missing required attribute 'axis'");
  EXPECT_ERROR(Node("Concat")
                   .in(typed(ET::F32, {2, 2}))
                   .in(typed(ET::F32, {3, 2}))
                   .attr("axis", int64_t(1))
                   .infer(),
               "does not match input 0");
}

TEST(ShapeOps, UnsqueezeSqueezeAcrossOpsets) {
  // Opset 11: axes attribute; opset 13: axes input.
  Result a = Node("Unsqueeze")
                 .in(typed(ET::F32, {3, 4}))
                 .attr("axes", std::vector<int64_t>{0, -1})
                 .infer(11);
  EXPECT_OK(a);
  EXPECT_EQ(a.shape(), (Shape{1, 3, 4, 1}));
  Result b =
      Node("Unsqueeze").in(typed(ET::F32, {3, 4})).in(ints({0, -1})).infer(13);
  EXPECT_OK(b);
  EXPECT_EQ(b.shape(), a.shape());
  EXPECT_ERROR(Node("Unsqueeze").in(typed(ET::F32, {3})).infer(13),
               "missing required input 1");
  EXPECT_ERROR(Node("Unsqueeze").in(typed(ET::F32, {3})).infer(11),
               "missing required attribute 'axes'");
  EXPECT_ERROR(
      Node("Unsqueeze").in(typed(ET::F32, {3})).in(ints({0})).infer(12),
      "axes is an attribute before opset 13");
  EXPECT_ERROR(Node("Unsqueeze")
                   .in(typed(ET::F32, {3}))
                   .in(ints({0}))
                   .attr("axes", std::vector<int64_t>{0})
                   .infer(13),
               "axes is an input from opset 13");
  EXPECT_ERROR(
      Node("Unsqueeze").in(typed(ET::F32, {3})).in(ints({0, 0})).infer(13),
      "repeated axis");
  EXPECT_ERROR(Node("Unsqueeze").in(typed(ET::F32, {3})).in(ints({2})).infer(),
               "axis 2 is out of range for rank 2");
  Result scalar = Node("Unsqueeze").in(ints({5}, Shape{})).in(ints({0})).fold();
  EXPECT_EQ(scalar.shape(), (Shape{1}));
  EXPECT_EQ(scalar.ints(), (std::vector<int64_t>{5}));

  Result s = Node("Squeeze").in(typed(ET::F32, {1, 3, 1})).infer(13);
  EXPECT_EQ(s.shape(), (Shape{3}));
  s = Node("Squeeze").in(typed(ET::F32, {1, 3, 1})).in(ints({-1})).infer(13);
  EXPECT_EQ(s.shape(), (Shape{1, 3}));
  s = Node("Squeeze")
          .in(typed(ET::F32, {1, 3, 1}))
          .attr("axes", std::vector<int64_t>{0})
          .infer(11);
  EXPECT_EQ(s.shape(), (Shape{3, 1}));
  EXPECT_ERROR(Node("Squeeze").in(typed(ET::F32, {1, 3})).in(ints({1})).infer(),
               "cannot squeeze axis 1 of size 3");
}

TEST(ShapeOps, Slice) {
  const std::vector<int64_t> iota{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto slice = [&](std::vector<int64_t> starts, std::vector<int64_t> ends,
                   std::optional<std::vector<int64_t>> steps = {}) {
    Node n("Slice");
    n.in(ints(iota)).in(ints(starts)).in(ints(ends));
    if (steps)
      n.absent().in(ints(*steps));
    return n.fold();
  };
  EXPECT_EQ(slice({-3}, {kInt64Max}).ints(), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(slice({2}, {-5}).ints(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(slice({-100}, {2}).ints(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(slice({1}, {100}, {{3}}).ints(), (std::vector<int64_t>{1, 4, 7}));
  EXPECT_EQ(slice({-1}, {kInt64Min}, {{-1}}).ints(),
            (std::vector<int64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(slice({100}, {-100}, {{-4}}).ints(),
            (std::vector<int64_t>{9, 5, 1}));
  EXPECT_EQ(slice({5}, {2}).shape(), (Shape{0}));
  EXPECT_EQ(slice({0}, {10}, {{kInt64Min}}).shape(), (Shape{0}));
  EXPECT_ERROR(slice({0}, {10}, {{0}}), "step must not be zero");

  Result r = Node("Slice")
                 .in(ints({1, 2, 3, 4, 5, 6}, Shape{2, 3}))
                 .in(ints({1, 0}))
                 .in(ints({kInt64Max, 2}))
                 .in(ints({-1, 0}))
                 .in(ints({2, 1}))
                 .fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 1})); // Columns 1::2, rows 0:2.
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{2, 5}));
  EXPECT_ERROR(Node("Slice")
                   .in(typed(ET::F32, {4}))
                   .in(ints({0}))
                   .in(typed(ET::I64, {1}))
                   .infer(),
               "input 2 ('x2') must be a constant");
  EXPECT_ERROR(Node("Slice")
                   .in(typed(ET::F32, {4}))
                   .in(ints({0}))
                   .in(ints({1}))
                   .in(ints({1}))
                   .infer(),
               "axis 1 is out of range for rank 1");
  EXPECT_ERROR(Node("Slice")
                   .in(typed(ET::F32, {4}))
                   .in(ints({0, 1}))
                   .in(ints({1}))
                   .infer(),
               "same length");
}

TEST(ShapeOps, RangeConstantOfShapeExpand) {
  Result r = Node("Range")
                 .in(ints({0}, Shape{}))
                 .in(ints({10}, Shape{}))
                 .in(ints({3}, Shape{}))
                 .fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{0, 3, 6, 9}));
  r = Node("Range")
          .in(ints({5}, Shape{}))
          .in(ints({1}, Shape{}))
          .in(ints({-2}, Shape{}))
          .fold();
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{5, 3}));
  r = Node("Range")
          .in(ints({5}, Shape{}))
          .in(ints({1}, Shape{}))
          .in(ints({2}, Shape{}))
          .fold();
  EXPECT_EQ(r.shape(), (Shape{0}));
  r = Node("Range")
          .in(floats({1}, Shape{}))
          .in(floats({2}, Shape{}))
          .in(floats({0.25}, Shape{}))
          .fold();
  EXPECT_EQ(r.values[0].f32, (std::vector<float>{1, 1.25, 1.5, 1.75}));
  EXPECT_ERROR(Node("Range")
                   .in(ints({0}, Shape{}))
                   .in(ints({4}, Shape{}))
                   .in(ints({0}, Shape{}))
                   .infer(),
               "delta must not be zero");
  EXPECT_ERROR(Node("Range")
                   .in(ints({0}, Shape{}))
                   .in(typed(ET::I64, {}))
                   .in(ints({1}, Shape{}))
                   .infer(),
               "must be a constant");

  r = Node("ConstantOfShape").in(ints({2, 3})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.types[0], (TensorType{ET::F32, {2, 3}}));
  EXPECT_EQ(r.values[0].f32, std::vector<float>(6, 0.0f));
  onnx::TensorProto one;
  one.set_data_type(onnx::TensorProto_DataType_INT64);
  one.add_dims(1);
  one.add_int64_data(1);
  r = Node("ConstantOfShape").in(ints({})).attr("value", one).fold();
  EXPECT_EQ(r.types[0], (TensorType{ET::I64, {}}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1}));
  EXPECT_ERROR(Node("ConstantOfShape").in(ints({2, -1})).infer(),
               "negative dimension");
  EXPECT_ERROR(
      Node("ConstantOfShape").in(ints({1 << 30, 1 << 30, 1 << 30})).infer(),
      "is too large");

  r = Node("Expand").in(ints({1, 2}, Shape{2, 1})).in(ints({2, 1, 3})).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(r.ints(),
            (std::vector<int64_t>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
  EXPECT_ERROR(Node("Expand").in(typed(ET::F32, {3})).in(ints({2})).infer(),
               "cannot expand tensor<3xf32> to [2]");
}

TEST(ShapeOps, TransposeFlattenSplit) {
  Result r = Node("Transpose").in(ints({1, 2, 3, 4, 5, 6}, Shape{2, 3})).fold();
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  r = Node("Transpose")
          .in(typed(ET::F32, {2, 3, 4}))
          .attr("perm", std::vector<int64_t>{1, 2, 0})
          .infer();
  EXPECT_EQ(r.shape(), (Shape{3, 4, 2}));
  EXPECT_ERROR(Node("Transpose")
                   .in(typed(ET::F32, {2, 3}))
                   .attr("perm", std::vector<int64_t>{0, 0})
                   .infer(),
               "not a permutation");

  r = Node("Flatten").in(typed(ET::F32, {2, 3, 4})).infer();
  EXPECT_EQ(r.shape(), (Shape{2, 12}));
  r = Node("Flatten")
          .in(typed(ET::F32, {2, 3, 4}))
          .attr("axis", int64_t(0))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 24}));
  EXPECT_ERROR(
      Node("Flatten").in(typed(ET::F32, {2})).attr("axis", int64_t(3)).infer(),
      "out of range");

  r = Node("Split", 2)
          .in(ints({1, 2, 3, 4, 5, 6}, Shape{2, 3}))
          .in(ints({1, 2}))
          .attr("axis", int64_t(1))
          .fold(13);
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(1), (Shape{2, 2}));
  EXPECT_EQ(r.ints(0), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(r.ints(1), (std::vector<int64_t>{2, 3, 5, 6}));
  r = Node("Split", 3)
          .in(typed(ET::F32, {7}))
          .attr("num_outputs", int64_t(3))
          .infer(18);
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(2), (Shape{1}));
  EXPECT_EQ(r.shape(0), (Shape{3}));
  r = Node("Split", 2)
          .in(typed(ET::F32, {4, 6}))
          .attr("split", std::vector<int64_t>{2, 2})
          .infer(11);
  EXPECT_EQ(r.shape(1), (Shape{2, 6}));
  EXPECT_ERROR(Node("Split", 2).in(typed(ET::F32, {5})).infer(13),
               "of equal size");
  EXPECT_ERROR(
      Node("Split", 2).in(typed(ET::F32, {5})).in(ints({2, 2})).infer(),
      "of sizes [2, 2]");
}

TEST(ShapeOps, Constant) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto_DataType_FLOAT);
  t.add_dims(2);
  t.add_float_data(1.5f);
  t.add_float_data(-2.0f);
  Result r = Node("Constant").attr("value", t).fold();
  EXPECT_OK(r);
  EXPECT_EQ(r.values[0].f32, (std::vector<float>{1.5f, -2.0f}));
  r = Node("Constant").attr("value_ints", std::vector<int64_t>{3, 4}).fold();
  EXPECT_EQ(r.types[0], (TensorType{ET::I64, {2}}));
  r = Node("Constant").attr("value_int", int64_t(7)).fold();
  EXPECT_EQ(r.types[0], (TensorType{ET::I64, {}}));
  r = Node("Constant").attrF("value_float", 0.5f).fold();
  EXPECT_EQ(r.values[0].f32, (std::vector<float>{0.5f}));
  EXPECT_ERROR(Node("Constant").infer(), "exactly one value attribute");
  EXPECT_ERROR(Node("Constant").attr("value_string", std::string("a")).infer(),
               "unsupported value attribute 'value_string'");
  // Constants fold whatever their size.
  Node big("Constant");
  onnx::TensorProto z;
  z.set_data_type(onnx::TensorProto_DataType_INT8);
  z.add_dims(2 * kMaxFoldElements);
  big.attr("value", z);
  Result bigType = big.infer();
  EXPECT_TRUE(canFold(big.node, bigType.types));
}

TEST(Reduce, AxesAcrossOpsets) {
  In data = ints({1, 2, 3, 4, 5, 6}, Shape{2, 3});
  Result r = Node("ReduceSum").in(data).in(ints({1})).fold(13);
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 1}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{6, 15}));
  r = Node("ReduceSum").in(data).attr("keepdims", int64_t(0)).fold(13);
  EXPECT_EQ(r.shape(), (Shape{}));
  EXPECT_EQ(r.ints(), (std::vector<int64_t>{21}));
  r = Node("ReduceSum")
          .in(data)
          .attr("noop_with_empty_axes", int64_t(1))
          .fold(13);
  EXPECT_EQ(r.ints(), data.value->ints);
  r = Node("ReduceMean")
          .in(floats({1, 2, 3, 4}, Shape{2, 2}))
          .attr("axes", std::vector<int64_t>{0})
          .attr("keepdims", int64_t(0))
          .fold(17);
  EXPECT_EQ(doublesOf(r.values[0]), (std::vector<double>{2, 3}));
  r = Node("ReduceMax")
          .in(floats({1, 7, 3, 4}, Shape{2, 2}))
          .in(ints({-1}))
          .fold(18);
  EXPECT_EQ(doublesOf(r.values[0]), (std::vector<double>{7, 4}));
  EXPECT_ERROR(Node("ReduceMean").in(data).in(ints({0})).infer(17),
               "axes is an attribute before opset 18");
  EXPECT_ERROR(Node("ReduceSum")
                   .in(data)
                   .attr("axes", std::vector<int64_t>{0})
                   .infer(13),
               "axes is an input from opset 13");
  EXPECT_ERROR(Node("ReduceMax").in(data).in(ints({2})).infer(18),
               "axis 2 is out of range for rank 2");
}

//===----------------------------------------------------------------------===//
// NN ops (types only)
//===----------------------------------------------------------------------===//

TEST(NNOps, MatMulBatchBroadcast) {
  Result r = Node("MatMul")
                 .in(typed(ET::F32, {2, 1, 3, 4}))
                 .in(typed(ET::F32, {5, 4, 6}))
                 .infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{2, 5, 3, 6}));
  EXPECT_EQ(Node("MatMul")
                .in(typed(ET::F32, {4}))
                .in(typed(ET::F32, {2, 4, 6}))
                .infer()
                .shape(),
            (Shape{2, 6}));
  EXPECT_EQ(Node("MatMul")
                .in(typed(ET::F32, {3, 4}))
                .in(typed(ET::F32, {4}))
                .infer()
                .shape(),
            (Shape{3}));
  EXPECT_EQ(Node("MatMul")
                .in(typed(ET::F32, {4}))
                .in(typed(ET::F32, {4}))
                .infer()
                .shape(),
            (Shape{}));
  EXPECT_ERROR(Node("MatMul")
                   .in(typed(ET::F32, {3, 4}))
                   .in(typed(ET::F32, {5, 6}))
                   .infer(),
               "incompatible operand shapes");
  EXPECT_ERROR(Node("MatMul")
                   .in(typed(ET::F32, {2, 3, 4}))
                   .in(typed(ET::F32, {3, 4, 6}))
                   .infer(),
               "incompatible");
  Node mm("MatMul");
  mm.in(floats({1}, Shape{1, 1})).in(floats({1}, Shape{1, 1}));
  Result small = mm.infer();
  EXPECT_FALSE(canFold(mm.node, small.types));
}

TEST(NNOps, Gemm) {
  Result r = Node("Gemm")
                 .in(typed(ET::F32, {4, 3}))
                 .in(typed(ET::F32, {5, 4}))
                 .in(typed(ET::F32, {5}))
                 .attr("transA", int64_t(1))
                 .attr("transB", int64_t(1))
                 .infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{3, 5}));
  r = Node("Gemm")
          .in(typed(ET::F32, {3, 4}))
          .in(typed(ET::F32, {4, 5}))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{3, 5}));
  EXPECT_ERROR(Node("Gemm")
                   .in(typed(ET::F32, {3, 4}))
                   .in(typed(ET::F32, {5, 4}))
                   .infer(),
               "inner dimensions differ: 4 and 5");
  EXPECT_ERROR(Node("Gemm")
                   .in(typed(ET::F32, {3, 4}))
                   .in(typed(ET::F32, {4, 5}))
                   .in(typed(ET::F32, {3, 1, 5}))
                   .infer(),
               "does not broadcast to [3x5]");
  EXPECT_ERROR(Node("Gemm").in(typed(ET::F32, {3, 4})).absent().infer(),
               "missing required input 1");
}

TEST(NNOps, LayerNormalizationAndSoftmax) {
  Result r = Node("LayerNormalization", 3)
                 .in(typed(ET::F16, {2, 5, 8}))
                 .in(typed(ET::F16, {8}))
                 .in(typed(ET::F16, {8}))
                 .infer(17);
  EXPECT_OK(r);
  EXPECT_EQ(r.types[0], (TensorType{ET::F16, {2, 5, 8}}));
  EXPECT_EQ(r.types[1], (TensorType{ET::F32, {2, 5, 1}}));
  EXPECT_EQ(r.types[2], (TensorType{ET::F32, {2, 5, 1}}));
  r = Node("LayerNormalization")
          .in(typed(ET::F32, {2, 5, 8}))
          .in(typed(ET::F32, {5, 8}))
          .attr("axis", int64_t(1))
          .infer(17);
  EXPECT_OK(r);
  EXPECT_ERROR(Node("LayerNormalization")
                   .in(typed(ET::F32, {2, 8}))
                   .in(typed(ET::F32, {7}))
                   .infer(17),
               "Scale of shape [7] does not broadcast");
  EXPECT_ERROR(Node("LayerNormalization")
                   .in(typed(ET::F32, {2, 8}))
                   .in(typed(ET::F32, {8}))
                   .attr("axis", int64_t(2))
                   .infer(17),
               "axis 2 is out of range for rank 2");
  EXPECT_ERROR(Node("LayerNormalization")
                   .in(typed(ET::F32, {8}))
                   .in(typed(ET::F32, {8}))
                   .infer(16),
               "opset 16 is not supported");

  EXPECT_OK(Node("Softmax").in(typed(ET::F32, {2, 3})).infer(13));
  EXPECT_ERROR(Node("Softmax")
                   .in(typed(ET::F32, {2, 3}))
                   .attr("axis", int64_t(-3))
                   .infer(13),
               "axis -3 is out of range");
  EXPECT_FALSE(isSupported("Softmax", 12));
}

TEST(NNOps, ConvOutputShapes) {
  auto conv = [](Shape x, Shape w) {
    Node n("Conv");
    n.in(typed(ET::F32, std::move(x))).in(typed(ET::F32, std::move(w)));
    return n;
  };
  Result r = conv({1, 3, 224, 224}, {64, 3, 7, 7})
                 .attr("strides", std::vector<int64_t>{2, 2})
                 .attr("pads", std::vector<int64_t>{3, 3, 3, 3})
                 .infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{1, 64, 112, 112}));
  r = conv({1, 3, 224, 224}, {64, 3, 7, 7})
          .attr("strides", std::vector<int64_t>{2, 2})
          .attr("auto_pad", std::string("SAME_UPPER"))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 64, 112, 112}));
  r = conv({1, 3, 10, 9}, {8, 3, 3, 3})
          .attr("auto_pad", std::string("VALID"))
          .attr("strides", std::vector<int64_t>{2, 2})
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 8, 4, 4}));
  r = conv({2, 8, 10, 10}, {16, 2, 3, 3})
          .attr("group", int64_t(4))
          .attr("dilations", std::vector<int64_t>{2, 2})
          .attr("pads", std::vector<int64_t>{2, 2, 2, 2})
          .infer();
  EXPECT_EQ(r.shape(), (Shape{2, 16, 10, 10}));
  r = conv({1, 4, 5, 5}, {4, 1, 3, 3})
          .attr("group", int64_t(4))
          .in(typed(ET::F32, {4}))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 4, 3, 3}));

  EXPECT_ERROR(conv({1, 3, 8, 8}, {4, 2, 3, 3}).infer(), "do not match");
  EXPECT_ERROR(conv({1, 3, 8, 8}, {4, 3, 3, 3})
                   .attr("auto_pad", std::string("SAME"))
                   .infer(),
               "unknown auto_pad 'SAME'");
  EXPECT_ERROR(conv({1, 3, 2, 2}, {4, 3, 3, 3}).infer(),
               "larger than the padded input");
  EXPECT_ERROR(conv({1, 3, 8, 8}, {4, 3, 3, 3})
                   .attr("strides", std::vector<int64_t>{0, 1})
                   .infer(),
               "must be in [1, 2^30]");
  EXPECT_ERROR(conv({1, 3, 8, 8}, {4, 3, 3, 3}).in(typed(ET::F32, {3})).infer(),
               "bias must have shape [4]");
}

TEST(NNOps, Pooling) {
  Result r = Node("MaxPool", 2)
                 .in(typed(ET::F32, {1, 64, 112, 112}))
                 .attr("kernel_shape", std::vector<int64_t>{3, 3})
                 .attr("strides", std::vector<int64_t>{2, 2})
                 .attr("pads", std::vector<int64_t>{1, 1, 1, 1})
                 .infer();
  EXPECT_OK(r);
  EXPECT_EQ(r.shape(), (Shape{1, 64, 56, 56}));
  EXPECT_EQ(r.types[1], (TensorType{ET::I64, {1, 64, 56, 56}}));
  // ceil_mode: ceil((6 - 3) / 2) + 1 = 3.
  r = Node("MaxPool")
          .in(typed(ET::F32, {1, 1, 6, 6}))
          .attr("kernel_shape", std::vector<int64_t>{3, 3})
          .attr("strides", std::vector<int64_t>{2, 2})
          .attr("ceil_mode", int64_t(1))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 1, 3, 3}));
  // ceil((4 + 1 - 2) / 2) + 1 = 3, but the last window would start in the
  // end padding, so it is dropped.
  r = Node("AveragePool")
          .in(typed(ET::F32, {1, 1, 4, 4}))
          .attr("kernel_shape", std::vector<int64_t>{2, 2})
          .attr("strides", std::vector<int64_t>{2, 2})
          .attr("pads", std::vector<int64_t>{0, 0, 1, 1})
          .attr("ceil_mode", int64_t(1))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 1, 2, 2}));
  r = Node("AveragePool")
          .in(typed(ET::F32, {1, 1, 5, 5}))
          .attr("kernel_shape", std::vector<int64_t>{2, 2})
          .attr("auto_pad", std::string("SAME_LOWER"))
          .infer();
  EXPECT_EQ(r.shape(), (Shape{1, 1, 5, 5}));
  EXPECT_ERROR(Node("MaxPool").in(typed(ET::F32, {1, 1, 5, 5})).infer(),
               "kernel_shape");
  r = Node("GlobalAveragePool").in(typed(ET::F32, {2, 8, 7, 7})).infer();
  EXPECT_EQ(r.shape(), (Shape{2, 8, 1, 1}));
}

//===----------------------------------------------------------------------===//
// Dispatch, folding policy and malformed nodes
//===----------------------------------------------------------------------===//

TEST(Dispatch, SupportAndFolding) {
  EXPECT_TRUE(isSupported("Gelu", 20));
  EXPECT_FALSE(isSupported("Gelu", 19));
  EXPECT_TRUE(isSupported("Unsqueeze", 11));
  EXPECT_FALSE(isSupported("Add", 24));
  EXPECT_FALSE(isSupported("NonZero", 18));
  // Ops unchanged since older opsets are covered from there.
  EXPECT_TRUE(isSupported("Xor", 7));
  EXPECT_TRUE(isSupported("Not", 1));
  EXPECT_FALSE(isSupported("And", 6));
  auto ops = supportedOps();
  EXPECT_EQ(ops.size(), 58u);
  EXPECT_EQ(ops.front().first, "Abs");

  Node add("Add");
  add.in(typed(ET::F32, {1024, 1025})).in(typed(ET::F32, {1}));
  EXPECT_FALSE(canFold(add.node, add.infer().types));
  Node addSmall("Add");
  addSmall.in(typed(ET::F32, {1024, 1024})).in(typed(ET::F32, {1}));
  EXPECT_TRUE(canFold(addSmall.node, addSmall.infer().types));
  Node conv("Conv");
  EXPECT_FALSE(canFold(conv.node, {}));

  Node custom("Add");
  custom.node.set_domain("com.microsoft");
  custom.in(typed(ET::F32, {1})).in(typed(ET::F32, {1}));
  EXPECT_ERROR(custom.infer(), "unsupported domain 'com.microsoft'");
  EXPECT_ERROR(Node("NonZero").in(typed(ET::F32, {1})).infer(),
               "NonZero node 'n': unsupported op type");
}

TEST(Dispatch, MalformedNodes) {
  EXPECT_ERROR(Node("Add").in(typed(ET::F32, {1})).infer(),
               "expects 2 inputs, got 1");
  EXPECT_ERROR(Node("Relu", 2).in(typed(ET::F32, {1})).infer(),
               "expects 1 outputs, got 2");
  EXPECT_ERROR(Node("Add").in(typed(ET::F32, {1})).absent().infer(),
               "missing required input 1");
  EXPECT_ERROR(Node("Gather")
                   .in(ints({1}))
                   .in(ints({0}))
                   .attr("axis", std::string("zero"))
                   .infer(),
               "attribute 'axis' must be of type INT");
  EXPECT_ERROR(Node("Gather")
                   .in(ints({1}))
                   .in(ints({0}))
                   .attr("axis", int64_t(1))
                   .infer(),
               "axis 1 is out of range for rank 1");

  // Inconsistent calls are reported, not trusted.
  Node node("Neg");
  node.in(ints({1, 2}));
  Result r = node.infer();
  std::vector<HostTensor> out;
  HostTensor value = HostTensor::fromInts(ET::I64, {2}, {1, 2});
  std::vector<TensorType> wrong = {{ET::I64, {3}}};
  EXPECT_NE(evaluate(node.node, 18, {&value}, wrong, out)
                .find("output types do not match"),
            std::string::npos);
  HostTensor empty;
  empty.type = {ET::I64, {2}};
  EXPECT_NE(evaluate(node.node, 18, {&empty}, r.types, out).find("no data"),
            std::string::npos);
  std::vector<TensorType> types;
  EXPECT_NE(inferTypes(node.node, 18, {}, {}, types).find("input types"),
            std::string::npos);

  Node unnamed("Relu");
  unnamed.node.clear_name();
  unnamed.in(bools({1}, {1}));
  EXPECT_ERROR(unnamed.infer(),
               "Relu node producing 'y0': input 0 ('x0') must have");
}

} // namespace
