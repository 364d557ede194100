// Every config error names the key (by its dotted path) and, for per-layer
// problems, the layer.
//
// RUN: not mase-opt %s --mase-quantize 2>&1 | FileCheck %s --check-prefix=NOCONFIG
// NOCONFIG: error: mase-quantize needs exactly one of config=<file> and config-text=<TOML or JSON>
// RUN: not mase-opt %s --mase-quantize="config=%S/Inputs/quantize/missing.toml" 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: quantisation config: cannot open quantisation config '{{.*}}missing.toml'
// RUN: not mase-opt %s --mase-quantize="config=%S/Inputs/quantize/bad-syntax.toml" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: quantisation config: {{.*}}bad-syntax.toml: invalid TOML: line 3
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type",}' 2>&1 | FileCheck %s --check-prefix=JSON
// JSON: error: quantisation config: invalid JSON: {{.*}}
// RUN: not mase-opt %s --mase-quantize="config=%S/Inputs/quantize/no-quantize.toml" 2>&1 | FileCheck %s --check-prefix=NOPASS
// NOPASS: error: quantisation config: {{.*}}no-quantize.toml: passes.quantize: missing: the config has a [passes] table without a [passes.quantize] table
// RUN: not mase-opt %s --mase-quantize='config-text={"default": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=NOBY
// NOBY: error: quantisation config: by: missing (expected "type", "name" or "regex_name")
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "module"}' 2>&1 | FileCheck %s --check-prefix=BADBY
// BADBY: error: quantisation config: by: expected "type", "name" or "regex_name", got "module"
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "softmax": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=OPTYPE
// OPTYPE: error: quantisation config: softmax: 'softmax' is not an op type mase-quantize can quantise (supported: linear, matmul, bmm, add, sub, mul, relu, tanh, gelu, layer_norm, embedding)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "int8"}}}' 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: error: quantisation config: linear.config.name: 'int8' is not a MASE format (supported: integer, fixed, minifloat_denorm, minifloat_ieee, block_fp, mxint8)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "block_log"}}}' 2>&1 | FileCheck %s --check-prefix=NOTYET
// NOTYET: error: quantisation config: linear.config.name: 'block_log' is a MASE format mase-quantize does not support yet
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "data_in_exponent_width": 3}}}' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: quantisation config: linear.config.data_in_exponent_width: unknown key for format 'integer' (keys: name, bypass, floor, data_in_width, data_in_frac_width, weight_width, weight_frac_width, bias_width, bias_frac_width)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": "8", "data_in_frac_width": 4.5}}}' 2>&1 | FileCheck %s --check-prefix=TYPES
// TYPES: error: quantisation config: linear.config.data_in_width: expected an integer, got "8"
// TYPES: error: quantisation config: linear.config.data_in_frac_width: expected an integer, got a float
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "block_fp", "data_in_width": 8, "data_in_exponent_width": 8, "data_in_exponent_bias": true, "data_in_block_size": ["16"], "data_in_skip_first_dim": 1}}}' 2>&1 | FileCheck %s --check-prefix=TYPES2
// TYPES2: error: quantisation config: linear.config.data_in_exponent_bias: expected an integer or "None", got a boolean
// TYPES2: error: quantisation config: linear.config.data_in_block_size: expected an integer or a list of integers, got an array
// TYPES2: error: quantisation config: linear.config.data_in_skip_first_dim: expected a boolean, got an integer
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "bias_width": 8}}}' 2>&1 | FileCheck %s --check-prefix=PARTIAL
// PARTIAL: error: quantisation config: linear.config.bias_frac_width: missing: the bias keys of 'integer' must be given together
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_out_width": 8, "data_out_frac_width": 4}}}' 2>&1 | FileCheck %s --check-prefix=DATAOUT
// DATAOUT: error: quantisation config: linear.config.data_out_width: 'integer' has no data_out keys in MASE's quantize pass (only 'fixed' quantises data_out)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": 0, "data_in_frac_width": 4}}}' 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer"}, "report": true}}' 2>&1 | FileCheck %s --check-prefix=RULEKEY
// RULEKEY: error: quantisation config: linear.report: unknown key (a rule holds only 'config')
// RANGE: error: quantisation config: linear.config.data_in_*: integer width must be in [1, 32], got 0
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4}}}' 2>&1 | FileCheck %s --check-prefix=NOWEIGHT
// NOWEIGHT: error: layer 'encoder.fc1' (linear): linear.config.weight_width: missing (linear quantises its weight)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "integer", "data_in_width": 8, "data_in_frac_width": 4, "weight_width": 8, "weight_frac_width": 4}}}' 2>&1 | FileCheck %s --check-prefix=NOBIAS
// NOBIAS: error: layer 'encoder.fc1' (linear): linear.config.bias_width: missing (linear quantises its bias)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "layer_norm": {"config": {"name": "block_fp", "data_in_width": 8, "data_in_exponent_width": 8, "data_in_exponent_bias": 127, "data_in_block_size": 16}}}' 2>&1 | FileCheck %s --check-prefix=MATRIX
// MATRIX: error: layer 'encoder.norm' (layer_norm): layer_norm.config.name: layer_norm cannot take format 'block_fp' (it takes: integer)
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "name", "encoder.fc9": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: quantisation config: encoder.fc9: no quantisable layer is named 'encoder.fc9'
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "regex_name", "decoder\\..*": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=REGEX
// REGEX: error: quantisation config: decoder\..*: the pattern 'decoder\..*' matches no quantisable layer
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "regex_name", "enc(oder": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=BADREGEX
// BADREGEX: error: quantisation config: enc(oder: invalid regular expression: parentheses not balanced
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "regex_name", "encoder\\.(?P<n>.*)": {"config": {"name": "None"}}}' 2>&1 | FileCheck %s --check-prefix=PYREGEX
// PYREGEX: error: quantisation config: encoder\.(?P<n>.*): invalid regular expression: Python-only group syntax '(?' is not supported
// A 4-D activation cannot be blocked by a linear layer's block_fp (MASE
// raises too).
// RUN: not mase-opt %s --mase-quantize='config-text={"by": "type", "linear": {"config": {"name": "block_fp", "data_in_width": 8, "data_in_exponent_width": 8, "data_in_exponent_bias": 127, "data_in_block_size": 16, "weight_width": 8, "weight_exponent_width": 8, "weight_exponent_bias": 127, "weight_block_size": 16, "bias_width": 8, "bias_exponent_width": 8, "bias_exponent_bias": 127, "bias_block_size": 16}}}' 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: layer 'encoder.fc2' (linear), data_in: shape not supported by #mase.bfp<8, 8, bias = 127>: unsupported tensor rank for blocking: x.ndim = 4

func.func @model(%x: tensor<2x8xf32>, %x4: tensor<1x2x2x8xf32>) -> (tensor<2x8xf32>, tensor<1x2x2x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %b = arith.constant dense<0.5> : tensor<8xf32>
  %w2 = arith.constant dense<0.5> : tensor<4x8xf32>
  %h = mase.linear %x, %w, %b {mase.layer = "encoder.fc1"} : (tensor<2x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %n = mase.layer_norm %h {axis = -1 : i64, epsilon = 1.0e-5 : f32, mase.layer = "encoder.norm"} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = mase.linear %x4, %w2 {mase.layer = "encoder.fc2"} : (tensor<1x2x2x8xf32>, tensor<4x8xf32>) -> tensor<1x2x2x4xf32>
  return %n, %y : tensor<2x8xf32>, tensor<1x2x2x4xf32>
}
