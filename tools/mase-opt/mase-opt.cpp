//===- mase-opt.cpp - the mase optimizer driver ---------------------------===//
//
// mlir-opt for mase: parses, verifies, transforms and prints IR using the
// mase dialect, the upstream dialects mase uses, and their passes.
//
//===----------------------------------------------------------------------===//

#include "mase/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::mase::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::mase::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mase optimizer driver\n", registry));
}
