//===- NativeToLinalg.cpp - native integer quantisation to linalg ---------===//
//
// The patterns of `mase-lower-to-linalg` for native quantisation:
//
//   - `mase.int_codes` on a run-time tensor: one linalg.generic computing
//     the code as mase.quantize does (FixedPointCode.h), then `fptosi` to i8;
//   - `mase.int_linear` with an f32 input: the f32 rows times the weight
//     codes from an accumulator holding the bias times 2^fw, then one
//     multiplication by 2^-fw. Scaling by a power of two commutes with
//     float32 rounding, so every partial sum is exactly 2^fw times the one
//     `mase.linear` computes on the dequantised weight: the result is
//     bit-exact with emulation (docs/design.md). A constant weight of byte
//     codes in a module that declares `mase_int_weight_gemm` (CPU builds)
//     is packed at its width for that kernel; otherwise (the GPU, and i16
//     codes everywhere) a `linalg.matmul` whose body converts each code
//     with `sitofp`, or for codes of fewer than 8 bits a contraction over
//     codes stored at their width (in byte planes), so the weight is only
//     ever stored as codes;
//   - `mase.int_linear` with i8 input codes: a call of the model support
//     library's `mase_qgemm` (exact int32 accumulation on VNNI, AVX2 or
//     scalar kernels, mase-c/ModelSupport.h) on the weight codes packed at
//     compile time at their width (bit planes below 8 bits), which converts
//     each sum to float, multiplies it by 2^-(fx+fw) and adds the bias. A
//     weight that is not a constant takes an `i8 x i8 -> i32`
//     `linalg.matmul`, the same scaling and a separate bias addition;
//   - `mase.block_linear`: `mase_qgemm` on the float input (which it
//     re-expresses as block mantissas) and the packed weight mantissas with
//     their exponents, adding the bias. With `float_input`, one
//     linalg.generic contraction over (row, out, block, element) that
//     dequantises each weight element in its body instead (no call: it
//     runs on any target);
//   - `mase.block_embedding`: a gather whose body dequantises each
//     mantissa it reads with its row's exponent byte (any target);
//   - `mase.sparse_linear`: `mase_sparse_gemm` on the float input and the
//     compressed rows as stored; then the bias.
//
//===----------------------------------------------------------------------===//

#include "FixedPointCode.h"
#include "LoweringUtils.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Numerics/IntegerPacking.h"

#include "mase-c/ModelSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
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
    Type codeType = op.getType().getElementType();
    Value codes = buildBroadcastGeneric(
        rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          TorchFloatBuilder t{b, loc};
          Value scale = t.f32(std::ldexp(1.0f, format.getFracWidth()));
          return arith::FPToSIOp::create(
              b, loc, codeType, fixedPointCode(t, args[0], format, scale));
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

/// The weight codes of `weight` when it is a constant.
DenseElementsAttr constantCodes(Value weight) {
  DenseElementsAttr codes;
  if (matchPattern(weight, m_Constant(&codes)))
    return codes;
  return {};
}

/// The address of `weight` [out, in] packed at compile time into the
/// kernels' layout (mase_qgemm_pack_weights), `bits` (1 to 8) a code.
Value packedWeightAddress(OpBuilder &b, Location loc, DenseElementsAttr weight,
                          int32_t bits) {
  ArrayRef<int64_t> shape = weight.getType().getShape();
  SmallVector<int8_t> codes(weight.getValues<int8_t>());
  SmallVector<int8_t> packed(mase_qgemm_packed_size(shape[0], shape[1], bits));
  mase_qgemm_pack_weights(codes.data(), shape[0], shape[1], bits,
                          packed.data());
  auto packedType = RankedTensorType::get(
      {static_cast<int64_t>(packed.size())}, b.getI8Type());
  Value constant = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed)));
  return bufferAddress(b, loc, constant);
}

/// `a` [rows, in] times the transposed `weight` [out, in] through
/// mase_qgemm, the weight packed into the kernel layout at compile time,
/// `weightBits` (1 to 8) a code; the kernel adds `bias` (when not null) to
/// each scaled row.
FailureOr<Value> quantizedGemm(ConversionPatternRewriter &rewriter,
                               Operation *op, Value a, DenseElementsAttr weight,
                               int32_t weightBits, Value exponents,
                               int64_t block, int32_t kind, float scale,
                               Value bias) {
  Location loc = op->getLoc();
  int64_t rows = cast<RankedTensorType>(a.getType()).getShape()[0];
  ArrayRef<int64_t> weightShape = weight.getType().getShape();
  int64_t out = weightShape[0], in = weightShape[1];
  SmallVector<Value> args = {
      i64Constant(rewriter, loc, rows),
      i64Constant(rewriter, loc, out),
      i64Constant(rewriter, loc, in),
      i64Constant(rewriter, loc, block),
      bufferAddress(rewriter, loc, a),
      arith::ConstantIntOp::create(rewriter, loc, kind, 32),
      packedWeightAddress(rewriter, loc, weight, weightBits),
      arith::ConstantIntOp::create(rewriter, loc, weightBits, 32),
      exponents ? bufferAddress(rewriter, loc, exponents)
                : i64Constant(rewriter, loc, 0),
      f32Constant(rewriter, loc, scale),
      bias ? bufferAddress(rewriter, loc, bias)
           : i64Constant(rewriter, loc, 0)};
  return callWritingResult(rewriter, op, MASE_QGEMM_SYMBOL, args, {rows, out});
}

/// `y` [rows, out] plus the optional `bias` broadcast over rows, reshaped to
/// `resultShape`.
Value addBiasAndReshape(OpBuilder &b, Location loc, Value y, Value bias,
                        ArrayRef<int64_t> resultShape) {
  if (bias) {
    MLIRContext *ctx = b.getContext();
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx), ctx);
    y = rowsGeneric(b, loc, cast<RankedTensorType>(y.getType()).getShape(),
                    ValueRange{y, bias}, {b.getMultiDimIdentityMap(2), column},
                    [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                      return arith::AddFOp::create(nb, l, args[0], args[1]);
                    });
  }
  return reshapeTo(b, loc, y, resultShape);
}

/// `acc` plus `x` [rows, in] (f32) times the transposed weight `codes`
/// [out, in] of `bits` < 8 bits (signed), stored at that width: each row's
/// codes in groups that fill whole bytes, a group's bits a stream as
/// IntegerPacking.h lays it out (code j of the group in bits
/// [j * bits, (j + 1) * bits)), and byte c of every group in plane c, an
/// [out, groups] tensor. A contraction over (row, out, group, code) reads
/// one byte of each plane, so that every map stays a projected permutation
/// (vectorizable), and its body joins them into a word and sign-extends
/// code j. The products add in `in` order, as `linalg.matmul`'s would.
Value packedCodeGemm(OpBuilder &b, Location loc, Value x,
                     DenseElementsAttr codes, int bits, Value acc) {
  MLIRContext *ctx = b.getContext();
  int64_t rows = cast<RankedTensorType>(x.getType()).getShape()[0];
  ArrayRef<int64_t> weightShape = codes.getType().getShape();
  int64_t out = weightShape[0], in = weightShape[1];
  int64_t group = ::mase::numerics::codesPerByteGroup(bits),
          groups = in / group;
  int64_t planes = group * bits / 8;
  auto values = codes.getValues<int8_t>();
  auto planeType = RankedTensorType::get({out, groups}, b.getI8Type());
  SmallVector<Value> inputs = {reshapeTo(b, loc, x, {rows, groups, group})};
  SmallVector<SmallVector<int8_t>> planeBytes(
      planes, SmallVector<int8_t>(out * groups));
  for (int64_t i = 0; i < out * groups; ++i) {
    uint8_t bytes[8] = {};
    for (int64_t j = 0; j < group; ++j)
      ::mase::numerics::putBits(bytes, j * bits, bits,
                                static_cast<uint8_t>(values[i * group + j]));
    for (int64_t c = 0; c < planes; ++c)
      planeBytes[c][i] = static_cast<int8_t>(bytes[c]);
  }
  for (ArrayRef<int8_t> plane : planeBytes)
    inputs.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(planeType, plane)));
  AffineExpr r = getAffineDimExpr(0, ctx), o = getAffineDimExpr(1, ctx),
             g = getAffineDimExpr(2, ctx), j = getAffineDimExpr(3, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {r, g, j}, ctx)};
  maps.append(planes, AffineMap::get(4, 0, {o, g}, ctx));
  maps.push_back(AffineMap::get(4, 0, {r, o}, ctx));
  SmallVector<utils::IteratorType> iterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::reduction, utils::IteratorType::reduction};
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
             iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               // The group's bytes as a little-endian word, code j moved to
               // its top bits, then shifted back arithmetically:
               // (word << (width - bits - j * bits)) >> (width - bits).
               unsigned width = planes <= 4 ? 32 : 64;
               Type word = nb.getIntegerType(width);
               auto constant = [&](int64_t value) -> Value {
                 return arith::ConstantIntOp::create(nb, l, value, width);
               };
               Value joined = arith::ExtUIOp::create(nb, l, word, args[1]);
               for (int64_t c = 1; c < planes; ++c)
                 joined = arith::OrIOp::create(
                     nb, l, joined,
                     arith::ShLIOp::create(
                         nb, l,
                         arith::ExtUIOp::create(nb, l, word, args[1 + c]),
                         constant(8 * c)));
               Value index = arith::IndexCastOp::create(
                   nb, l, word, linalg::IndexOp::create(nb, l, 3));
               Value up = arith::SubIOp::create(
                   nb, l, constant(width - bits),
                   arith::MulIOp::create(nb, l, index, constant(bits)));
               Value code = arith::ShRSIOp::create(
                   nb, l, arith::ShLIOp::create(nb, l, joined, up),
                   constant(width - bits));
               Value w = arith::SIToFPOp::create(nb, l, nb.getF32Type(), code);
               Value product = arith::MulFOp::create(nb, l, args[0], w);
               linalg::YieldOp::create(
                   nb, l,
                   Value(arith::AddFOp::create(nb, l, args.back(), product)));
             })
      .getResult(0);
}

/// `x` [rows, in] (f32) times the transposed integer weight `codes`
/// [out, in] of `op` through mase_int_weight_gemm: the codes packed at
/// their width, the sums starting from `bias` (or 0) times 2^fw and scaled
/// by 2^-fw.
FailureOr<Value> intWeightGemm(ConversionPatternRewriter &rewriter,
                               IntLinearOp op, Value x,
                               DenseElementsAttr codes, Value bias, int fw) {
  Location loc = op.getLoc();
  int64_t rows = cast<RankedTensorType>(x.getType()).getShape()[0];
  ArrayRef<int64_t> weightShape = codes.getType().getShape();
  int64_t out = weightShape[0], in = weightShape[1];
  Value start = i64Constant(rewriter, loc, 0);
  if (bias) {
    Value scaled = buildBroadcastGeneric(
        rewriter, loc, RankedTensorType::get({out}, rewriter.getF32Type()),
        bias, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::MulFOp::create(b, l, args[0],
                                       f32Constant(b, l, std::ldexp(1.0f, fw)));
        });
    start = bufferAddress(rewriter, loc, scaled);
  }
  int32_t bits = op.getPackedWeightBits();
  return callWritingResult(
      rewriter, op, MASE_INT_WEIGHT_GEMM_SYMBOL,
      {i64Constant(rewriter, loc, rows), i64Constant(rewriter, loc, out),
       i64Constant(rewriter, loc, in), bufferAddress(rewriter, loc, x),
       packedWeightAddress(rewriter, loc, codes, bits),
       arith::ConstantIntOp::create(rewriter, loc, bits, 32), start,
       f32Constant(rewriter, loc, std::ldexp(1.0f, -fw))},
      {rows, out});
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
    Value bias = adaptor.getBias();
    int fw = op.getWeightFormat().getFracWidth();
    if (IntFormatAttr inputFormat = op.getInputFormatAttr()) {
      float scale = std::ldexp(1.0f, -(inputFormat.getFracWidth() + fw));
      if (DenseElementsAttr codes = constantCodes(adaptor.getWeight())) {
        FailureOr<Value> y =
            quantizedGemm(rewriter, op, x, codes, op.getPackedWeightBits(),
                          Value(), in, MASE_QGEMM_INT8_CODES, scale, bias);
        if (failed(y))
          return failure();
        rewriter.replaceOp(op,
                           reshapeTo(rewriter, loc, *y, resultType.getShape()));
        return success();
      }
      Value wT = transposedWeight(rewriter, loc, adaptor.getWeight(), in, out);
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getI32IntegerAttr(0));
      Value acc = filled(rewriter, loc, shape, zero);
      Value sums = linalg::MatmulOp::create(rewriter, loc, ValueRange{x, wT},
                                            ValueRange{acc})
                       .getResult(0);
      Value y = rowsGeneric(
          rewriter, loc, shape, sums, identity,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value sum = arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
            return arith::MulFOp::create(b, l, sum, f32Constant(b, l, scale));
          });
      rewriter.replaceOp(
          op, addBiasAndReshape(rewriter, loc, y, bias, resultType.getShape()));
      return success();
    }

    DenseElementsAttr codes = constantCodes(adaptor.getWeight());
    bool byteCodes = op.getWeight().getType().getElementType().isInteger(8);
    if (codes && byteCodes &&
        SymbolTable::lookupNearestSymbolFrom(
            op, rewriter.getStringAttr(MASE_INT_WEIGHT_GEMM_SYMBOL))) {
      FailureOr<Value> y = intWeightGemm(rewriter, op, x, codes, bias, fw);
      if (failed(y))
        return failure();
      rewriter.replaceOp(op,
                         reshapeTo(rewriter, loc, *y, resultType.getShape()));
      return success();
    }
    // The accumulator starts at bias * 2^fw (0 without a bias).
    float up = std::ldexp(1.0f, fw);
    float down = std::ldexp(1.0f, -fw);
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
    Value sums;
    int bits = op.getPackedWeightBits();
    if (codes && byteCodes && ::mase::numerics::packsInByteGroups(bits, in)) {
      sums = packedCodeGemm(rewriter, loc, x, codes, bits, acc);
    } else {
      Value wT = transposedWeight(rewriter, loc, adaptor.getWeight(), in, out);
      sums = linalg::MatmulOp::create(rewriter, loc, ValueRange{x, wT},
                                      ValueRange{acc})
                 .getResult(0);
    }
    Value y = rowsGeneric(rewriter, loc, shape, sums, identity,
                          [&](OpBuilder &b, Location l, ValueRange args) {
                            return arith::MulFOp::create(
                                b, l, args[0], f32Constant(b, l, down));
                          });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, resultType.getShape()));
    return success();
  }
};

/// The weight `mantissa * 2^(exponent - 133)` in f32, exactly: `exponent`
/// is the unsigned E8M0 byte (255: NaN), the mantissa an int8 read as
/// m / 64. 2^(e - 127) is built from its bits, 0x00400000 (2^-127, a
/// subnormal) when e is 0.
Value blockWeightValue(OpBuilder &b, Location loc, Value mantissa,
                       Value exponent) {
  Type i32 = b.getI32Type();
  auto i32Constant = [&](int32_t value) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(value));
  };
  Value e = arith::ExtUIOp::create(b, loc, i32, exponent);
  Value normal = arith::ShLIOp::create(b, loc, e, i32Constant(23));
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, e,
                                       i32Constant(0));
  Value isNaN = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, e,
                                      i32Constant(255));
  Value bits = arith::SelectOp::create(
      b, loc, isZero, i32Constant(0x00400000),
      arith::SelectOp::create(b, loc, isNaN, i32Constant(0x7fc00000), normal));
  Value scale = arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
  Value m = arith::SIToFPOp::create(b, loc, b.getF32Type(), mantissa);
  Value fraction = arith::MulFOp::create(b, loc, m, f32Constant(b, loc, 0x1p-6f));
  return arith::MulFOp::create(b, loc, fraction, scale);
}

/// `x` [rows, in] times the transposed block-scaled weight as one
/// contraction that dequantises each weight element where it is used: the
/// mantissas and exponent bytes are all it reads. The k loop splits into
/// (block, element) so that every map is a projected permutation (the
/// exponent is read at (out, block)) and the contraction vectorizes.
Value dequantizingGemm(OpBuilder &b, Location loc, Value x, Value mantissas,
                       Value exponents, int64_t block) {
  MLIRContext *ctx = b.getContext();
  int64_t rows = cast<RankedTensorType>(x.getType()).getShape()[0];
  ArrayRef<int64_t> weightShape =
      cast<RankedTensorType>(mantissas.getType()).getShape();
  int64_t out = weightShape[0], blocks = weightShape[1] / block;
  x = reshapeTo(b, loc, x, {rows, blocks, block});
  mantissas = reshapeTo(b, loc, mantissas, {out, blocks, block});
  AffineExpr r = getAffineDimExpr(0, ctx), o = getAffineDimExpr(1, ctx),
             kb = getAffineDimExpr(2, ctx), ki = getAffineDimExpr(3, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {r, kb, ki}, ctx),
                                 AffineMap::get(4, 0, {o, kb, ki}, ctx),
                                 AffineMap::get(4, 0, {o, kb}, ctx),
                                 AffineMap::get(4, 0, {r, o}, ctx)};
  SmallVector<utils::IteratorType> iterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::reduction, utils::IteratorType::reduction};
  Value acc = filled(b, loc, {rows, out}, f32Constant(b, loc, 0.0f));
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()},
             ValueRange{x, mantissas, exponents}, ValueRange{acc}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value w = blockWeightValue(nb, nloc, args[1], args[2]);
               Value product = arith::MulFOp::create(nb, nloc, args[0], w);
               linalg::YieldOp::create(
                   nb, nloc,
                   Value(arith::AddFOp::create(nb, nloc, args[3], product)));
             })
      .getResult(0);
}

struct BlockLinearOpLowering : OpConversionPattern<BlockLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BlockLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    DenseElementsAttr mantissas = constantCodes(adaptor.getWeight());
    if (!op.getFloatInput() && !mantissas)
      return op.emitOpError("weight must be a constant: it is packed for the "
                            "kernel at compile time");
    Location loc = op.getLoc();
    int64_t in = op.getWeight().getType().getShape()[1];
    int64_t rows = op.getType().getNumElements() /
                   op.getWeight().getType().getShape()[0];
    Value x = reshapeTo(rewriter, loc, adaptor.getInput(), {rows, in});
    if (op.getFloatInput()) {
      Value y = dequantizingGemm(rewriter, loc, x, adaptor.getWeight(),
                                 adaptor.getWeightExponents(), op.getBlock());
      rewriter.replaceOp(op,
                         addBiasAndReshape(rewriter, loc, y, adaptor.getBias(),
                                           op.getType().getShape()));
      return success();
    }
    FailureOr<Value> y = quantizedGemm(
        rewriter, op, x, mantissas, 8, adaptor.getWeightExponents(),
        op.getBlock(), MASE_QGEMM_FLOAT_BLOCKS, 1.0f, adaptor.getBias());
    if (failed(y))
      return failure();
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, *y, op.getType().getShape()));
    return success();
  }
};

/// A gather over the result whose body reads the mantissa at (row, d) and
/// the exponent byte at (row, d / block) and dequantises them.
struct BlockEmbeddingOpLowering : OpConversionPattern<BlockEmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BlockEmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value table = adaptor.getTable(), exponents = adaptor.getTableExponents();
    int64_t block = op.getBlock();
    FailureOr<Value> y = buildGather(
        rewriter, op.getLoc(), adaptor.getIndices(), 0,
        op.getTable().getType().getDimSize(0), op.getType(),
        [&](OpBuilder &b, Location loc, ValueRange coords) {
          Value blockIndex = arith::DivUIOp::create(
              b, loc, coords[1], arith::ConstantIndexOp::create(b, loc, block));
          Value m = tensor::ExtractOp::create(b, loc, table, coords);
          Value e = tensor::ExtractOp::create(
              b, loc, exponents, ValueRange{coords[0], blockIndex});
          return blockWeightValue(b, loc, m, e);
        });
    if (failed(y))
      return rewriter.notifyMatchFailure(op, "indices not signless integers");
    rewriter.replaceOp(op, *y);
    return success();
  }
};

struct SparseLinearOpLowering : OpConversionPattern<SparseLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SparseLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t in = op.getInput().getType().getShape().back();
    int64_t out = op.getType().getShape().back();
    int64_t rows = op.getType().getNumElements() / out;
    Value x = reshapeTo(rewriter, loc, adaptor.getInput(), {rows, in});
    SmallVector<Value> args = {i64Constant(rewriter, loc, rows),
                               i64Constant(rewriter, loc, out),
                               i64Constant(rewriter, loc, in),
                               bufferAddress(rewriter, loc, x),
                               bufferAddress(rewriter, loc, adaptor.getOffsets()),
                               bufferAddress(rewriter, loc, adaptor.getColumns()),
                               bufferAddress(rewriter, loc, adaptor.getValues())};
    FailureOr<Value> y = callWritingResult(
        rewriter, op, MASE_SPARSE_GEMM_SYMBOL, args, {rows, out});
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, addBiasAndReshape(rewriter, loc, *y,
                                             adaptor.getBias(),
                                             op.getType().getShape()));
    return success();
  }
};

} // namespace

void mlir::mase::populateMaseNativeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BlockEmbeddingOpLowering, BlockLinearOpLowering,
               IntCodesOpLowering, IntLinearOpLowering, SparseLinearOpLowering>(
      patterns.getContext());
}
