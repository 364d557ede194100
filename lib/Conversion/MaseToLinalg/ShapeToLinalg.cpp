//===- ShapeToLinalg.cpp - mase shape-movement ops to linalg/tensor -------===//
//
// reshape -> tensor.collapse_shape / tensor.expand_shape (through a 1-D
//            tensor when the reshape is neither a pure collapse nor a pure
//            expansion),
// transpose -> linalg.transpose,
// concat -> tensor.concat,
// slice -> tensor.extract_slice (offset, size and |step| per dimension),
//          followed for negative steps by a linalg.generic that reads
//          those dimensions reversed with tensor.extract,
// expand -> linalg.generic with a broadcasting indexing map.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"


using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto srcType = cast<RankedTensorType>(input.getType());
    auto dstType = cast<RankedTensorType>(op.getType());
    if (srcType.getNumElements() != dstType.getNumElements())
      return rewriter.notifyMatchFailure(op, "element counts differ");
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, dstType.getShape()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value init =
        tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(),
                                resultType.getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPermutation());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    ValueRange inputs = adaptor.getInputs();
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, resultType, axis, inputs);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    ArrayRef<int64_t> sizes = resultType.getShape();
    int64_t rank = inputType.getRank();
    if ((int64_t)starts.size() != rank || (int64_t)steps.size() != rank ||
        resultType.getRank() != rank)
      return rewriter.notifyMatchFailure(op, "one start/step per dimension");

    // Nothing to read.
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, sizes,
                                                   resultType.getElementType());
      return success();
    }

    // Read the elements in increasing index order: a dimension with a
    // negative step starts at the last index it reaches.
    SmallVector<int64_t> offsets, strides;
    SmallVector<bool> reversed;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t step = steps[d];
      if (step == 0)
        return rewriter.notifyMatchFailure(op, "zero step");
      int64_t first = step > 0 ? starts[d] : starts[d] + (sizes[d] - 1) * step;
      int64_t last = first + (sizes[d] - 1) * std::abs(step);
      if (first < 0 || last >= inputType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "slice out of bounds");
      offsets.push_back(first);
      strides.push_back(std::abs(step));
      reversed.push_back(step < 0 && sizes[d] > 1);
    }

    Value strided = input;
    bool identity = inputType == resultType &&
                    llvm::all_of(offsets, [](int64_t o) { return o == 0; }) &&
                    llvm::all_of(strides, [](int64_t s) { return s == 1; });
    if (!identity)
      strided = tensor::ExtractSliceOp::create(
          rewriter, loc, resultType, input,
          getAsIndexOpFoldResult(rewriter.getContext(), offsets),
          getAsIndexOpFoldResult(rewriter.getContext(), sizes),
          getAsIndexOpFoldResult(rewriter.getContext(), strides));
    if (llvm::none_of(reversed, [](bool r) { return r; })) {
      rewriter.replaceOp(op, strided);
      return success();
    }

    // Reverse the negative-step dimensions: result index i reads n - 1 - i,
    // through tensor.extract (a map with negated dims would not tile).
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes,
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            Value index = linalg::IndexOp::create(b, l, d);
            if (reversed[d])
              index = arith::SubIOp::create(
                  b, l, arith::ConstantIndexOp::create(b, l, sizes[d] - 1),
                  index);
            coords.push_back(index);
          }
          Value element = tensor::ExtractOp::create(b, l, strided, coords);
          linalg::YieldOp::create(b, l, ValueRange{element});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (input.getType() == resultType) {
      rewriter.replaceOp(op, input);
      return success();
    }
    if (!broadcastsTo(input.getType(), resultType.getShape()))
      return rewriter.notifyMatchFailure(op, "input does not broadcast");
    Value result = buildBroadcastGeneric(
        rewriter, op.getLoc(), resultType, input,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseShapeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering,
               SliceLowering, ExpandLowering>(patterns.getContext());
}
