//===- WarpReductions.cpp - row reductions as one warp a row --------------===//
//
// Loop lowering gives a reduction one thread a row: each thread walks its
// row alone, and neighbouring threads read addresses a row apart. Here each
// row gets a warp instead: lanes take every 32nd element (neighbouring lanes
// read neighbouring elements), then combine their partial results with
// shuffles.
//
//===----------------------------------------------------------------------===//

#include "mase/Target/CUDA/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::mase {
#define GEN_PASS_DEF_CUDAWARPREDUCTIONSPASS
#include "mase/Target/CUDA/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

constexpr int64_t kWarpSize = 32;
/// Warps (rows) a block.
constexpr int64_t kWarpsPerBlock = 8;

/// A reduction the pass rewrites: a `linalg.generic` on buffers with static
/// sizes, loops parallel then one innermost reduction, projected-permutation
/// maps, one output indexed by the parallel loops in order, and a body whose
/// yield is `combiner(element, acc)`: a 32-bit arith op with a neutral
/// element, the only user of the output's block argument `acc`.
struct RowReduction {
  linalg::GenericOp op;
  Operation *combiner;
  Value element;
  TypedAttr neutral;
  SmallVector<int64_t> rowShape;
  int64_t size;
};

std::optional<RowReduction> matchRowReduction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned loops = iterators.size();
  if (loops < 2 || iterators.back() != utils::IteratorType::reduction ||
      llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic) || ranges.back() < kWarpSize)
    return std::nullopt;
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return std::nullopt;
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outMap = op.getMatchingIndexingMap(init);
  if (outMap != AffineMap::getMultiDimIdentityMap(loops, op.getContext())
                    .getMajorSubMap(loops - 1))
    return std::nullopt;

  Block *body = op.getBody();
  if (!body->getOps<linalg::IndexOp>().empty())
    return std::nullopt;
  Value acc = op.getMatchingBlockArgument(init);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  Operation *combiner = yield.getOperand(0).getDefiningOp();
  if (!combiner || combiner->getBlock() != body ||
      combiner->getNumOperands() != 2 || combiner->getNumResults() != 1 ||
      !acc.hasOneUse() || *acc.getUsers().begin() != combiner ||
      !combiner->getResult(0).hasOneUse() ||
      combiner->getResult(0).getType().getIntOrFloatBitWidth() != 32)
    return std::nullopt;
  std::optional<TypedAttr> neutral = arith::getNeutralElement(combiner);
  if (!neutral)
    return std::nullopt;
  Value element = combiner->getOperand(0) == acc ? combiner->getOperand(1)
                                                 : combiner->getOperand(0);
  if (element == acc)
    return std::nullopt;
  return RowReduction{op,
                      combiner,
                      element,
                      *neutral,
                      SmallVector<int64_t>(ArrayRef(ranges).drop_back()),
                      ranges.back()};
}

struct CUDAWarpReductionsPass
    : mase::impl::CUDAWarpReductionsPassBase<CUDAWarpReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<RowReduction> reductions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<RowReduction> reduction = matchRowReduction(op))
        reductions.push_back(*reduction);
    });
    IRRewriter rewriter(&getContext());
    for (RowReduction &reduction : reductions) {
      rewriter.setInsertionPoint(reduction.op);
      buildKernel(rewriter, reduction);
      rewriter.eraseOp(reduction.op);
    }
    eraseUnreadFills(rewriter);
  }

  /// Drops fills of buffers that nothing reads any more (their copies were
  /// folded into reductions).
  void eraseUnreadFills(RewriterBase &rewriter) {
    SmallVector<linalg::FillOp> unread;
    getOperation().walk([&](linalg::FillOp fill) {
      Value buffer = fill.getDpsInitOperand(0)->get();
      if (fill.hasPureBufferSemantics() &&
          buffer.getDefiningOp<memref::AllocOp>() &&
          llvm::all_of(buffer.getUsers(), [&](Operation *user) {
            return user == fill || isa<memref::DeallocOp>(user);
          }))
        unread.push_back(fill);
    });
    for (linalg::FillOp fill : unread)
      rewriter.eraseOp(fill);
  }

  /// The value every element of the output holds before the reduction, when
  /// it is a constant the reduction can start from instead of loading it:
  /// the output is filled just before the op, or copied just before from a
  /// buffer that a fill wrote last (bufferization's copy of a fill that CSE
  /// shared between reductions). That fill or copy is erased:
  /// the reduction writes every element.
  static Value takeInitialValue(RewriterBase &rewriter, linalg::GenericOp op) {
    Value out = op.getDpsInitOperand(0)->get();
    Operation *previous = op->getPrevNode();
    auto fillValue = [&](linalg::FillOp fill) -> Value {
      if (!fill || !fill.hasPureBufferSemantics())
        return nullptr;
      Value value = fill.getDpsInputOperand(0)->get();
      return value.getType() == getElementTypeOrSelf(out.getType()) ? value
                                                                    : nullptr;
    };
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(previous)) {
      Value value = fillValue(fill);
      if (!value || fill.getDpsInitOperand(0)->get() != out)
        return nullptr;
      rewriter.eraseOp(fill);
      return value;
    }
    auto copy = dyn_cast_or_null<linalg::CopyOp>(previous);
    if (!copy || !copy.hasPureBufferSemantics() ||
        copy.getDpsInitOperand(0)->get() != out)
      return nullptr;
    Value source = copy.getDpsInputOperand(0)->get();
    if (!source.getDefiningOp<memref::AllocOp>())
      return nullptr;
    // The ops of this block that touch the source, through views too.
    Block *block = copy->getBlock();
    llvm::SmallPtrSet<Operation *, 8> touching;
    SmallVector<Value> aliases{source};
    while (!aliases.empty()) {
      Value alias = aliases.pop_back_val();
      for (Operation *user : alias.getUsers()) {
        Operation *ancestor = block->findAncestorOpInBlock(*user);
        if (!ancestor)
          return nullptr;
        touching.insert(ancestor);
        if (isa<ViewLikeOpInterface>(user))
          aliases.append(user->result_begin(), user->result_end());
      }
    }
    // Back from the copy to the fill, past other copies that read it only.
    linalg::FillOp writer;
    for (Operation *at = copy->getPrevNode(); at && !writer;
         at = at->getPrevNode()) {
      if (!touching.contains(at))
        continue;
      auto fill = dyn_cast<linalg::FillOp>(at);
      auto read = dyn_cast<linalg::CopyOp>(at);
      if (fill && fill.getDpsInitOperand(0)->get() == source)
        writer = fill;
      else if (!read || read.getDpsInputOperand(0)->get() != source ||
               read.getDpsInitOperand(0)->get() == source)
        return nullptr;
    }
    Value value = fillValue(writer);
    if (value)
      rewriter.eraseOp(copy);
    return value;
  }

  /// A `gpu.launch` of blocks of 8 warps, one warp a row: lane l combines
  /// elements l, l + 32, ... of its row (the op's body, cloned), the lanes'
  /// results are combined by a butterfly of shuffles, and lane 0 combines
  /// the total with the output's old value and stores it.
  void buildKernel(RewriterBase &rewriter, RowReduction &reduction) {
    linalg::GenericOp op = reduction.op;
    Location loc = op.getLoc();
    Value initial = takeInitialValue(rewriter, op);
    rewriter.setInsertionPoint(op);
    int64_t rows = 1;
    for (int64_t size : reduction.rowShape)
      rows *= size;
    auto index = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, value);
    };
    auto launch = gpu::LaunchOp::create(
        rewriter, loc, index(llvm::divideCeil(rows, kWarpsPerBlock)), index(1),
        index(1), index(kWarpSize), index(kWarpsPerBlock), index(1));
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    Value lane = launch.getThreadIds().x;
    Value row = arith::AddIOp::create(
        rewriter, loc,
        arith::MulIOp::create(rewriter, loc, launch.getBlockIds().x,
                              index(kWarpsPerBlock)),
        launch.getThreadIds().y);
    Value inRange = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ult, row, index(rows));
    auto guard = scf::IfOp::create(rewriter, loc, inRange);
    rewriter.setInsertionPoint(guard.thenBlock()->getTerminator());

    // The row's position in the parallel loops, innermost fastest.
    SmallVector<Value> rowIndices(reduction.rowShape.size());
    Value rest = row;
    for (int64_t d = reduction.rowShape.size() - 1; d > 0; --d) {
      Value size = index(reduction.rowShape[d]);
      rowIndices[d] = arith::RemUIOp::create(rewriter, loc, rest, size);
      rest = arith::DivUIOp::create(rewriter, loc, rest, size);
    }
    rowIndices[0] = rest;
    auto indicesFor = [&](AffineMap map, Value j) {
      SmallVector<Value> indices;
      for (AffineExpr result : map.getResults()) {
        unsigned dim = cast<AffineDimExpr>(result).getPosition();
        indices.push_back(dim < rowIndices.size() ? rowIndices[dim] : j);
      }
      return indices;
    };
    auto combine = [&](Value element, Value acc) {
      IRMapping mapping;
      mapping.map(reduction.element, element);
      mapping.map(op.getMatchingBlockArgument(op.getDpsInitOperand(0)), acc);
      return rewriter.clone(*reduction.combiner, mapping)->getResult(0);
    };

    Value neutral = arith::ConstantOp::create(rewriter, loc, reduction.neutral);
    auto partial = scf::ForOp::create(
        rewriter, loc, lane, index(reduction.size), index(kWarpSize),
        ValueRange{neutral},
        [&](OpBuilder &body, Location, Value j, ValueRange accs) {
          OpBuilder::InsertionGuard insertion(rewriter);
          rewriter.setInsertionPoint(body.getInsertionBlock(),
                                     body.getInsertionPoint());
          IRMapping mapping;
          for (OpOperand *input : op.getDpsInputOperands()) {
            BlockArgument arg = op.getMatchingBlockArgument(input);
            Value value = input->get();
            if (isa<MemRefType>(value.getType()))
              value = memref::LoadOp::create(
                  rewriter, loc, value,
                  indicesFor(op.getMatchingIndexingMap(input), j));
            mapping.map(arg, value);
          }
          for (Operation &bodyOp : op.getBody()->without_terminator())
            if (&bodyOp != reduction.combiner)
              rewriter.clone(bodyOp, mapping);
          scf::YieldOp::create(
              rewriter, loc,
              combine(mapping.lookupOrDefault(reduction.element), accs[0]));
        });
    Value total = partial.getResult(0);
    for (int64_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
      auto shuffle = gpu::ShuffleOp::create(
          rewriter, loc, total, static_cast<int32_t>(offset),
          static_cast<int32_t>(kWarpSize), gpu::ShuffleMode::XOR);
      total = combine(shuffle.getShuffleResult(), total);
    }

    Value isFirst = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::eq, lane, index(0));
    auto store = scf::IfOp::create(rewriter, loc, isFirst);
    rewriter.setInsertionPoint(store.thenBlock()->getTerminator());
    Value out = op.getDpsInitOperand(0)->get();
    SmallVector<Value> outIndices(rowIndices);
    if (!initial)
      initial = memref::LoadOp::create(rewriter, loc, out, outIndices);
    memref::StoreOp::create(rewriter, loc, combine(total, initial), out,
                            outIndices);
    rewriter.setInsertionPointToEnd(&launch.getBody().front());
    gpu::TerminatorOp::create(rewriter, loc);
  }
};

} // namespace
