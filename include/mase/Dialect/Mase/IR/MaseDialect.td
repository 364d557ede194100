//===- MaseDialect.td - The mase dialect --------------------*- tablegen -*-===//
//
// The `mase` dialect: quantised number formats and graph-level operations
// named after MASE's operator vocabulary.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_DIALECT_MASE_IR_MASEDIALECT_TD
#define MASE_DIALECT_MASE_IR_MASEDIALECT_TD

include "mlir/IR/OpBase.td"

def Mase_Dialect : Dialect {
  let name = "mase";
  let summary = "Quantised tensors and graph operations for the mase compiler";
  let description = [{
    The `mase` dialect makes the number formats of the MASE framework
    (fixed point, minifloat, block floating point, MXINT, ...) first-class
    IR, and models neural-network graphs with operations named after MASE's
    operator vocabulary (`linear`, `matmul`, `softmax`, ...). Graph-level
    passes (quantisation, pruning, attention fusion) work on this dialect;
    it is lowered to `linalg` before code generation.
  }];
  let cppNamespace = "::mlir::mase";
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerTypes();
  }];
}

class Mase_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mase_Dialect, mnemonic, traits>;

#endif // MASE_DIALECT_MASE_IR_MASEDIALECT_TD
