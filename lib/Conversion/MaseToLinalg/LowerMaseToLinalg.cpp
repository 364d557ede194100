//===- LowerMaseToLinalg.cpp - the mase-lower-to-linalg pass --------------===//
//
// A partial dialect conversion of one function: the mase graph ops become
// linalg/tensor/arith/math on tensors, `mase.quantize` included (folded when
// its input is a constant). The packed-storage ops (pack, unpack,
// packed_constant) stay legal until their own lowering exists; any other
// mase op left without a pattern fails the pass at that op.
//
//===----------------------------------------------------------------------===//

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"
#include "mase/Conversion/Passes.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::mase {
#define GEN_PASS_DEF_LOWERMASETOLINALGPASS
#include "mase/Conversion/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;

namespace {

struct LowerMaseToLinalgPass
    : mase::impl::LowerMaseToLinalgPassBase<LowerMaseToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();

    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           func::FuncDialect, linalg::LinalgDialect,
                           math::MathDialect, memref::MemRefDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<MaseDialect>();
    // Unsigned scalars are converted to signless ones inside linalg bodies.
    target.addLegalOp<UnrealizedConversionCastOp>();
    // Packed storage is lowered by the native quantisation lowering.
    target.addLegalOp<PackOp, UnpackOp, PackedConstantOp>();

    RewritePatternSet patterns(ctx);
    populateMaseElementwiseToLinalgPatterns(patterns);
    populateMaseShapeToLinalgPatterns(patterns);
    populateMaseNNToLinalgPatterns(patterns);
    populateMaseWindowToLinalgPatterns(patterns);
    populateMaseQuantizeToLinalgPatterns(patterns);
    populateMaseNativeToLinalgPatterns(patterns);
    populateMasePruneToLinalgPatterns(patterns);
    populateMaseFusedToLinalgPatterns(patterns);

    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
