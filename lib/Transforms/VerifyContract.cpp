//===- VerifyContract.cpp - phase-closing dialect contract check ----------===//

#include "mase/Transforms/Passes.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::mase {
#define GEN_PASS_DEF_VERIFYCONTRACTPASS
#include "mase/Transforms/Passes.h.inc"
} // namespace mlir::mase

using namespace mlir;

namespace {

struct VerifyContractPass
    : mase::impl::VerifyContractPassBase<VerifyContractPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (allowedDialects.empty())
      return emitError(UnknownLoc::get(context))
             << "mase-verify-contract: option 'allowed-dialects' must name at "
                "least one dialect";
    allowed.clear();
    allowed.insert("builtin");
    for (const std::string &name : allowedDialects)
      allowed.insert(name);
    return success();
  }

  void runOnOperation() override {
    // First offending op per name, with its number of occurrences, in IR order.
    llvm::MapVector<OperationName, std::pair<Operation *, unsigned>> violations;
    // An offending op is reported once; its body (for example the implicit
    // region of a linalg named op) belongs to it and is not reported again.
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (allowed.contains(op->getName().getDialectNamespace()))
        return WalkResult::advance();
      auto [it, inserted] =
          violations.try_emplace(op->getName(), std::make_pair(op, 0u));
      ++it->second.second;
      return WalkResult::skip();
    });
    if (violations.empty())
      return;

    SmallVector<StringRef> names(allowed.keys());
    llvm::sort(names);
    std::string allowedList = llvm::join(names, ", ");
    for (auto &[name, first] : violations) {
      auto [op, count] = first;
      op->emitError() << "'" << name << "' (" << count
                      << (count == 1 ? " occurrence" : " occurrences")
                      << ") is outside the contract of phase '" << phase
                      << "'; allowed dialects: " << allowedList;
    }
    signalPassFailure();
  }

  llvm::StringSet<> allowed;
};

} // namespace
