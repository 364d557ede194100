//===- mase-import-onnx.cpp - ONNX to mase graph IR -----------------------===//
//
// mase-import-onnx MODEL.onnx [--shape NAME=DIMS ...]
//                  [--freeze-input NAME=FILE.pb ...] [-o OUT.mlir]
//
//===----------------------------------------------------------------------===//

#include "mase/Import/ONNX/Importer.h"
#include "mase/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"));
static cl::opt<bool>
    printSupportedOps("print-supported-ops",
                      cl::desc("Print the table of supported ONNX ops (markdown) "
                               "and exit"));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("filename"),
                                       cl::init("-"));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode, not text"));
static cl::list<std::string>
    shapes("shape",
           cl::desc("Static shape of a graph input, NAME=DIMS (e.g. "
                    "input_ids=1x128); repeatable"),
           cl::value_desc("NAME=DIMS"));
static cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Make a graph input a constant read from a serialized ONNX "
             "TensorProto, NAME=FILE.pb (for inputs that feed shapes); "
             "repeatable"),
    cl::value_desc("NAME=FILE.pb"));

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mase ONNX importer\n");

  if (printSupportedOps) {
    outs() << mase::onnx_import::supportedOpsTable();
    return 0;
  }
  if (inputFile.empty()) {
    errs() << "mase-import-onnx: no model given (see --help)\n";
    return 1;
  }

  mase::onnx_import::ImportOptions options;
  for (const std::string &shape : shapes)
    if (std::string error = mase::onnx_import::parseShapeOption(shape, options);
        !error.empty()) {
      errs() << "mase-import-onnx: " << error << "\n";
      return 1;
    }
  for (const std::string &frozen : frozenInputs)
    if (std::string error =
            mase::onnx_import::parseFreezeOption(frozen, options);
        !error.empty()) {
      errs() << "mase-import-onnx: " << error << "\n";
      return 1;
    }

  mlir::DialectRegistry registry;
  mlir::mase::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mase::onnx_import::importModel(inputFile, options, &context);
  if (!module)
    return 1;

  std::string error;
  std::unique_ptr<ToolOutputFile> output =
      mlir::openOutputFile(outputFile, &error);
  if (!output) {
    errs() << "mase-import-onnx: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (mlir::failed(mlir::writeBytecodeToFile(*module, output->os()))) {
      errs() << "mase-import-onnx: cannot write bytecode\n";
      return 1;
    }
  } else {
    module->print(output->os());
  }
  output->keep();
  return 0;
}
