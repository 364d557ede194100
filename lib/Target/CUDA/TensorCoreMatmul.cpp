//===- TensorCoreMatmul.cpp - f16 matmuls as warp-level MMA kernels -------===//
//
// Each warp computes a block of 16x16 output fragments with
// `gpu.subgroup_mma_*` ops, which `convert-gpu-to-nvvm` lowers to the
// tensor-core instructions `wmma.load`, `wmma.mma.sync` and `wmma.store`.
//
//===----------------------------------------------------------------------===//

#include "mase/Target/CUDA/TensorCoreMatmul.h"
#include "mase/Target/CUDA/Passes.h"
#include "mase/Target/LinalgTiling.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDATENSORCOREMATMULPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

bool mase::isTensorCoreMatmul(linalg::LinalgOp op) {
  bool defaultMaps = false;
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation()))
    defaultMaps = !matmul.hasUserDefinedMaps();
  else if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op.getOperation()))
    defaultMaps = !batch.hasUserDefinedMaps();
  if (!defaultMaps || op.getNumDpsInputs() != 2)
    return false;
  auto elementType = [&](OpOperand &operand) {
    return cast<ShapedType>(operand.get().getType()).getElementType();
  };
  if (!elementType(*op.getDpsInputOperand(0)).isF16() ||
      !elementType(*op.getDpsInputOperand(1)).isF16() ||
      !elementType(*op.getDpsInitOperand(0)).isF32())
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  return llvm::all_of(ArrayRef(ranges).take_back(3), [](int64_t size) {
    return !ShapedType::isDynamic(size) && size % kTensorCoreFragment == 0;
  });
}

namespace {

constexpr int64_t kWarpSize = 32;
constexpr int64_t kFragment = mase::kTensorCoreFragment;
/// The most blocks a launch may have along y and z.
constexpr int64_t kMaxGridYZ = 65535;

/// Index arithmetic for kernel code: constants, products by a constant and
/// sums, built at the rewriter's insertion point.
struct IndexMath {
  RewriterBase &rewriter;
  Location loc;
  Value index(int64_t value) const {
    return arith::ConstantIndexOp::create(rewriter, loc, value);
  }
  Value mul(Value a, int64_t b) const {
    return arith::MulIOp::create(rewriter, loc, a, index(b));
  }
  Value add(Value a, Value b) const {
    return arith::AddIOp::create(rewriter, loc, a, b);
  }
};

/// The leading dimension (row stride) of a row-major matrix buffer whose
/// fragments `wmma.load`/`wmma.store` can address: static strides, unit
/// stride along a row, and rows, batches and the offset that keep every
/// fragment 32-byte aligned.
std::optional<int64_t> leadingDimension(Value buffer) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  if (!type)
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(offset) || strides.back() != 1)
    return std::nullopt;
  int64_t aligned = kFragment;
  auto isAligned = [&](int64_t value) {
    return !ShapedType::isDynamic(value) && value % aligned == 0;
  };
  if (!isAligned(offset) ||
      !llvm::all_of(ArrayRef(strides).drop_back(), isAligned))
    return std::nullopt;
  return strides[strides.size() - 2];
}

/// K steps (of 16) a split of K takes at least.
constexpr int64_t kMinStepsPerSplit = 8;
/// Warps with at most this many fragments have their K loop unrolled (more
/// fragments would then need more than 255 registers).
constexpr int64_t kMaxFragmentsToUnroll = 4;

/// How a matmul's output is divided: fragments a warp computes (rows x
/// cols), warps a block (warpRows x warpCols), the grid, and splits of K.
/// Warps take up to `fragments` x `fragments`, fewer where that would leave
/// fewer than `minBlocks` blocks (a small output, such as batch 1's, would
/// otherwise run on a few multiprocessors, each warp a long chain over K).
/// Where even one fragment a warp leaves fewer, K is split too, each split
/// a block of its own.
struct KernelShape {
  int64_t batch, m, n, k;
  int64_t rows, cols, warpRows, warpCols;
  int64_t splits = 1;
  int64_t gridX() const { return n / kFragment / cols / warpCols; }
  int64_t gridY() const { return m / kFragment / rows / warpRows; }
  int64_t blocks() const { return gridX() * gridY() * batch; }
  int64_t splitK() const { return k / splits; }

  KernelShape(linalg::LinalgOp op, int64_t fragments, int64_t minBlocks) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    batch = ranges.size() == 4 ? ranges[0] : 1;
    m = ranges[ranges.size() - 3];
    n = ranges[ranges.size() - 2];
    k = ranges.back();
    for (int64_t f = fragments; f >= 1; --f) {
      rows = mase::largestDivisorAtMost(m / kFragment, f);
      cols = mase::largestDivisorAtMost(n / kFragment, f);
      warpRows = (m / kFragment / rows) % 2 == 0 ? 2 : 1;
      warpCols = (n / kFragment / cols) % 2 == 0 ? 2 : 1;
      if (blocks() >= minBlocks)
        break;
    }
    int64_t steps = k / kFragment;
    for (int64_t s = 2;
         blocks() * splits < minBlocks && steps / s >= kMinStepsPerSplit; ++s)
      if (steps % s == 0)
        splits = s;
  }
};

struct CUDATensorCoreMatmulPass
    : mase::impl::CUDATensorCoreMatmulPassBase<CUDATensorCoreMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    if (fragments < 1) {
      getOperation().emitError()
          << getArgument() << ": fragments must be at least 1, got "
          << fragments.getValue();
      return signalPassFailure();
    }
    if (unroll < 1) {
      getOperation().emitError()
          << getArgument() << ": unroll must be at least 1, got "
          << unroll.getValue();
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics() || !mase::isTensorCoreMatmul(op) ||
          !llvm::all_of(op->getOperands(), [](Value operand) {
            return leadingDimension(operand).has_value();
          }))
        return;
      KernelShape shape(op, fragments, minBlocks);
      if (shape.gridY() <= kMaxGridYZ &&
          shape.batch * shape.splits <= kMaxGridYZ)
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : matmuls) {
      rewriter.setInsertionPoint(op);
      buildKernel(rewriter, op);
      rewriter.eraseOp(op);
    }
  }

  /// A `gpu.launch` whose warps each own `rows x cols` fragments of the
  /// output: the accumulators are loaded from the output buffer (a matmul
  /// adds to it), updated over K in steps of 16 and stored back. Warps of a
  /// block are 2x2 where the fragment grid allows, so that they share the
  /// lhs and rhs rows they read in L1.
  void buildKernel(RewriterBase &rewriter, linalg::LinalgOp op) {
    Location loc = op.getLoc();
    KernelShape shape(op, fragments, minBlocks);
    bool batched = op.getNumLoops() == 4;
    const int64_t f = kFragment;
    int64_t rows = shape.rows, cols = shape.cols, k = shape.k;
    int64_t warpRows = shape.warpRows, warpCols = shape.warpCols;

    IndexMath math{rewriter, loc};
    auto index = [&](int64_t value) { return math.index(value); };
    Value out = op.getDpsInitOperand(0)->get();
    // What the accumulators start from (the whole K): the output, or the
    // buffer it was just copied from.
    Value initial = shape.splits > 1 ? out : takeCopiedInitial(rewriter, op);
    // With splits of K, each split's sums go to its slice of `partial`
    // ([split][batch][m][n]), added into the output after the launch.
    int64_t splits = shape.splits;
    Value partial;
    if (splits > 1) {
      SmallVector<int64_t> shapeOfPartial{splits};
      if (batched)
        shapeOfPartial.push_back(shape.batch);
      shapeOfPartial.append({shape.m, shape.n});
      partial = memref::AllocOp::create(
          rewriter, loc, MemRefType::get(shapeOfPartial, rewriter.getF32Type()),
          rewriter.getI64IntegerAttr(kFragment * 4));
    }
    auto launch = gpu::LaunchOp::create(
        rewriter, loc, index(shape.gridX()), index(shape.gridY()),
        index(shape.batch * splits), index(kWarpSize), index(warpCols),
        index(warpRows));
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    gpu::KernelDim3 blockIds = launch.getBlockIds();
    gpu::KernelDim3 threadIds = launch.getThreadIds();
    auto mul = [&](Value a, int64_t b) { return math.mul(a, b); };
    auto add = [&](Value a, Value b) { return math.add(a, b); };
    Value batchIndex = blockIds.z, split;
    if (splits > 1) {
      batchIndex =
          arith::DivUIOp::create(rewriter, loc, blockIds.z, index(splits));
      split = arith::RemUIOp::create(rewriter, loc, blockIds.z, index(splits));
    }
    // The warp's first output row and column.
    Value row0 = mul(add(mul(blockIds.y, warpRows), threadIds.z), rows * f);
    Value col0 = mul(add(mul(blockIds.x, warpCols), threadIds.y), cols * f);

    Value lhs = op.getDpsInputOperand(0)->get();
    Value rhs = op.getDpsInputOperand(1)->get();
    auto at = [&](Value row, Value col) {
      SmallVector<Value> indices;
      if (batched)
        indices.push_back(batchIndex);
      indices.append({row, col});
      return indices;
    };
    auto fragmentType = [&](Value buffer, StringRef operand) {
      return gpu::MMAMatrixType::get(
          {f, f}, cast<MemRefType>(buffer.getType()).getElementType(), operand);
    };
    auto load = [&](Value buffer, StringRef operand, Value row,
                    Value col) -> Value {
      return gpu::SubgroupMmaLoadMatrixOp::create(
          rewriter, loc, fragmentType(buffer, operand), buffer, at(row, col),
          rewriter.getIndexAttr(*leadingDimension(buffer)),
          /*transpose=*/nullptr);
    };
    auto rowOf = [&](Value base, int64_t fragment) {
      return add(base, index(fragment * f));
    };

    // A split starts from zero (the output joins when the splits are
    // added), the whole K from the output.
    SmallVector<Value> accumulators;
    Value zero;
    if (splits > 1)
      zero = gpu::SubgroupMmaConstantMatrixOp::create(
          rewriter, loc, fragmentType(out, "COp"),
          arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getF32FloatAttr(0.0f)));
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        accumulators.push_back(
            zero ? zero
                 : load(initial, "COp", rowOf(row0, i), rowOf(col0, j)));
    Value kBegin = splits > 1 ? mul(split, shape.splitK()) : index(0);
    Value kEnd = splits > 1 ? add(kBegin, index(shape.splitK())) : index(k);
    auto mmaStep = [&](ArrayRef<Value> lhsFragments,
                       ArrayRef<Value> rhsFragments, ValueRange sums) {
      SmallVector<Value> next;
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
          next.push_back(gpu::SubgroupMmaComputeOp::create(
              rewriter, loc, lhsFragments[i], rhsFragments[j],
              sums[i * cols + j], /*a_transpose=*/nullptr,
              /*b_transpose=*/nullptr));
      return next;
    };
    scf::ForOp loop;
    if (sharedMemory) {
      loop = buildStagedLoop(rewriter, loc, launch, shape, lhs, rhs, at, kBegin,
                             kEnd, accumulators, mmaStep);
    } else {
      loop = scf::ForOp::create(
          rewriter, loc, kBegin, kEnd, index(f), accumulators,
          [&](OpBuilder &body, Location, Value kIndex, ValueRange sums) {
            OpBuilder::InsertionGuard guard(rewriter);
            rewriter.setInsertionPoint(body.getInsertionBlock(),
                                       body.getInsertionPoint());
            SmallVector<Value> lhsFragments, rhsFragments;
            for (int64_t i = 0; i < rows; ++i)
              lhsFragments.push_back(load(lhs, "AOp", rowOf(row0, i), kIndex));
            for (int64_t j = 0; j < cols; ++j)
              rhsFragments.push_back(load(rhs, "BOp", kIndex, rowOf(col0, j)));
            scf::YieldOp::create(rewriter, loc,
                                 mmaStep(lhsFragments, rhsFragments, sums));
          });
    }
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        SmallVector<Value> indices = at(rowOf(row0, i), rowOf(col0, j));
        if (splits > 1)
          indices.insert(indices.begin(), split);
        Value target = splits > 1 ? partial : out;
        gpu::SubgroupMmaStoreMatrixOp::create(
            rewriter, loc, loop.getResult(i * cols + j), target, indices,
            rewriter.getIndexAttr(*leadingDimension(target)),
            /*transpose=*/nullptr);
      }
    // Unrolled, one step's loads can be issued before the previous step's
    // products.
    if (!sharedMemory && unroll > 1 && rows * cols <= kMaxFragmentsToUnroll)
      (void)loopUnrollByFactor(loop, unroll);
    gpu::TerminatorOp::create(rewriter, loc);
    if (splits > 1) {
      rewriter.setInsertionPointAfter(launch);
      addSplits(rewriter, loc, partial, out);
    }
  }

  /// The source of a `linalg.copy` into the matmul's output just before it
  /// (bufferization's copy of an initial value, such as the broadcast bias,
  /// that several matmuls share), when fragments can be loaded from it: the
  /// copy is erased and the kernel reads its source instead, saving a kernel
  /// that reads and writes the whole output. Otherwise the output.
  static Value takeCopiedInitial(RewriterBase &rewriter, linalg::LinalgOp op) {
    Value out = op.getDpsInitOperand(0)->get();
    auto copy = dyn_cast_or_null<linalg::CopyOp>(op->getPrevNode());
    if (!copy || !copy.hasPureBufferSemantics() ||
        copy.getDpsInitOperand(0)->get() != out)
      return out;
    Value source = copy.getDpsInputOperand(0)->get();
    auto sourceType = dyn_cast<MemRefType>(source.getType());
    if (!sourceType ||
        sourceType.getShape() != cast<MemRefType>(out.getType()).getShape() ||
        !leadingDimension(source))
      return out;
    rewriter.eraseOp(copy);
    return source;
  }

  /// The K loop with operand tiles staged in shared memory: each iteration
  /// the block's threads copy the block's lhs rows and rhs columns for the
  /// next kStage elements of K into shared memory (16-byte loads, rows
  /// padded by 8 elements against bank conflicts), then each warp loads its
  /// fragments from there. A barrier before the copy keeps it from
  /// overwriting tiles that warps still read.
  scf::ForOp
  buildStagedLoop(RewriterBase &rewriter, Location loc, gpu::LaunchOp launch,
                  const KernelShape &shape, Value lhs, Value rhs,
                  function_ref<SmallVector<Value>(Value, Value)> at,
                  Value kBegin, Value kEnd, ValueRange accumulators,
                  function_ref<SmallVector<Value>(ArrayRef<Value>,
                                                  ArrayRef<Value>, ValueRange)>
                      mmaStep) {
    const int64_t f = kFragment, pad = 8, vector = 8;
    int64_t kStage = shape.splitK() % (2 * f) == 0 ? 2 * f : f;
    int64_t blockRows = shape.warpRows * shape.rows * f;
    int64_t blockCols = shape.warpCols * shape.cols * f;
    int64_t threads = kWarpSize * shape.warpRows * shape.warpCols;
    IndexMath math{rewriter, loc};
    auto index = [&](int64_t value) { return math.index(value); };
    auto mul = [&](Value a, int64_t b) { return math.mul(a, b); };
    auto add = [&](Value a, Value b) { return math.add(a, b); };
    Attribute workgroup = gpu::AddressSpaceAttr::get(
        rewriter.getContext(), gpu::AddressSpace::Workgroup);
    Type f16 = rewriter.getF16Type();
    Value lhsTile = launch.addWorkgroupAttribution(
        MemRefType::get({blockRows, kStage + pad}, f16,
                        MemRefLayoutAttrInterface(), workgroup),
        loc);
    Value rhsTile = launch.addWorkgroupAttribution(
        MemRefType::get({kStage, blockCols + pad}, f16,
                        MemRefLayoutAttrInterface(), workgroup),
        loc);
    gpu::KernelDim3 blockIds = launch.getBlockIds();
    gpu::KernelDim3 threadIds = launch.getThreadIds();
    Value thread =
        add(threadIds.x,
            mul(add(threadIds.y, mul(threadIds.z, shape.warpCols)), kWarpSize));
    Value blockRow0 = mul(blockIds.y, blockRows);
    Value blockCol0 = mul(blockIds.x, blockCols);
    Value warpRow0 = mul(threadIds.z, shape.rows * f);
    Value warpCol0 = mul(threadIds.y, shape.cols * f);
    auto vectorType = VectorType::get({vector}, f16);
    // tile[r][c] = source[row0 + r][col0 + c] for a rows x cols tile, 8
    // elements a thread at a time.
    auto copy = [&](Value source, Value tile, Value row0, Value col0,
                    int64_t tileRows, int64_t tileCols) {
      int64_t vectors = tileRows * tileCols / vector;
      for (int64_t first = 0; first < vectors; first += threads) {
        Value v = add(thread, index(first));
        auto move = [&] {
          Value r = arith::DivUIOp::create(rewriter, loc, v,
                                           index(tileCols / vector));
          Value c = mul(arith::RemUIOp::create(rewriter, loc, v,
                                               index(tileCols / vector)),
                        vector);
          Value value = vector::LoadOp::create(
              rewriter, loc, vectorType, source, at(add(row0, r), add(col0, c)),
              /*nontemporal=*/false, llvm::MaybeAlign(16));
          vector::StoreOp::create(rewriter, loc, value, tile, ValueRange{r, c},
                                  /*nontemporal=*/false, llvm::MaybeAlign(16));
        };
        if (first + threads <= vectors) {
          move();
          continue;
        }
        auto inRange = scf::IfOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, v,
                                  index(vectors)));
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPoint(inRange.thenBlock()->getTerminator());
        move();
      }
    };
    auto fragment = [&](Value tile, StringRef operand, Value row, Value col) {
      auto type = cast<MemRefType>(tile.getType());
      return gpu::SubgroupMmaLoadMatrixOp::create(
                 rewriter, loc, gpu::MMAMatrixType::get({f, f}, f16, operand),
                 tile, ValueRange{row, col},
                 rewriter.getIndexAttr(type.getShape()[1]),
                 /*transpose=*/nullptr)
          .getResult();
    };
    return scf::ForOp::create(
        rewriter, loc, kBegin, kEnd, index(kStage), accumulators,
        [&](OpBuilder &body, Location, Value kIndex, ValueRange sums) {
          OpBuilder::InsertionGuard guard(rewriter);
          rewriter.setInsertionPoint(body.getInsertionBlock(),
                                     body.getInsertionPoint());
          gpu::BarrierOp::create(rewriter, loc);
          copy(lhs, lhsTile, blockRow0, kIndex, blockRows, kStage);
          copy(rhs, rhsTile, kIndex, blockCol0, kStage, blockCols);
          gpu::BarrierOp::create(rewriter, loc);
          SmallVector<Value> current(sums);
          for (int64_t kk = 0; kk < kStage; kk += f) {
            SmallVector<Value> lhsFragments, rhsFragments;
            for (int64_t i = 0; i < shape.rows; ++i)
              lhsFragments.push_back(fragment(
                  lhsTile, "AOp", add(warpRow0, index(i * f)), index(kk)));
            for (int64_t j = 0; j < shape.cols; ++j)
              rhsFragments.push_back(fragment(rhsTile, "BOp", index(kk),
                                              add(warpCol0, index(j * f))));
            current = mmaStep(lhsFragments, rhsFragments, current);
          }
          scf::YieldOp::create(rewriter, loc, current);
        });
  }

  /// out += the sum over splits of partial[split]: a reduction over the
  /// splits, innermost, left for the loop lowering (a thread an output).
  static void addSplits(RewriterBase &rewriter, Location loc, Value partial,
                        Value out) {
    MLIRContext *context = rewriter.getContext();
    unsigned rank = cast<MemRefType>(out.getType()).getRank();
    // Loops (output dims..., split).
    SmallVector<AffineExpr> partialIndex{getAffineDimExpr(rank, context)};
    for (unsigned d = 0; d < rank; ++d)
      partialIndex.push_back(getAffineDimExpr(d, context));
    SmallVector<AffineMap> maps{
        AffineMap::get(rank + 1, 0, partialIndex, context),
        AffineMap::getMultiDimIdentityMap(rank + 1, context)
            .getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    linalg::GenericOp::create(
        rewriter, loc, ValueRange{partial}, ValueRange{out}, maps, iterators,
        [](OpBuilder &builder, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              builder, loc,
              ValueRange{arith::AddFOp::create(builder, loc, args[0], args[1])
                             .getResult()});
        });
    memref::DeallocOp::create(rewriter, loc, partial);
  }
};

} // namespace
