//===- WindowToLinalg.cpp - mase conv2d and 2-D pooling to linalg ---------===//
//
// The sliding-window patterns of `mase-lower-to-linalg`: the input is padded
// with `tensor.pad` (0 for conv2d and avg_pool2d, the lowest value for
// max_pool2d), then one linalg named op does the window:
// `linalg.conv_2d_nchw_fchw` (`conv_2d_ngchw_gfchw` for grouped
// convolutions, over group-split views), `linalg.pooling_nchw_max` or
// `linalg.pooling_nchw_sum`. avg_pool2d then divides by the number of
// counted elements of each window, a compile-time constant per output
// position. Shapes are static, so every size is known here.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// A tensor of `shape` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   TypedAttr value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// The lowest value of `type`: -inf for floats, the smallest signed integer.
TypedAttr lowestAttr(OpBuilder &b, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.getFloatAttr(type, APFloat::getInf(floatType.getFloatSemantics(),
                                                /*Negative=*/true));
  return b.getIntegerAttr(
      type, APInt::getSignedMinValue(type.getIntOrFloatBitWidth()));
}

/// The padding after each spatial dimension that the windows of an
/// `output`-sized result read: the op's end padding, plus what ceil mode
/// reads past it.
SmallVector<int64_t, 2> endPadding(ArrayRef<int64_t> input,
                                   ArrayRef<int64_t> output,
                                   ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> stride,
                                   ArrayRef<int64_t> padding,
                                   ArrayRef<int64_t> dilation) {
  SmallVector<int64_t, 2> high;
  for (int d = 0; d < 2; ++d) {
    int64_t needed =
        (output[d + 2] - 1) * stride[d] + (kernel[d] - 1) * dilation[d] + 1;
    int64_t padded = input[d + 2] + padding[d] + padding[d + 2];
    high.push_back(padding[d + 2] + std::max<int64_t>(0, needed - padded));
  }
  return high;
}

/// `input` (NCHW) padded with `value` by `low` before and `high` after H
/// and W.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                 TypedAttr value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  RankedTensorType type = tensorTypeOf(input);
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lowSizes(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> highSizes(2, b.getIndexAttr(0));
  for (int d = 0; d < 2; ++d) {
    shape[d + 2] += low[d] + high[d];
    lowSizes.push_back(b.getIndexAttr(low[d]));
    highSizes.push_back(b.getIndexAttr(high[d]));
  }
  Value padValue = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input,
      lowSizes, highSizes, padValue);
}

/// conv2d: the bias (broadcast over N, OH and OW) or zero as accumulator,
/// then `linalg.conv_2d_nchw_fchw`; with groups, the input, weight and
/// accumulator are viewed as [N, G, C/G, H, W], [G, F/G, C/G, KH, KW] and
/// [N, G, F/G, OH, OW] for `linalg.conv_2d_ngchw_gfchw`.
struct Conv2dOpLowering : OpConversionPattern<Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    ArrayRef<int64_t> shape = resultType.getShape();
    Type elementType = resultType.getElementType();
    Value weight = adaptor.getWeight();
    ArrayRef<int64_t> weightShape = tensorTypeOf(weight).getShape();
    ArrayRef<int64_t> padding = op.getPadding();
    SmallVector<int64_t, 2> high = endPadding(
        tensorTypeOf(adaptor.getInput()).getShape(), shape,
        weightShape.drop_front(2), op.getStride(), padding, op.getDilation());
    Value x = padSpatial(rewriter, loc, adaptor.getInput(),
                         padding.take_front(2), high,
                         cast<TypedAttr>(rewriter.getZeroAttr(elementType)));

    Value acc;
    if (Value bias = adaptor.getBias())
      acc = linalg::BroadcastOp::create(
                rewriter, loc, bias,
                tensor::EmptyOp::create(rewriter, loc, shape, elementType),
                ArrayRef<int64_t>{0, 2, 3})
                ->getResult(0);
    else
      acc = filledTensor(rewriter, loc, shape,
                         cast<TypedAttr>(rewriter.getZeroAttr(elementType)));
    Attribute strides = rewriter.getI64TensorAttr(op.getStride());
    Attribute dilations = rewriter.getI64TensorAttr(op.getDilation());

    int64_t groups = op.getGroups();
    if (groups == 1) {
      Value y = linalg::Conv2DNchwFchwOp::create(
                    rewriter, loc, TypeRange{resultType}, ValueRange{x, weight},
                    ValueRange{acc}, strides, dilations)
                    .getResult(0);
      rewriter.replaceOp(op, y);
      return success();
    }
    ArrayRef<int64_t> xShape = tensorTypeOf(x).getShape();
    int64_t channels = xShape[1], filters = weightShape[0];
    Value xg = reshapeTo(rewriter, loc, x,
                         {xShape[0], groups, channels / groups, xShape[2],
                          xShape[3]});
    Value wg = reshapeTo(rewriter, loc, weight,
                         {groups, filters / groups, weightShape[1],
                          weightShape[2], weightShape[3]});
    SmallVector<int64_t> groupedShape = {shape[0], groups, filters / groups,
                                         shape[2], shape[3]};
    Value accg = reshapeTo(rewriter, loc, acc, groupedShape);
    Value y = linalg::Conv2DNgchwGfchwOp::create(
                  rewriter, loc,
                  TypeRange{RankedTensorType::get(groupedShape, elementType)},
                  ValueRange{xg, wg}, ValueRange{accg}, strides, dilations)
                  .getResult(0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, shape));
    return success();
  }
};

/// Window of a pooling op: `tensor.empty` of the kernel size.
Value poolWindow(OpBuilder &b, Location loc, ArrayRef<int64_t> kernel,
                 Type elementType) {
  return tensor::EmptyOp::create(b, loc, kernel, elementType);
}

/// max_pool2d: pad with the lowest value, `linalg.pooling_nchw_max` from
/// the lowest value.
struct MaxPool2dOpLowering : OpConversionPattern<MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    if (!isArithElementType(elementType) || elementType.isInteger(1))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    TypedAttr lowest = lowestAttr(rewriter, elementType);
    ArrayRef<int64_t> padding = op.getPadding();
    SmallVector<int64_t, 2> high = endPadding(
        tensorTypeOf(adaptor.getInput()).getShape(), resultType.getShape(),
        op.getKernelSize(), op.getStride(), padding, op.getDilation());
    Value x = padSpatial(rewriter, loc, adaptor.getInput(),
                         padding.take_front(2), high, lowest);
    Value init = filledTensor(rewriter, loc, resultType.getShape(), lowest);
    Value y = linalg::PoolingNchwMaxOp::create(
                  rewriter, loc, TypeRange{resultType},
                  ValueRange{x, poolWindow(rewriter, loc, op.getKernelSize(),
                                           elementType)},
                  ValueRange{init}, rewriter.getI64TensorAttr(op.getStride()),
                  rewriter.getI64TensorAttr(op.getDilation()))
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// How many positions of each window along one spatial dimension are
/// counted: those inside the input, or with `includePad` inside the input
/// and its padding (never what ceil mode reads past the padding).
SmallVector<int64_t> windowCounts(int64_t in, int64_t out, int64_t kernel,
                                  int64_t stride, int64_t padBegin,
                                  int64_t padEnd, int64_t dilation,
                                  bool includePad) {
  int64_t low = includePad ? -padBegin : 0;
  int64_t high = includePad ? in + padEnd : in;
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < out; ++o) {
    int64_t count = 0;
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t position = o * stride - padBegin + k * dilation;
      count += position >= low && position < high;
    }
    counts.push_back(std::max<int64_t>(count, 1));
  }
  return counts;
}

/// avg_pool2d: pad with 0, `linalg.pooling_nchw_sum`, then divide each
/// output by its window's count (a constant [OH, OW] tensor broadcast over N
/// and C).
struct AvgPool2dOpLowering : OpConversionPattern<AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    ArrayRef<int64_t> shape = resultType.getShape();
    auto elementType = cast<FloatType>(resultType.getElementType());
    ArrayRef<int64_t> input = tensorTypeOf(adaptor.getInput()).getShape();
    ArrayRef<int64_t> kernel = op.getKernelSize(), stride = op.getStride();
    ArrayRef<int64_t> padding = op.getPadding(), dilation = op.getDilation();
    TypedAttr zero = cast<TypedAttr>(rewriter.getZeroAttr(elementType));
    SmallVector<int64_t, 2> high =
        endPadding(input, shape, kernel, stride, padding, dilation);
    Value x = padSpatial(rewriter, loc, adaptor.getInput(),
                         padding.take_front(2), high, zero);
    Value sum =
        linalg::PoolingNchwSumOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{x, poolWindow(rewriter, loc, kernel, elementType)},
            ValueRange{filledTensor(rewriter, loc, shape, zero)},
            rewriter.getI64TensorAttr(stride),
            rewriter.getI64TensorAttr(dilation))
            .getResult(0);

    SmallVector<SmallVector<int64_t>, 2> counts;
    for (int d = 0; d < 2; ++d)
      counts.push_back(windowCounts(input[d + 2], shape[d + 2], kernel[d],
                                    stride[d], padding[d], padding[d + 2],
                                    dilation[d], op.getCountIncludePad()));
    SmallVector<APFloat> divisors;
    for (int64_t h : counts[0])
      for (int64_t w : counts[1]) {
        APFloat value(static_cast<double>(h * w));
        bool lost;
        value.convert(elementType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &lost);
        divisors.push_back(value);
      }
    auto divisorType =
        RankedTensorType::get(shape.drop_front(2), elementType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    Value y = buildBroadcastGeneric(
        rewriter, loc, resultType, ValueRange{sum, divisor},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(b, l, args[0], args[1]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseWindowToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Conv2dOpLowering, MaxPool2dOpLowering, AvgPool2dOpLowering>(
      patterns.getContext());
}
