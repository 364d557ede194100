//===- Gemm.cpp - large 16-bit matmuls as launches of the GPU GEMM kernel -===//
//
// The kernel itself is CUDA C++ (Kernels/Gemm.cu), built by nvcc into a
// fatbin when the compiler is built; GemmFatbin.inc holds its bytes.
//
//===----------------------------------------------------------------------===//

#include "PrebuiltKernels.h"

#include "mase/Target/CUDA/GemmKernel.h"
#include "mase/Target/CUDA/Passes.h"

#include "mase/Conversion/MaseToLinalg/MaseToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAGEMMPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

const unsigned char kGemmFatbin[] = {
#include "GemmFatbin.inc"
};

constexpr StringLiteral kBinaryName = "mase_gemm";

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// A kernel of GemmKernel.h (without its epilogue's suffix) and the width
/// of its tiles.
struct Kernel {
  std::string name;
  int64_t tileN;
};

/// The streaming multiprocessors of the chip's largest part (H100 SXM,
/// A100), or 0 when unknown.
int64_t multiprocessors(int sm) { return sm == 90 ? 132 : sm == 80 ? 108 : 0; }

/// The share of `slots` (blocks the GPU runs at once) that `blocks` keep
/// busy over the waves they take.
double waveFill(int64_t blocks, int64_t slots) {
  return static_cast<double>(blocks) / (ceilDiv(blocks, slots) * slots);
}

/// Whether `op` is an element-wise `CastOp` of its one input (identity maps,
/// every loop parallel, the body the cast alone).
template <typename CastOp> bool isElementwiseCast(linalg::GenericOp op) {
  if (!op || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }) ||
      op.getNumReductionLoops() != 0)
    return false;
  Block &body = op.getRegion().front();
  auto cast = dyn_cast<CastOp>(body.front());
  return cast && cast->getOperand(0) == body.getArgument(0) &&
         body.getTerminator()->getOperand(0) == cast->getResult(0);
}

/// The [n] vector of 16-bit elements that `init` is, broadcast over rows
/// and extended to f32 (a linalg.broadcast along dimension 0, then an
/// element-wise extf), or null.
Value broadcastBias(Value init) {
  auto extend = init.getDefiningOp<linalg::GenericOp>();
  if (!isElementwiseCast<arith::ExtFOp>(extend))
    return {};
  auto broadcast =
      extend.getDpsInputOperand(0)->get().getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast || broadcast.getDimensions() != ArrayRef<int64_t>{0})
    return {};
  return broadcast.getInput();
}

/// The only user of `result`, when it rounds it to the operands' element
/// type and nothing else, or null.
linalg::GenericOp roundingUser(Value result, Type element) {
  if (!result.hasOneUse())
    return {};
  auto round = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!isElementwiseCast<arith::TruncFOp>(round) ||
      round.getDpsInputOperand(0)->get() != result ||
      getElementTypeOrSelf(round.getResult(0).getType()) != element)
    return {};
  return round;
}

/// The exact GELU (mase.gelu's generic, kActivationAttrName "gelu") that
/// is the only user of `rounded`, directly or through reshapes used once,
/// taking it as its only input; or null.
linalg::GenericOp geluUser(Value rounded) {
  Value value = rounded;
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user)) {
      value = user->getResult(0);
      continue;
    }
    auto gelu = dyn_cast<linalg::GenericOp>(user);
    auto activation =
        gelu ? gelu->getAttrOfType<StringAttr>(mase::kActivationAttrName)
             : StringAttr();
    if (!activation || activation.getValue() != "gelu" ||
        gelu.getNumDpsInputs() != 1 || gelu.getNumDpsInits() != 1 ||
        gelu.getDpsInputOperand(0)->get() != value ||
        gelu.getResult(0).getType() != value.getType())
      return {};
    return gelu;
  }
  return {};
}

struct CUDAGemmPass : mase::impl::CUDAGemmPassBase<CUDAGemmPass> {
  using Base::Base;

  void runOnOperation() override {
    // mma.sync needs sm_80; older chips keep the generated matmuls.
    int sm = mase::smVersion(chip).value_or(0);
    if (sm < 80)
      return;
    ModuleOp module = getOperation();
    SmallVector<linalg::MatmulOp> ops;
    module.walk([&](linalg::MatmulOp op) {
      if (kernelFor(op, sm))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    mase::addFatbinBinary(module, rewriter, kBinaryName, chip, kGemmFatbin);
    for (linalg::MatmulOp op : ops)
      lower(op, *kernelFor(op, sm), rewriter);
  }

  /// The launch for `op`: with a bias broadcast as its init and a rounding
  /// user, the kernel that adds the bias and rounds (`_bias`), replacing
  /// both, or, when the rounded result only feeds a GELU, the kernel that
  /// applies it too (`_bias_gelu`), which the GELU then passes on;
  /// otherwise the one that reads the init and writes f32.
  static void lower(linalg::MatmulOp op, const Kernel &kernel,
                    IRRewriter &rewriter) {
    Value a = op.getInputs()[0];
    Type element = cast<RankedTensorType>(a.getType()).getElementType();
    Value bias = broadcastBias(op.getOutputs()[0]);
    linalg::GenericOp round = roundingUser(op.getResult(0), element);
    if (bias && round) {
      linalg::GenericOp gelu = geluUser(round.getResult(0));
      rewriter.setInsertionPoint(round);
      Value result = launch(op, kernel, gelu ? "_bias_gelu" : "_bias", bias,
                            element, rewriter);
      rewriter.replaceOp(round, result);
      rewriter.eraseOp(op);
      if (gelu)
        rewriter.replaceOp(gelu, gelu.getDpsInputOperand(0)->get());
      return;
    }
    rewriter.setInsertionPoint(op);
    rewriter.replaceOp(op, launch(op, kernel, "", op.getOutputs()[0],
                                  rewriter.getF32Type(), rewriter));
  }

  /// The kernel for `op` on chip sm_`sm`: 16-bit operands of one type into
  /// f32 on tensors of static shape, rows aligned as the kernel loads them,
  /// and enough output tiles to fill the GPU; nothing otherwise. Narrow
  /// tiles where the chip's last wave of wide ones would be much emptier
  /// (BERT-base's 4096 x 768 outputs: 192 wide tiles fill 73% of an H100's
  /// 264 slots, two blocks an SM; 256 narrow ones 97%).
  std::optional<Kernel> kernelFor(linalg::MatmulOp op, int sm) const {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
      return std::nullopt;
    auto a = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
    auto b = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
    auto c = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
    if (!a || !b || !c || !a.hasStaticShape() || !b.hasStaticShape() ||
        a.getElementType() != b.getElementType() ||
        !c.getElementType().isF32())
      return std::nullopt;
    int64_t m = a.getShape()[0], k = a.getShape()[1], n = b.getShape()[1];
    if (k % MASE_CUDA_GEMM_ALIGN != 0 || n % MASE_CUDA_GEMM_ALIGN != 0 ||
        ceilDiv(m, MASE_CUDA_GEMM_TILE_M) * ceilDiv(n, MASE_CUDA_GEMM_TILE_N) <
            minBlocks)
      return std::nullopt;
    Type element = a.getElementType();
    if (!element.isF16() && !element.isBF16())
      return std::nullopt;
    Kernel kernel{element.isF16() ? "mase_gemm_f16" : "mase_gemm_bf16",
                  MASE_CUDA_GEMM_TILE_N};
    int64_t rows = ceilDiv(m, MASE_CUDA_GEMM_TILE_M);
    if (int64_t slots = 2 * multiprocessors(sm);
        slots &&
        waveFill(rows * ceilDiv(n, MASE_CUDA_GEMM_NARROW_TILE_N), slots) >
            waveFill(rows * ceilDiv(n, MASE_CUDA_GEMM_TILE_N), slots) + 0.1)
      kernel.tileN = MASE_CUDA_GEMM_NARROW_TILE_N;
    return kernel;
  }

  /// The operands' buffers (`start`: the init or the bias), a fresh result
  /// buffer of `resultElement`, the launch of `kernel` with the epilogue
  /// `epilogue` (a name suffix), and the result as a tensor again.
  static Value launch(linalg::MatmulOp op, const Kernel &kernel,
                      StringRef epilogue, Value start, Type resultElement,
                      IRRewriter &rewriter) {
    Location loc = op.getLoc();
    auto a = cast<RankedTensorType>(op.getInputs()[0].getType());
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(op.getResultTypes()[0]).getShape();
    Value out = mase::resultBuffer(rewriter, loc, shape, resultElement);
    int64_t m = a.getShape()[0], k = a.getShape()[1], n = shape[1];
    auto i32 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, value, 32);
    };
    SmallVector<Value> operands = {
        out,
        mase::readOnlyBuffer(rewriter, loc, start),
        mase::readOnlyBuffer(rewriter, loc, op.getInputs()[0]),
        mase::readOnlyBuffer(rewriter, loc, op.getInputs()[1]),
        i32(m),
        i32(n),
        i32(k)};
    bool narrow = kernel.tileN == MASE_CUDA_GEMM_NARROW_TILE_N;
    mase::launchKernel(
        rewriter, loc, kBinaryName,
        kernel.name + epilogue.str() + (narrow ? "_narrow" : ""),
        {ceilDiv(n, kernel.tileN), ceilDiv(m, MASE_CUDA_GEMM_TILE_M), 1},
        MASE_CUDA_GEMM_THREADS, MASE_CUDA_GEMM_SHARED_BYTES(kernel.tileN),
        operands);
    return bufferization::ToTensorOp::create(
        rewriter, loc, RankedTensorType::get(shape, resultElement), out,
        /*restrict=*/true, /*writable=*/true);
  }
};

} // namespace
