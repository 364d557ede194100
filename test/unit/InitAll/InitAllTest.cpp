//===- InitAllTest.cpp - tool registration --------------------------------===//
//
// Every mase tool registers through mase::registerAll*; these tests pin down
// that the dialects and passes pipelines depend on are really there.
//
//===----------------------------------------------------------------------===//

#include "mase/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassRegistry.h"

#include "gtest/gtest.h"

using namespace mlir;

TEST(InitAll, RegistersPipelineDialects) {
  DialectRegistry registry;
  mase::registerAllDialects(registry);
  MLIRContext context(registry);
  for (const char *name : {"mase", "func", "arith", "math", "tensor", "linalg",
                           "bufferization", "memref", "scf", "cf", "vector",
                           "llvm", "x86vector"})
    EXPECT_NE(context.getOrLoadDialect(name), nullptr) << name;
}

TEST(InitAll, RegistersMaseAndUpstreamPasses) {
  mase::registerAllPasses();
  for (const char *arg :
       {"mase-verify-contract", "mase-lower-to-linalg", "canonicalize", "cse",
        "one-shot-bufferize", "convert-linalg-to-loops", "convert-to-llvm",
        "linalg-fuse-elementwise-ops", "reconcile-unrealized-casts"})
    EXPECT_NE(PassInfo::lookup(arg), nullptr) << arg;
  EXPECT_EQ(PassInfo::lookup("mase-no-such-pass"), nullptr);
}
