// RUN: mase-opt %s --split-input-file --mase-lower-to-linalg | FileCheck %s

// Run-time activation codes: x * 2^4 rounded half-even, clamped to
// [-128, 127], converted to i8 in one generic.
// CHECK-LABEL: func.func @codes
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: -> tensor<2x8xi8>
// CHECK-NOT: mase.
func.func @codes(%x: tensor<2x8xf32>) -> tensor<2x8xi8> {
  %c = mase.int_codes %x : tensor<2x8xf32> -> tensor<2x8xi8> in #mase.int<8, 4>
  return %c : tensor<2x8xi8>
}

// -----

// Both operands integer, a constant weight: its codes packed for
// mase_qgemm at compile time (2 x 2 padded to 16 features by 4: 64 bytes,
// W[j][q] at j * 4 + q), the result computed into a fresh buffer by one call
// (rows 3, features 2, depth 2, block = depth, int8 codes, 8-bit weights,
// no exponents, scale 2^-(4+7), the bias added by the kernel).
// CHECK-LABEL: func.func @int_by_int
// CHECK-DAG: %[[PACKED:.*]] = arith.constant dense<[1, 2, 0, 0, 3, 4, 0, 0, 0, {{.*}}]> : tensor<64xi8>
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x2xf32>
// CHECK-DAG: %[[X:.*]] = bufferization.to_buffer %arg0 read_only : tensor<3x2xi8> to memref<3x2xi8>
// CHECK-DAG: %[[W:.*]] = bufferization.to_buffer %[[PACKED]] read_only : tensor<64xi8> to memref<64xi8>
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 4.8828125E-4 : f32
// CHECK-DAG: %[[CODES:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[NONE:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[BITS:.*]] = arith.constant 8 : i32
// CHECK-DAG: %[[BIAS:.*]] = bufferization.to_buffer %arg1 read_only : tensor<2xf32> to memref<2xf32>
// CHECK-DAG: %[[BIASPTR:.*]] = memref.extract_aligned_pointer_as_index %[[BIAS]]
// CHECK-DAG: %[[BIASADDR:.*]] = arith.index_cast %[[BIASPTR]] : index to i64
// CHECK: call @mase_qgemm(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[CODES]], %{{.*}}, %[[BITS]], %[[NONE]], %[[SCALE]], %[[BIASADDR]], %{{.*}}) : (i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64) -> ()
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable : memref<3x2xf32> to tensor<3x2xf32>
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.matmul
// CHECK-NOT: mase.
module {
  func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
  func.func @int_by_int(%x: tensor<3x2xi8>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
    %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
    %y = mase.int_linear %x, %w, %b {input_format = #mase.int<8, 4>, weight_format = #mase.int<8, 7>}
        : (tensor<3x2xi8>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<3x2xf32>
    return %y : tensor<3x2xf32>
  }
}

// -----

// 4-bit weight codes are packed as 4 bit planes of 8 bytes: bit t of
// plane b is bit b of code t of the 64-byte layout (1, 2, 3 and -4 = 0b1100
// at t = 0, 1, 4 and 5: planes 0x11, 0x12, 0x20 and 0x20); the call says 4
// bits.
// CHECK-LABEL: func.func @int4_weights
// CHECK-DAG: %[[PACKED:.*]] = arith.constant dense<[17, 0, 0, 0, 0, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0]> : tensor<32xi8>
// CHECK-DAG: %[[W:.*]] = bufferization.to_buffer %[[PACKED]] read_only : tensor<32xi8> to memref<32xi8>
// CHECK-DAG: %[[BITS:.*]] = arith.constant 4 : i32
// CHECK: call @mase_qgemm(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BITS]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
module {
  func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
  func.func @int4_weights(%x: tensor<3x2xi8>) -> tensor<3x2xf32> {
    %w = arith.constant dense<[[1, 2], [3, -4]]> : tensor<2x2xi8>
    %y = mase.int_linear %x, %w {input_format = #mase.int<8, 4>, weight_format = #mase.int<4, 3>}
        : (tensor<3x2xi8>, tensor<2x2xi8>) -> tensor<3x2xf32>
    return %y : tensor<3x2xf32>
  }
}

// -----

// Both operands integer, a weight known only at run time: the weight
// transposed, an i8 x i8 -> i32 matmul, then sitofp, one scale 2^-(4+7) and
// the bias.
// CHECK-LABEL: func.func @int_by_int_runtime_weight
// CHECK: %[[WT:.*]] = linalg.transpose ins(%arg1 : tensor<2x2xi8>)
// CHECK: %[[SUM:.*]] = linalg.matmul ins(%arg0, %[[WT]] : tensor<3x2xi8>, tensor<2x2xi8>) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<3x2xi32>)
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf
// CHECK-NOT: call
func.func @int_by_int_runtime_weight(%x: tensor<3x2xi8>, %w: tensor<2x2xi8>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %y = mase.int_linear %x, %w, %b {input_format = #mase.int<8, 4>, weight_format = #mase.int<8, 7>}
      : (tensor<3x2xi8>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Block mantissas: the float input read in place (kind 1: re-expressed in
// blocks of 4 by the kernel), the packed mantissas and the exponent bytes
// as they are, scale 1, no bias; leading dimensions collapse to rows and
// back.
// CHECK-LABEL: func.func @block
// CHECK-DAG: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
// CHECK-DAG: bufferization.to_buffer %[[X]] read_only : tensor<6x8xf32> to memref<6x8xf32>
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<128xi8> to memref<128xi8>
// CHECK-DAG: bufferization.to_buffer %arg1 read_only : tensor<2x2xi8> to memref<2x2xi8>
// CHECK-DAG: %[[FLOATS:.*]] = arith.constant 1 : i32
// CHECK-DAG: %[[BLOCK:.*]] = arith.constant 4 : i64
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[NOBIAS:.*]] = arith.constant 0 : i64
// CHECK: call @mase_qgemm(%{{.*}}, %{{.*}}, %{{.*}}, %[[BLOCK]], %{{.*}}, %[[FLOATS]], %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]], %[[NOBIAS]], %{{.*}})
// CHECK: bufferization.to_tensor
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [2, 3, 2]
// CHECK-NOT: mase.
module {
  func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
  func.func @block(%x: tensor<2x3x8xf32>, %e: tensor<2x2xi8>) -> tensor<2x3x2xf32> {
    %w = arith.constant dense<3> : tensor<2x8xi8>
    %y = mase.block_linear %x, %w, %e {block = 4}
        : (tensor<2x3x8xf32>, tensor<2x8xi8>, tensor<2x2xi8>) -> tensor<2x3x2xf32>
    return %y : tensor<2x3x2xf32>
  }
}

// -----

// float_input: no call; one contraction over (row, out, block, element)
// reads the float rows and the i8 mantissas (both split into blocks of 4)
// and the exponent byte of (out, block), and dequantises each mantissa in
// its body: m * 2^-6 * 2^(e - 127), 2^(e - 127) from its bits (e << 23;
// 0x400000 for e = 0, a quiet NaN for e = 255). Then the bias.
// CHECK: #map{{[0-9]*}} = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func.func @block_float_input
// CHECK-NOT: call
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
// CHECK: %[[X:.*]] = tensor.expand_shape %[[ROWS]] {{\[}}[0], [1, 2]] output_shape [6, 2, 4]
// CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [2, 2, 4] : tensor<2x8xi8> into tensor<2x2x4xi8>
// CHECK: %[[Y:.*]] = linalg.generic {{{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[W]], %arg1 : tensor<6x2x4xf32>, tensor<2x2x4xi8>, tensor<2x2xi8>)
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[M:.*]]: i8, %[[E:.*]]: i8, %[[ACC:.*]]: f32):
// CHECK-DAG: %[[EXT:.*]] = arith.extui %[[E]] : i8 to i32
// CHECK-DAG: %[[SHL:.*]] = arith.shli %[[EXT]], %{{.*}} : i32
// CHECK-DAG: arith.constant 4194304 : i32
// CHECK-DAG: arith.constant 2143289344 : i32
// CHECK: %[[SCALE:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: %[[MF:.*]] = arith.sitofp %[[M]] : i8 to f32
// CHECK: %[[FRAC:.*]] = arith.mulf %[[MF]], %{{.*}} : f32
// CHECK: %[[WV:.*]] = arith.mulf %[[FRAC]], %[[SCALE]] : f32
// CHECK: %[[P:.*]] = arith.mulf %[[XV]], %[[WV]] : f32
// CHECK: arith.addf %[[ACC]], %[[P]] : f32
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %arg2 : tensor<6x2xf32>, tensor<2xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [2, 3, 2]
// CHECK-NOT: mase.
func.func @block_float_input(%x: tensor<2x3x8xf32>, %e: tensor<2x2xi8>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<3> : tensor<2x8xi8>
  %y = mase.block_linear %x, %w, %e, %b {block = 4, float_input}
      : (tensor<2x3x8xf32>, tensor<2x8xi8>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// A float input where the module declares mase_int_weight_gemm (the CPU):
// one call on the rows, the weight packed at its width (6 bits: 6 planes
// of 8 bytes), the start values bias * 2^5 and the scale 2^-5.
// CHECK-LABEL: func.func @float_by_int_kernel
// CHECK-DAG: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x2xf32> into tensor<6x2xf32>
// CHECK-DAG: %[[START:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<2xf32>)
// CHECK-DAG: arith.constant 3.200000e+01 : f32
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<48xi8> to memref<48xi8>
// CHECK-DAG: %[[BITS:.*]] = arith.constant 6 : i32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 3.125000e-02 : f32
// CHECK: call @mase_int_weight_gemm(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BITS]], %{{.*}}, %[[SCALE]], %{{.*}}) : (i64, i64, i64, i64, i64, i32, i64, f32, i64) -> ()
// CHECK: tensor.expand_shape
// CHECK-NOT: linalg.matmul
// CHECK-NOT: mase.
module {
  func.func private @mase_int_weight_gemm(i64, i64, i64, i64, i64, i32, i64, f32, i64)
  func.func @float_by_int_kernel(%x: tensor<2x3x2xf32>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
    %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
    %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<6, 5>}
        : (tensor<2x3x2xf32>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x3x2xf32>
    return %y : tensor<2x3x2xf32>
  }
}

// -----

// A float input elsewhere (the GPU): the matmul reads the i8 weight and
// converts it in its body (sitofp), into an accumulator of bias * 2^7; the
// sums are scaled by 2^-7. The leading dimensions collapse to rows and
// expand back.
// CHECK-LABEL: func.func @float_by_int
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x2xf32> into tensor<6x2xf32>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[SUM:.*]] = linalg.matmul ins(%[[X]], %{{.*}} : tensor<6x2xf32>, tensor<2x2xi8>) outs(%[[ACC]] : tensor<6x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<6x2xf32>)
// CHECK: tensor.expand_shape
// CHECK-NOT: mase.
func.func @float_by_int(%x: tensor<2x3x2xf32>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<8, 7>}
      : (tensor<2x3x2xf32>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// The same with 4-bit codes: stored two a byte (1 and -2 make 0xE1 = -31,
// 3 and -4 make 0xC3 = -61), read by a contraction over (row, out, group,
// code) that shifts code j of the group to the top of a word and back.
// CHECK-LABEL: func.func @float_by_int4
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[-31], [-61]]> : tensor<2x1xi8>
// CHECK-DAG: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [6, 1, 2] : tensor<6x2xf32> into tensor<6x1x2xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %[[W]] : tensor<6x1x2xf32>, tensor<2x1xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.index 3
// CHECK: arith.shli
// CHECK: arith.shrsi
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK-NOT: linalg.matmul
// CHECK-NOT: mase.
func.func @float_by_int4(%x: tensor<2x3x2xf32>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1, -2], [3, -4]]> : tensor<2x2xi8>
  %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<4, 3>}
      : (tensor<2x3x2xf32>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// 3-bit codes: eight fill three bytes (a code may straddle two), stored as
// three planes of one byte a group (row 0: 1, -2, 3, -4, 0, 2, -1, 1 make
// the bytes -15, 8, 61). The body joins the group's bytes into a word.
// CHECK-LABEL: func.func @float_by_int3
// CHECK-DAG: %[[P0:.*]] = arith.constant dense<{{\[}}[-15], [69]]> : tensor<2x1xi8>
// CHECK-DAG: %[[P1:.*]] = arith.constant dense<{{\[}}[8], [52]]> : tensor<2x1xi8>
// CHECK-DAG: %[[P2:.*]] = arith.constant dense<{{\[}}[61], [-6]]> : tensor<2x1xi8>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[P0]], %[[P1]], %[[P2]] : tensor<6x1x8xf32>, tensor<2x1xi8>, tensor<2x1xi8>, tensor<2x1xi8>)
// CHECK-COUNT-2: arith.ori
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK-NOT: linalg.matmul
func.func @float_by_int3(%x: tensor<2x3x8xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1, -2, 3, -4, 0, 2, -1, 1], [-3, 0, 1, 2, 3, -4, -2, -1]]> : tensor<2x8xi8>
  %y = mase.int_linear %x, %w {weight_format = #mase.int<3, 1>}
      : (tensor<2x3x8xf32>, tensor<2x8xi8>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// Rows that are not whole groups of bytes (3 codes of 3 bits) keep one code
// a byte.
// CHECK-LABEL: func.func @float_by_int3_ragged
// CHECK: linalg.matmul
func.func @float_by_int3_ragged(%x: tensor<2x3x3xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi8>
  %y = mase.int_linear %x, %w {weight_format = #mase.int<3, 1>}
      : (tensor<2x3x3xf32>, tensor<2x3xi8>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// Compressed rows: the input and the three arrays read in place by one call
// (rows 2, features 3, depth 4), into a fresh buffer; then the bias.
// CHECK-LABEL: func.func @sparse
// CHECK-DAG: bufferization.to_buffer %arg0 read_only : tensor<2x4xf32> to memref<2x4xf32>
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<4xi32> to memref<4xi32>
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<2xi16> to memref<2xi16>
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<2xf32> to memref<2xf32>
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x3xf32>
// CHECK: call @mase_sparse_gemm({{.*}}) : (i64, i64, i64, i64, i64, i64, i64, i64) -> ()
// CHECK: %[[Y:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<2x3xf32> to tensor<2x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %arg1 : tensor<2x3xf32>, tensor<3xf32>)
// CHECK-NOT: mase.
module {
  func.func private @mase_sparse_gemm(i64, i64, i64, i64, i64, i64, i64, i64)
  func.func @sparse(%x: tensor<2x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
    %o = arith.constant dense<[0, 1, 1, 2]> : tensor<4xi32>
    %c = arith.constant dense<[3, 0]> : tensor<2xi16>
    %v = arith.constant dense<[2.0, -1.0]> : tensor<2xf32>
    %y = mase.sparse_linear %x, %o, %c, %v, %b
        : (tensor<2x4xf32>, tensor<4xi32>, tensor<2xi16>, tensor<2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return %y : tensor<2x3xf32>
  }
}

// -----

// An MXINT8 table: one gather whose body reads the row's mantissa at
// (id, d) and its scale byte at (id, d / 32), wrapping a negative id.
// CHECK-LABEL: func.func @block_embedding
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3x64xf32>)
// CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[I:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[ROW:.*]] = arith.select %{{.*}}, %{{.*}}, %[[I]] : index
// CHECK: %[[D:.*]] = linalg.index 2 : index
// CHECK: %[[BLOCK:.*]] = arith.divui %[[D]], %c32 : index
// CHECK: %[[M:.*]] = tensor.extract %arg1[%[[ROW]], %[[D]]] : tensor<10x64xi8>
// CHECK: %[[E:.*]] = tensor.extract %arg2[%[[ROW]], %[[BLOCK]]] : tensor<10x2xi8>
// CHECK: arith.extui %[[E]] : i8 to i32
// CHECK: arith.sitofp %[[M]] : i8 to f32
// CHECK: linalg.yield
// CHECK-NOT: mase.
func.func @block_embedding(%ids: tensor<2x3xi64>, %m: tensor<10x64xi8>, %e: tensor<10x2xi8>) -> tensor<2x3x64xf32> {
  %y = mase.block_embedding %ids, %m, %e {block = 32} : (tensor<2x3xi64>, tensor<10x64xi8>, tensor<10x2xi8>) -> tensor<2x3x64xf32>
  return %y : tensor<2x3x64xf32>
}

// -----

// i16 weight codes (a 12-bit format): the matmul converts them in its body,
// from the accumulator bias * 2^10; no call.
// CHECK-LABEL: func.func @float_by_int16
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<6x2xf32>, tensor<2x2xi16>) outs(%{{.*}} : tensor<6x2xf32>)
// CHECK-NOT: call
func.func @float_by_int16(%x: tensor<2x3x2xf32>, %b: tensor<2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1000, -2000], [3, -4]]> : tensor<2x2xi16>
  %y = mase.int_linear %x, %w, %b {weight_format = #mase.int<12, 10>}
      : (tensor<2x3x2xf32>, tensor<2x2xi16>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}
