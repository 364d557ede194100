// RUN: mase-opt %s --split-input-file --verify-diagnostics

// One case per error the graph ops' verifiers (and their ODS constraints)
// can report.

// Graph ops work on statically shaped tensors.
func.func @dynamic_shape(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or integer values, but got 'tensor<?x3xf32>'}}
  %0 = mase.add %a, %a : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of any type values, but got 'tensor<*xf32>'}}
  %0 = "mase.reshape"(%a) : (tensor<*xf32>) -> tensor<4xf32>
  return
}

// -----

// Elementwise binary ops.
func.func @binary_rhs_element_type(%a: tensor<2x3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{rhs element type 'i32' does not match lhs element type 'f32'}}
  %0 = mase.add %a, %b : (tensor<2x3xf32>, tensor<3xi32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_result_element_type(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result element type 'f16' does not match lhs element type 'f32'}}
  %0 = mase.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf16>
  return
}

// -----

func.func @binary_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: lhs [2, 3], rhs [4]}}
  %0 = mase.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result shape [2, 1] does not match the broadcast shape of the operands [2, 3]}}
  %0 = mase.max %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// The result must not broadcast further than the operands.
func.func @binary_result_rank(%a: tensor<3xi32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{result shape [1, 3] does not match the broadcast shape of the operands [3]}}
  %0 = mase.div %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<1x3xi32>
  return
}

// -----

func.func @binary_index_not_numeric(%a: tensor<3xindex>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or integer values, but got 'tensor<3xindex>'}}
  %0 = mase.pow %a, %a : (tensor<3xindex>, tensor<3xindex>) -> tensor<3xindex>
  return
}

// -----

func.func @comparison_operand_element_types(%a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+1 {{rhs element type 'f16' does not match lhs element type 'f32'}}
  %0 = mase.less %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xi1>
  return
}

// -----

func.func @comparison_result_not_i1(%a: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = mase.greater %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @comparison_not_broadcastable(%a: tensor<2xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: lhs [2], rhs [3]}}
  %0 = mase.equal %a, %b : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @comparison_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result shape [3] does not match the broadcast shape of the operands [2, 3]}}
  %0 = mase.less_equal %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @logical_not_i1(%a: tensor<4xi8>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = mase.and %a, %a : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi1>
  return
}

// -----

func.func @logical_not_broadcastable(%a: tensor<4xi1>, %b: tensor<2xi1>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: lhs [4], rhs [2]}}
  %0 = mase.or %a, %b : (tensor<4xi1>, tensor<2xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @logical_result_shape(%a: tensor<4xi1>) {
  // expected-error @+1 {{result shape [1] does not match the broadcast shape of the operands [4]}}
  %0 = mase.or %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<1xi1>
  return
}

// -----

// where.
func.func @where_condition_not_i1(%c: tensor<3xf32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = mase.where %c, %a, %a : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_value_element_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{false_value element type 'i32' does not match true_value element type 'f32'}}
  %0 = mase.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_result_element_type(%c: tensor<3xi1>, %a: tensor<3xf32>) {
  // expected-error @+1 {{result element type 'i1' does not match true_value element type 'f32'}}
  %0 = mase.where %c, %a, %a : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @where_not_broadcastable(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<4x1xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: condition [2, 1], true_value [3], false_value [4, 1]}}
  %0 = mase.where %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @where_result_shape(%c: tensor<2x1xi1>, %a: tensor<3xf32>) {
  // expected-error @+1 {{result shape [3] does not match the broadcast shape of the operands [2, 3]}}
  %0 = mase.where %c, %a, %a : (tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Elementwise unary ops.
func.func @unary_result_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "mase.relu"(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @unary_float_only(%a: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = mase.exp %a : tensor<4xi32>
  return
}

// -----

func.func @not_i1_only(%a: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mase.not %a : tensor<4xf32>
  return
}

// -----

func.func @gelu_unknown_approximation(%a: tensor<4xf32>) {
  // expected-error @+1 {{approximate must be "none" or "tanh", got "erf"}}
  %0 = mase.gelu %a {approximate = "erf"} : tensor<4xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = mase.cast %a : tensor<2x3xf32> to tensor<3x2xi32>
  return
}

// -----

// softmax.
func.func @softmax_axis_too_large(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.softmax %a {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_axis_too_small(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -3 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.softmax %a {axis = -3 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_missing_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires attribute 'axis'}}
  %0 = "mase.softmax"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// layer_norm.
func.func @layer_norm_axis(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{axis 2 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.layer_norm %a {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_weight_element_type(%a: tensor<2x8xf32>, %w: tensor<8xf16>) {
  // expected-error @+1 {{weight element type 'f16' does not match input element type 'f32'}}
  %0 = mase.layer_norm %a weight(%w) {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<8xf16>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias_element_type(%a: tensor<2x8xf32>, %b: tensor<8xbf16>) {
  // expected-error @+1 {{bias element type 'bf16' does not match input element type 'f32'}}
  %0 = mase.layer_norm %a bias(%b) {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<8xbf16>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_result_element_type(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{result element type 'f16' does not match input element type 'f32'}}
  %0 = mase.layer_norm %a {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf16>
  return
}

// -----

func.func @layer_norm_weight_shape(%a: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{weight shape [8] does not match the normalized shape [2, 8] (input dimensions from axis 0)}}
  %0 = mase.layer_norm %a weight(%w) {axis = 0 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias_shape(%a: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<1x8xf32>) {
  // expected-error @+1 {{bias shape [1, 8] does not match the normalized shape [8] (input dimensions from axis 1)}}
  %0 = mase.layer_norm %a weight(%w) bias(%b) {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_result_shape(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{result shape [8] does not match the input shape [2, 8]}}
  %0 = mase.layer_norm %a {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>) -> tensor<8xf32>
  return
}

// -----

// Which optional operands are present is recorded in operandSegmentSizes.
func.func @layer_norm_segments(%a: tensor<2x8xf32>) {
  // expected-error @+1 {{operand count (1) does not match with the total size (0) specified in attribute 'operandSegmentSizes'}}
  %0 = "mase.layer_norm"(%a) {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// linear.
func.func @linear_input_scalar(%x: tensor<f32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{input must have rank >= 1 ([..., in_features])}}
  %0 = mase.linear %x, %w : (tensor<f32>, tensor<4x8xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{weight must have rank 2 ([out_features, in_features]), got shape [8]}}
  %0 = mase.linear %x, %w : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2xf32>
  return
}

// -----

// The weight is [out_features, in_features], not [in, out].
func.func @linear_in_features(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{input in_features 8 (last dimension) does not match weight in_features 4 (shape [8, 4])}}
  %0 = mase.linear %x, %w : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_bias_shape(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{bias shape [8] does not match [out_features] = [4]}}
  %0 = mase.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_element_type(%x: tensor<2x8xf32>, %w: tensor<4x8xi8>) {
  // expected-error @+1 {{weight element type 'i8' does not match input element type 'f32'}}
  %0 = mase.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xi8>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_result_shape(%x: tensor<3x2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape [2, 4] does not match the expected shape [3, 2, 4]}}
  %0 = mase.linear %x, %w : (tensor<3x2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return
}

// -----

// matmul.
func.func @matmul_scalar_operand(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operands must have rank >= 1, got shapes [] and [4]}}
  %0 = mase.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @matmul_element_type(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{result element type 'i32' does not match lhs element type 'f32'}}
  %0 = mase.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+1 {{contraction dimensions differ: lhs [3, 4] has 4 columns, rhs [5, 4] has 5 rows}}
  %0 = mase.matmul %a, %b : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{batch dimensions [2] and [3] are not broadcast-compatible}}
  %0 = mase.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

// A 1-D operand's dimension is dropped from the result.
func.func @matmul_result_shape(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{result shape [1, 5] does not match the expected shape [5]}}
  %0 = mase.matmul %a, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<1x5xf32>
  return
}

// -----

// embedding.
func.func @embedding_table_rank(%i: tensor<2xi64>, %t: tensor<100xf32>) {
  // expected-error @+1 {{table must have rank 2 ([num_embeddings, embedding_dim]), got shape [100]}}
  %0 = mase.embedding %i, %t : (tensor<2xi64>, tensor<100xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @embedding_float_indices(%i: tensor<2xf32>, %t: tensor<100x16xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of integer values, but got 'tensor<2xf32>'}}
  %0 = mase.embedding %i, %t : (tensor<2xf32>, tensor<100x16xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @embedding_element_type(%i: tensor<2xi64>, %t: tensor<100x16xf32>) {
  // expected-error @+1 {{result element type 'i64' does not match table element type 'f32'}}
  %0 = mase.embedding %i, %t : (tensor<2xi64>, tensor<100x16xf32>) -> tensor<2x16xi64>
  return
}

// -----

func.func @embedding_result_shape(%i: tensor<2x5xi64>, %t: tensor<100x16xf32>) {
  // expected-error @+1 {{result shape [2, 5, 100] does not match the expected shape [2, 5, 16]}}
  %0 = mase.embedding %i, %t : (tensor<2x5xi64>, tensor<100x16xf32>) -> tensor<2x5x100xf32>
  return
}

// -----

// gather.
func.func @gather_axis(%x: tensor<3x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{axis -3 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.gather %x, %i {axis = -3 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_element_type(%x: tensor<3x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{result element type 'i64' does not match input element type 'f32'}}
  %0 = mase.gather %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xi64>
  return
}

// -----

func.func @gather_result_shape(%x: tensor<3x4x5xf32>, %i: tensor<2x6xi64>) {
  // expected-error @+1 {{result shape [3, 2, 5] does not match the expected shape [3, 2, 6, 5]}}
  %0 = mase.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2x6xi64>) -> tensor<3x2x5xf32>
  return
}

// -----

// reshape.
func.func @reshape_element_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{input has 6 elements but the result has 7}}
  %0 = mase.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result element type 'i32' does not match input element type 'f32'}}
  %0 = mase.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

// transpose.
func.func @transpose_permutation_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation has 3 entries but the input has rank 2}}
  %0 = mase.transpose %x {permutation = array<i64: 1, 0, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_repeated_dimension(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [1, 1] is not a permutation of [0, 2)}}
  %0 = mase.transpose %x {permutation = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @transpose_dimension_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [-1, 0] is not a permutation of [0, 2)}}
  %0 = mase.transpose %x {permutation = array<i64: -1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result element type 'f16' does not match input element type 'f32'}}
  %0 = mase.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf16>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{result shape [3, 4, 2] does not match the expected shape [4, 2, 3]}}
  %0 = mase.transpose %x {permutation = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  return
}

// -----

// concat.
func.func @concat_no_inputs() {
  // expected-error @+1 {{requires at least one input}}
  %0 = "mase.concat"() {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error @+1 {{input 1 element type 'i32' does not match input 0 element type 'f32'}}
  %0 = mase.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_result_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result element type 'f64' does not match input 0 element type 'f32'}}
  %0 = mase.concat %a {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf64>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @+1 {{input 1 shape [2, 3, 1] does not match input 0 shape [2, 3] outside axis 1}}
  %0 = mase.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_other_dimension(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{input 2 shape [4, 3] does not match input 0 shape [2, 3] outside axis 1}}
  %0 = mase.concat %a, %b, %c {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x9xf32>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) {
  // expected-error @+1 {{result shape [2, 3] does not match the expected shape [2, 8]}}
  %0 = mase.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x3xf32>
  return
}

// -----

// slice.
func.func @slice_starts_length(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{starts has 1 entries but the input has rank 2 (one entry per dimension)}}
  %0 = mase.slice %x {starts = array<i64: 0>, ends = array<i64: 4, 8>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_ends_length(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{ends has 3 entries but the input has rank 2 (one entry per dimension)}}
  %0 = mase.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8, 1>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_steps_length(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{steps has 0 entries but the input has rank 2 (one entry per dimension)}}
  %0 = mase.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8>, steps = array<i64>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_element_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{result element type 'f16' does not match input element type 'f32'}}
  %0 = mase.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{steps[1] must be non-zero}}
  %0 = mase.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8>, steps = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

// Starts and ends are normalised: no negative indices counting from the end.
func.func @slice_negative_start(%x: tensor<4xf32>) {
  // expected-error @+1 {{starts[0] = -2 is out of the normalised range [0, 4] for dimension 0 of size 4 with step 1}}
  %0 = mase.slice %x {starts = array<i64: -2>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<2xf32>
  return
}

// -----

// Not clamped to the dimension.
func.func @slice_end_past_dimension(%x: tensor<4xf32>) {
  // expected-error @+1 {{ends[0] = 9 is out of the normalised range [0, 4] for dimension 0 of size 4 with step 1}}
  %0 = mase.slice %x {starts = array<i64: 0>, ends = array<i64: 9>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// Going backwards, the start is at most size - 1.
func.func @slice_backward_start(%x: tensor<4xf32>) {
  // expected-error @+1 {{starts[0] = 4 is out of the normalised range [-1, 3] for dimension 0 of size 4 with step -1}}
  %0 = mase.slice %x {starts = array<i64: 4>, ends = array<i64: -1>, steps = array<i64: -1>} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @slice_result_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape [2, 2] does not match the expected shape [2, 3]}}
  %0 = mase.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 4, 8>, steps = array<i64: 2, 3>} : tensor<4x8xf32> -> tensor<2x2xf32>
  return
}

// -----

// expand.
func.func @expand_element_type(%x: tensor<3x1xf32>) {
  // expected-error @+1 {{result element type 'i32' does not match input element type 'f32'}}
  %0 = mase.expand %x : tensor<3x1xf32> -> tensor<3x4xi32>
  return
}

// -----

func.func @expand_incompatible(%x: tensor<3x1xf32>) {
  // expected-error @+1 {{input shape [3, 1] cannot be broadcast to the result shape [2, 4]}}
  %0 = mase.expand %x : tensor<3x1xf32> -> tensor<2x4xf32>
  return
}

// -----

// The result shape is the full broadcast, never smaller than the input.
func.func @expand_result_too_small(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{input shape [3, 4] cannot be broadcast to the result shape [1, 4]}}
  %0 = mase.expand %x : tensor<3x4xf32> -> tensor<1x4xf32>
  return
}

// -----

// Reductions.
func.func @reduce_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axes entry 2 is out of range [-2, 2) for an operand of rank 2}}
  %0 = mase.reduce_mean %x {axes = array<i64: 2>, keepdims = true} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_twice(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axes reduce dimension 1 twice}}
  %0 = mase.reduce_sum %x {axes = array<i64: 1, -1>, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result element type 'f16' does not match input element type 'f32'}}
  %0 = mase.reduce_max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf16>
  return
}

// -----

func.func @reduce_keepdims_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2] does not match the expected shape [2, 1]}}
  %0 = mase.reduce_mean %x {axes = array<i64: 1>, keepdims = true} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [1, 3] does not match the expected shape [3]}}
  %0 = mase.reduce_sum %x {axes = array<i64: 0>, keepdims = false} : tensor<2x3xf32> -> tensor<1x3xf32>
  return
}

// -----

// Convolution and pooling.
func.func @conv_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{input must have rank 4 ([N, C, H, W]), got shape [3, 8, 8]}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{weight must have rank 4 ([F, C / groups, KH, KW]), got shape [4, 3, 3]}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+1 {{input channels 4, weight shape [6, 2, 3, 3] and groups 4 do not match}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           dilation = array<i64: 1, 1>, groups = 4 : i64}
         : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias shape [3] does not match [F] = [4]}}
  %0 = mase.conv2d %x, %w, %b {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                               dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_padding_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{padding must have 4 entries, got 2}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 1, 1>,
                           dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{stride [0, 1] must be >= 1}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 0, 1>, padding = array<i64: 0, 0, 0, 0>,
                           dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected shape [1, 4, 6, 6]}}
  %0 = mase.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           dilation = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x3x2x2xf32>) {
  // expected-error @+1 {{window [3, 3] with dilation [1, 1] does not fit the padded input of shape [1, 3, 2, 2]}}
  %0 = mase.max_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = false} : tensor<1x3x2x2xf32> -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @pool_ceil_result_shape(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+1 {{result shape [1, 3, 2, 2] does not match the expected shape [1, 3, 3, 3]}}
  %0 = mase.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = true, count_include_pad = true}
         : tensor<1x3x5x5xf32> -> tensor<1x3x2x2xf32>
  return
}

// -----

func.func @avg_pool_integer(%x: tensor<1x3x4x4xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<1x3x4x4xi32>'}}
  %0 = mase.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                           padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>,
                           ceil_mode = false, count_include_pad = true}
         : tensor<1x3x4x4xi32> -> tensor<1x3x2x2xi32>
  return
}

// -----

func.func @prune_activation_sparsity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mase.prune_activation' op sparsity must be in [0, 1], got 1.5}}
  %0 = mase.prune_activation %x {sparsity = 1.5 : f32} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
