//===- MaseOps.td - mase dialect operations ----------------*- tablegen -*-===//

#ifndef MASE_DIALECT_MASE_IR_MASEOPS_TD
#define MASE_DIALECT_MASE_IR_MASEOPS_TD

include "mase/Dialect/Mase/IR/MaseDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

#endif // MASE_DIALECT_MASE_IR_MASEOPS_TD
