//===- Passes.td - dialect-independent mase passes ---------*- tablegen -*-===//

#ifndef MASE_TRANSFORMS_PASSES_TD
#define MASE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def VerifyContractPass : Pass<"mase-verify-contract", "ModuleOp"> {
  let summary = "Check that only the dialects allowed at the end of a phase remain";
  let description = [{
    Closes a phase of a pipeline: fails, with one error per offending
    operation name (at its first location, with its count), when the module
    holds an operation from a dialect outside `allowed-dialects`. The
    `builtin` dialect is always allowed. Pipelines run it after each phase so
    that anything left unlowered is reported where it happens instead of
    surfacing as an obscure failure later.

    Example: a kernel-phase contract that does not admit `math`,

    ```mlir
    func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
      %0 = math.exp %a : tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```

    run with `mase-verify-contract{phase=kernel allowed-dialects=func,linalg,tensor,arith}`
    reports

    ```
    error: 'math.exp' (1 occurrence) is outside the contract of phase
           'kernel'; allowed dialects: arith, builtin, func, linalg, tensor
    ```

    and leaves the IR unchanged when every operation is allowed.
  }];
  let options = [
    ListOption<"allowedDialects", "allowed-dialects", "std::string",
               "Dialect namespaces allowed to remain (builtin is implied)">,
    Option<"phase", "phase", "std::string", /*default=*/"\"unnamed\"",
           "Name of the phase this contract closes, used in diagnostics">,
  ];
}

#endif // MASE_TRANSFORMS_PASSES_TD
