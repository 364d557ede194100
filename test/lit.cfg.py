# -*- Python -*-
# lit configuration for the mase test suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MASE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "unit", "Inputs", "FakeDriver"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mase_obj_root, "test")

# FileCheck variables do not leak between CHECK-LABEL blocks.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

# MASE_VERIFY_ROUNDTRIP=1 makes every mase-opt RUN line also check that the
# printed IR parses back to the same IR (generic and custom forms, bytecode).
mase_opt_args = []
if os.environ.get("MASE_VERIFY_ROUNDTRIP", "0") not in ("", "0"):
    mase_opt_args.append("--verify-roundtrip")
    config.available_features.add("verify-roundtrip")

tool_dirs = [config.mase_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("mase-opt", extra_args=mase_opt_args, unresolved="fatal"),
    ToolSubst("mase-import-onnx", unresolved="fatal"),
    ToolSubst("mase-compile", unresolved="fatal"),
    ToolSubst("mase-run", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The interim CPU lowering (upstream passes, linalg on tensors -> LLVM dialect)
# shared with the demo until mase-cpu-pipeline exists.
with open(os.path.join(config.mase_src_root, "examples", "interim-cpu-pipeline.txt")) as f:
    config.substitutions.append(("%interim_cpu_pipeline", "'" + f.read().strip() + "'"))
config.substitutions.append(("%mase_examples", os.path.join(config.mase_src_root, "examples")))
config.substitutions.append(("%mase_models", os.path.join(config.mase_src_root, "models")))
# The project virtualenv's Python (numpy, onnx) for test-input generators.
config.substitutions.append(("%mase_python", config.python_executable))

llvm_config.add_tool_substitutions(
    [ToolSubst("mlir-runner", unresolved="fatal"), ToolSubst("mlir-translate", unresolved="fatal"),
     # LLVM 22's binutils, not whatever older llvm-nm is first on PATH.
     ToolSubst("llvm-nm", unresolved="fatal"), ToolSubst("llvm-readelf", unresolved="fatal")],
    [config.llvm_tools_dir])

# GPU code generation: the library phase needs the CUDA toolkit's ptxas and
# fatbinary (PTX alone needs nothing); running a GPU model needs the driver.
cuda_path = os.environ.get("MASE_CUDA_PATH", "/usr/local/cuda")
config.substitutions.append(("%cuda_path", cuda_path))
# A libcuda.so.1 over host memory (test/Target/CUDA/FakeDriver).
config.substitutions.append(("%fake_cuda_dir", os.path.join(config.mase_obj_root, "test", "fake-cuda")))
if os.path.exists(os.path.join(cuda_path, "bin", "ptxas")):
    config.available_features.add("cuda-toolkit")
try:
    import ctypes
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass
