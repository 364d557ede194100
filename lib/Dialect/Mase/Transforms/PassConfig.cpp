//===- PassConfig.cpp - config input and report output of graph passes ----===//

#include "PassConfig.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult mase::writePassReport(Location loc, StringRef pass,
                                    StringRef path,
                                    function_ref<void(raw_ostream &)> write,
                                    bool append) {
  if (append && path != "-") {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Append);
    if (ec)
      return emitError(loc) << pass << ": cannot write the report: "
                             << ec.message();
    write(os);
    return success();
  }
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return emitError(loc) << pass << ": cannot write the report: " << error;
  write(file->os());
  file->keep();
  return success();
}
