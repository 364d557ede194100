//===- NativeToLinalg.cpp - native integer quantisation to linalg ---------===//
//
// The patterns of `mase-lower-to-linalg` for native quantisation:
//
//   - `mase.int_codes` on a run-time tensor: one linalg.generic computing
//     the code as mase.quantize does (FixedPointCode.h), then `fptosi` to i8;
//   - `mase.int_linear` with an f32 input: `linalg.matmul` of the f32 rows by
//     the i8 weight codes (the matmul body converts each code with `sitofp`,
//     so the weight is only ever stored as i8), into an accumulator holding
//     the bias times 2^fw, then one multiplication by 2^-fw. Scaling by a
//     power of two commutes with float32 rounding, so every partial sum is
//     exactly 2^fw times the one `mase.linear` computes on the dequantised
//     weight: the result is bit-exact with emulation (docs/design.md);
//   - `mase.int_linear` with i8 input codes: an `i8 x i8 -> i32`
//     `linalg.matmul` (exact integer accumulation), then `sitofp`, one
//     multiplication by 2^-(fx+fw) and the bias, in one linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "FixedPointCode.h"
#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mase;
using namespace mlir::mase::detail;

namespace {

struct IntCodesOpLowering : OpConversionPattern<IntCodesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntCodesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    IntFormatAttr format = op.getFormat();
    Type i8 = rewriter.getI8Type();
    Value codes = buildBroadcastGeneric(
        rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          TorchFloatBuilder t{b, loc};
          Value scale = t.f32(std::ldexp(1.0f, format.getFracWidth()));
          return arith::FPToSIOp::create(
              b, loc, i8, fixedPointCode(t, args[0], format, scale));
        });
    rewriter.replaceOp(op, codes);
    return success();
  }
};

/// An all-parallel generic over [rows, out] reading `inputs` through `maps`.
Value rowsGeneric(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                  ScalarBodyBuilder body) {
  Value init = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(2));
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc,
                                       body(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

Value f32Constant(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// A tensor of `shape` filled with the scalar `value`.
Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

struct IntLinearOpLowering : OpConversionPattern<IntLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    ArrayRef<int64_t> weightShape = op.getWeight().getType().getShape();
    int64_t out = weightShape[0], in = weightShape[1];
    int64_t rows = resultType.getNumElements() / out;
    SmallVector<int64_t> shape = {rows, out};
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx), ctx);

    Value x = reshapeTo(rewriter, loc, adaptor.getInput(), {rows, in});
    Value wT = transposedWeight(rewriter, loc, adaptor.getWeight(), in, out);
    Value bias = adaptor.getBias();
    int fw = op.getWeightFormat().getFracWidth();
    Value y;
    if (IntFormatAttr inputFormat = op.getInputFormatAttr()) {
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getI32IntegerAttr(0));
      Value acc = filled(rewriter, loc, shape, zero);
      Value sums = linalg::MatmulOp::create(rewriter, loc, ValueRange{x, wT},
                                            ValueRange{acc})
                       .getResult(0);
      float scale = std::ldexp(1.0f, -(inputFormat.getFracWidth() + fw));
      SmallVector<Value> inputs = {sums};
      SmallVector<AffineMap> maps = {identity};
      if (bias) {
        inputs.push_back(bias);
        maps.push_back(column);
      }
      y = rowsGeneric(
          rewriter, loc, shape, inputs, maps,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value sum = arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
            Value v =
                arith::MulFOp::create(b, l, sum, f32Constant(b, l, scale));
            return bias ? arith::AddFOp::create(b, l, v, args[1]) : v;
          });
    } else {
      // The accumulator starts at bias * 2^fw (0 without a bias).
      float up = std::ldexp(1.0f, fw);
      Value acc;
      if (bias) {
        acc = rowsGeneric(rewriter, loc, shape, bias, column,
                          [&](OpBuilder &b, Location l, ValueRange args) {
                            return arith::MulFOp::create(b, l, args[0],
                                                         f32Constant(b, l, up));
                          });
      } else {
        acc = filled(rewriter, loc, shape, f32Constant(rewriter, loc, 0.0f));
      }
      Value sums = linalg::MatmulOp::create(rewriter, loc, ValueRange{x, wT},
                                            ValueRange{acc})
                       .getResult(0);
      float down = std::ldexp(1.0f, -fw);
      y = rowsGeneric(rewriter, loc, shape, sums, identity,
                      [&](OpBuilder &b, Location l, ValueRange args) {
                        return arith::MulFOp::create(b, l, args[0],
                                                     f32Constant(b, l, down));
                      });
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, resultType.getShape()));
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseNativeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<IntCodesOpLowering, IntLinearOpLowering>(patterns.getContext());
}
