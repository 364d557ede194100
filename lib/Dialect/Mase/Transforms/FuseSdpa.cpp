//===- FuseSdpa.cpp - the mase-fuse-sdpa pass -----------------------------===//
//
// Every mase.softmax is an attention site. Walking up and down from it, the
// matcher accepts
//
//   matmul(guard?(softmax(add?(scale?(matmul(Q, K^T)), mask), axis = last)), V)
//
// where scale is a mul or div by a scalar constant (or a mul of Q or K^T by
// one), guard PyTorch SDPA's where(isnan(p), 0, p),
// the mask any tensor that broadcasts to the scores without enlarging them
// (however the graph computed it), and every intermediate has one use. A
// match becomes one mase.sdpa, which also absorbs the transposes that split
// Q and V into heads and merge the output back when all three are there; a
// site that does not match is reported with the step that failed.
//
//===----------------------------------------------------------------------===//

#include "ConstantMatchers.h"
#include "PassConfig.h"
#include "SupportFunctions.h"

#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

namespace mlir::mase {
#define GEN_PASS_DEF_FUSESDPAPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;

namespace {

/// What the matcher found at one site.
struct Site {
  SoftmaxOp softmax;
  MatmulOp scores, output;
  Value query, keyT, value, mask;
  float scale = 1.0f;
  /// The probabilities pass through where(isnan(p), 0, p).
  bool zeroNanRows = false;
  /// Q and V come from, and the output goes to, [B, S, H, D] through the
  /// transposes that split and merge heads, which the fusion absorbs.
  TransposeOp splitQuery, splitValue, mergeOutput;
  /// Ops that go with the fusion, consumers first.
  SmallVector<Operation *> fused;
  /// Empty on a match; else "step N (what): why".
  std::string failure;
};

/// `where(not(equal(p, p)), 0, p)` on the softmax's result p (PyTorch's
/// SDPA zeroes the NaN rows of fully masked queries), when it is p's only
/// consumer besides itself.
WhereOp nanGuard(SoftmaxOp softmax) {
  Value p = softmax.getResult();
  WhereOp guard;
  for (Operation *user : p.getUsers())
    if (auto where = dyn_cast<WhereOp>(user))
      guard = where;
  if (!guard || guard.getFalseValue() != p || guard.getTrueValue() == p)
    return {};
  std::optional<float> zero = scalarConstant(guard.getTrueValue());
  auto notNan = guard.getCondition().getDefiningOp<NotOp>();
  auto equal = notNan ? notNan.getInput().getDefiningOp<EqualOp>() : EqualOp();
  if (!zero || *zero != 0.0f || !equal || equal.getLhs() != p ||
      equal.getRhs() != p || !notNan->hasOneUse() || !equal->hasOneUse())
    return {};
  // p's users: the equal (both operands) and the guard.
  for (Operation *user : p.getUsers())
    if (user != equal && user != guard)
      return {};
  return guard;
}

Site match(SoftmaxOp softmax, ArrayRef<std::string> elementTypes) {
  Site site;
  site.softmax = softmax;
  auto fail = [&](int step, StringRef what, const Twine &why) {
    site.failure = ("step " + Twine(step) + " (" + what + "): " + why).str();
    return site;
  };
  auto type = cast<RankedTensorType>(softmax.getType());
  std::string element;
  llvm::raw_string_ostream(element) << type.getElementType();
  if (!llvm::is_contained(elementTypes, element))
    return fail(1, "softmax",
                "the scores are " + element + ", which the target's kernel "
                "does not take (element-types: " +
                    llvm::join(elementTypes, ",") + ")");
  int64_t rank = type.getRank();
  if (rank != 4)
    return fail(1, "softmax", "the scores have rank " + Twine(rank) +
                                  ", not [B, H, Sq, Sk]");
  int64_t axis = softmax.getAxis();
  if (axis != -1 && axis != rank - 1)
    return fail(1, "softmax", "the axis is " + Twine(axis) +
                                  ", not the last (keys)");

  // Down: softmax(...) V, possibly through the NaN guard.
  Value probabilities = softmax.getResult();
  if (WhereOp guard = nanGuard(softmax)) {
    site.zeroNanRows = true;
    site.fused.push_back(guard);
    site.fused.push_back(guard.getCondition().getDefiningOp());
    site.fused.push_back(
        guard.getCondition().getDefiningOp()->getOperand(0).getDefiningOp());
    probabilities = guard.getResult();
  } else if (!softmax->hasOneUse()) {
    return fail(2, "P V", "the probabilities have other uses");
  }
  if (!probabilities.hasOneUse())
    return fail(2, "P V", "the probabilities have other uses");
  auto output = dyn_cast<MatmulOp>(*probabilities.getUsers().begin());
  if (!output || output.getLhs() != probabilities)
    return fail(2, "P V", "the probabilities are not the left operand of a "
                          "matmul");
  if (output.getRhs().getType().getRank() != 4)
    return fail(2, "P V", "V is not [B, H, Sk, Dv]");
  site.output = output;
  site.value = output.getRhs();
  site.fused.push_back(softmax);

  // Up: the mask.
  Value x = softmax.getInput();
  if (auto add = x.getDefiningOp<AddOp>()) {
    if (!add->hasOneUse())
      return fail(3, "mask", "the masked scores have other uses");
    Value lhs = add.getLhs(), rhs = add.getRhs();
    bool lhsScores = lhs.getDefiningOp<MulOp>() || lhs.getDefiningOp<DivOp>() ||
                     lhs.getDefiningOp<MatmulOp>();
    Value scores = lhsScores ? lhs : rhs, mask = lhsScores ? rhs : lhs;
    if (scores.getType() != add.getType())
      return fail(3, "mask", "adding the mask enlarges the scores (its "
                             "broadcast adds dimensions)");
    if (cast<RankedTensorType>(mask.getType()).getElementType() !=
        type.getElementType())
      return fail(3, "mask", "the mask's element type is not the scores'");
    site.mask = mask;
    site.fused.push_back(add);
    x = scores;
  }

  // The scale: a mul or div by a scalar constant.
  if (auto mul = x.getDefiningOp<MulOp>()) {
    std::optional<float> c =
        mul.getLhs().getDefiningOp<MatmulOp>() ? scalarConstant(mul.getRhs())
                                               : scalarConstant(mul.getLhs());
    if (!c || mul.getType() != x.getType())
      return fail(4, "scale", "the scores are multiplied by something other "
                              "than a scalar constant");
    if (!mul->hasOneUse())
      return fail(4, "scale", "the scaled scores have other uses");
    site.scale = *c;
    site.fused.push_back(mul);
    x = mul.getLhs().getDefiningOp<MatmulOp>() ? mul.getLhs() : mul.getRhs();
  } else if (auto div = x.getDefiningOp<DivOp>()) {
    std::optional<float> c = scalarConstant(div.getRhs());
    if (!c || *c == 0.0f)
      return fail(4, "scale", "the scores are divided by something other "
                              "than a non-zero scalar constant");
    if (!div->hasOneUse())
      return fail(4, "scale", "the scaled scores have other uses");
    site.scale = 1.0f / *c;
    site.fused.push_back(div);
    x = div.getLhs();
  }

  // Q K^T.
  auto scores = x.getDefiningOp<MatmulOp>();
  if (!scores)
    return fail(5, "Q K^T", "the scores do not come from a matmul");
  if (!scores->hasOneUse())
    return fail(5, "Q K^T", "the raw scores have other uses");
  if (scores.getLhs().getType().getRank() != 4 ||
      scores.getRhs().getType().getRank() != 4)
    return fail(5, "Q K^T", "Q and K^T are not [B, H, S, D] and [B, H, D, S]");
  ArrayRef<int64_t> q = scores.getLhs().getType().getShape();
  ArrayRef<int64_t> kt = scores.getRhs().getType().getShape();
  ArrayRef<int64_t> v =
      cast<RankedTensorType>(site.value.getType()).getShape();
  if (q.take_front(2) != kt.take_front(2) || q.take_front(2) != v.take_front(2))
    return fail(5, "Q K^T", "Q, K^T and V do not share batch and heads (the "
                            "matmuls broadcast them)");
  site.scores = scores;
  site.fused.push_back(scores);
  site.query = scores.getLhs();
  site.keyT = scores.getRhs();
  // A query or keys scaled before the product (SDPA-style exports).
  for (Value *operand : {&site.query, &site.keyT})
    if (auto mul = operand->getDefiningOp<MulOp>();
        mul && mul->hasOneUse() && mul.getType() == mul.getLhs().getType()) {
      if (std::optional<float> c = scalarConstant(mul.getRhs())) {
        site.scale *= *c;
        *operand = mul.getLhs();
        site.fused.push_back(mul);
      }
    }
  return site;
}

/// A single-use mase.transpose swapping dimensions 1 and 2 of a rank-4
/// tensor (heads and sequence).
TransposeOp headTranspose(Operation *op) {
  auto transpose = dyn_cast_if_present<TransposeOp>(op);
  if (!transpose || !transpose->hasOneUse() ||
      transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 1, 3})
    return {};
  return transpose;
}

/// Records the head split of Q and V and the head merge of the output when
/// all three are there (one layout for all three operands).
void absorbHeadTransposes(Site &site) {
  TransposeOp query = headTranspose(site.query.getDefiningOp());
  TransposeOp value = headTranspose(site.value.getDefiningOp());
  TransposeOp merge =
      site.output->hasOneUse()
          ? headTranspose(*site.output->getUsers().begin())
          : TransposeOp();
  if (!query || !value || !merge)
    return;
  site.splitQuery = query;
  site.splitValue = value;
  site.mergeOutput = merge;
}

std::string shapeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(cast<RankedTensorType>(type).getShape(), os, "x");
  return text;
}

struct FuseSdpaPass : mlir::mase::impl::FuseSdpaPassBase<FuseSdpaPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<SoftmaxOp> softmaxes;
    module.walk([&](SoftmaxOp op) { softmaxes.push_back(op); });

    std::string report;
    llvm::raw_string_ostream os(report);
    SmallVector<std::string> types(elementTypes.begin(), elementTypes.end());
    if (types.empty())
      types.push_back("f32");
    for (const std::string &type : types)
      if (type != "f32" && type != "f16" && type != "bf16") {
        module.emitError() << "mase-fuse-sdpa: element-types: '" << type
                           << "' is not one of f32, f16, bf16";
        return signalPassFailure();
      }
    int fused = 0;
    bool cpuKernel = false;
    for (SoftmaxOp softmax : softmaxes) {
      auto name = softmax->getAttrOfType<StringAttr>("mase.layer");
      os << (name ? name.str() : "<unnamed>") << " sdpa ";
      Site site = match(softmax, types);
      if (!site.failure.empty()) {
        os << "not fused: " << site.failure << "\n";
        continue;
      }
      absorbHeadTransposes(site);
      os << "fused scale=" << llvm::format("%g", site.scale) << " scores="
         << shapeText(softmax.getType())
         << " mask=" << (site.mask ? shapeText(site.mask.getType()) : "none")
         << (site.zeroNanRows ? " nan-rows=zero" : "")
         << (site.mergeOutput ? " heads=absorbed" : "") << "\n";
      cpuKernel |= softmax.getType().getElementType().isF32();
      rewrite(site);
      ++fused;
    }
    os << "fusion: " << fused << " of " << softmaxes.size()
       << " attention sites fused\n";
    if (cpuKernel)
      declareSdpa(module);
    if (!reportPath.empty() &&
        failed(writePassReport(module.getLoc(), "mase-fuse-sdpa", reportPath,
                               [&](raw_ostream &out) { out << report; })))
      return signalPassFailure();
  }

  static void rewrite(Site &site) {
    bool sequenceMajor = static_cast<bool>(site.mergeOutput);
    Operation *replaced =
        sequenceMajor ? site.mergeOutput.getOperation() : site.output;
    OpBuilder builder(replaced);
    auto sdpa = SdpaOp::create(
        builder, site.output.getLoc(), replaced->getResult(0).getType(),
        sequenceMajor ? site.splitQuery.getInput() : site.query, site.keyT,
        sequenceMajor ? site.splitValue.getInput() : site.value, site.mask,
        builder.getF32FloatAttr(site.scale),
        site.zeroNanRows ? builder.getUnitAttr() : UnitAttr(),
        sequenceMajor ? builder.getUnitAttr() : UnitAttr());
    sdpa->setDiscardableAttrs(site.softmax->getDiscardableAttrDictionary());
    replaced->getResult(0).replaceAllUsesWith(sdpa.getResult());
    if (sequenceMajor)
      site.mergeOutput.erase();
    site.output.erase();
    for (Operation *op : site.fused)
      op->erase();
    if (sequenceMajor) {
      site.splitQuery.erase();
      site.splitValue.erase();
    }
  }
};

} // namespace
