//===- PassConfig.cpp - config input and report output of graph passes ----===//

#include "PassConfig.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

LogicalResult mase::writePassReport(Location loc, StringRef pass,
                                    StringRef path,
                                    function_ref<void(raw_ostream &)> write) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return emitError(loc) << pass << ": cannot write the report: " << error;
  write(file->os());
  file->keep();
  return success();
}
