//===- SparseWeights.cpp - the mase-sparse-weights pass -------------------===//
//
// Chooses each constant linear weight's storage: dense, or compressed sparse
// rows (mase.sparse_linear) when enough of it is zero.
//
//===----------------------------------------------------------------------===//

#include "PassConfig.h"
#include "SupportFunctions.h"

#include "mase-c/ModelSupport.h"
#include "mase/Dialect/Mase/IR/MaseOps.h"
#include "mase/Dialect/Mase/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"

namespace mlir::mase {
#define GEN_PASS_DEF_SPARSEWEIGHTSPASS
#include "mase/Dialect/Mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;
using namespace mlir::mase;

namespace {

/// A weight [out, in] in compressed sparse rows.
struct CompressedRows {
  std::vector<int32_t> offsets;
  std::vector<int16_t> columns; ///< uint16 bit patterns
  std::vector<float> values;

  int64_t bytes() const {
    return offsets.size() * 4 + columns.size() * 2 + values.size() * 4;
  }
};

CompressedRows compress(ArrayRef<float> weight, int64_t out, int64_t in) {
  CompressedRows rows;
  rows.offsets.push_back(0);
  for (int64_t j = 0; j < out; ++j) {
    for (int64_t q = 0; q < in; ++q)
      if (float v = weight[j * in + q]; v != 0.0f) {
        rows.columns.push_back(static_cast<int16_t>(static_cast<uint16_t>(q)));
        rows.values.push_back(v);
      }
    rows.offsets.push_back(static_cast<int32_t>(rows.values.size()));
  }
  return rows;
}

struct SparseWeightsPass
    : mlir::mase::impl::SparseWeightsPassBase<SparseWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!(threshold >= 0.0)) {
      emitError(module.getLoc())
          << "mase-sparse-weights: threshold must be at least 0 (above 1: "
             "every weight stays dense), got "
          << threshold;
      return signalPassFailure();
    }
    SmallVector<LinearOp> linears;
    module.walk([&](LinearOp linear) { linears.push_back(linear); });

    std::string report;
    llvm::raw_string_ostream os(report);
    int64_t before = 0, after = 0, sparse = 0;
    for (LinearOp linear : linears) {
      DenseElementsAttr constant;
      if (!matchPattern(linear.getWeight(), m_Constant(&constant)) ||
          !constant.getElementType().isF32())
        continue;
      ArrayRef<int64_t> shape = linear.getWeight().getType().getShape();
      int64_t out = shape[0], in = shape[1];
      SmallVector<float> weight(constant.getValues<float>());
      int64_t zeros = llvm::count(weight, 0.0f);
      double sparsity = double(zeros) / weight.size();
      int64_t dense = weight.size() * 4, stored = dense;
      const char *storage = "dense";
      if (sparsity >= threshold && in <= MASE_SPARSE_MAX_DEPTH &&
          weight.size() - zeros <= INT32_MAX) {
        CompressedRows rows = compress(weight, out, in);
        replace(linear, rows);
        stored = rows.bytes();
        storage = "csr";
        ++sparse;
      }
      auto name = linear->getAttrOfType<StringAttr>("mase.layer");
      os << (name ? name.str() : "<unnamed>") << " linear storage=" << storage
         << " sparsity=" << llvm::format("%.4f", sparsity)
         << " weight_bytes=" << dense << "->" << stored << "\n";
      before += dense;
      after += stored;
    }
    os << "storage: " << sparse << " of " << linears.size()
       << " linear layers sparse (threshold "
       << llvm::format("%g", threshold.getValue())
       << "), weight_bytes=" << before << "->" << after << "\n";
    if (sparse > 0)
      declareSparseGemm(module);
    if (!reportPath.empty() &&
        failed(writePassReport(module.getLoc(), "mase-sparse-weights",
                               reportPath,
                               [&](raw_ostream &out) { out << report; },
                               appendReport)))
      return signalPassFailure();
  }

  static void replace(LinearOp linear, const CompressedRows &rows) {
    OpBuilder builder(linear);
    Location loc = linear.getLoc();
    auto constant = [&](auto values, Type element) -> Value {
      auto type = RankedTensorType::get(
          {static_cast<int64_t>(values.size())}, element);
      return arith::ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(type, llvm::ArrayRef(values)));
    };
    auto sparseLinear = SparseLinearOp::create(
        builder, loc, linear.getType(), linear.getInput(),
        constant(rows.offsets, builder.getI32Type()),
        constant(rows.columns, builder.getI16Type()),
        constant(rows.values, builder.getF32Type()), linear.getBias());
    sparseLinear->setDiscardableAttrs(linear->getDiscardableAttrDictionary());
    linear.replaceAllUsesWith(sparseLinear.getResult());
    linear.erase();
  }
};

} // namespace
