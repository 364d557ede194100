// RUN: mase-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(mase-cpu-tile-and-vectorize{vector-width=8},canonicalize,cse))' \
// RUN:   | FileCheck %s

// Native quantisation's GEMMs keep the matmul micro-kernel (4x16 register
// tiles, one outer product per reduction step).

// f32 rows times i8 weight codes: each step reads one 1x16 row of codes and
// converts it in registers; no f32 copy of the weight exists.
// CHECK-LABEL: func.func @f32_by_i8
// CHECK-NOT: tensor<128x256xf32>
// CHECK:     scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK:       %[[CODES:.*]] = vector.transfer_read {{.*}} : tensor<1x16xi8>, vector<1x16xi8>
// CHECK:       %[[ROW:.*]] = arith.sitofp %[[CODES]] : vector<1x16xi8> to vector<1x16xf32>
// CHECK:       %[[LHS:.*]] = vector.transfer_read {{.*}} : tensor<4x1xf32>, vector<4x1xf32>
// CHECK:       vector.contract {{.*}} %[[LHS]], %[[ROW]], %{{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK-NOT: tensor<128x256xf32>
func.func @f32_by_i8(%a: tensor<64x128xf32>, %b: tensor<128x256xi8>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x256xi8>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// i8 x i8 -> i32: the contraction itself takes the i8 operands.
// CHECK-LABEL: func.func @i8_by_i8
// CHECK:     scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK:       vector.contract {{.*}} : vector<4x1xi8>, vector<1x16xi8> into vector<4x16xi32>
func.func @i8_by_i8(%a: tensor<64x128xi8>, %b: tensor<128x256xi8>, %c: tensor<64x256xi32>) -> tensor<64x256xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x128xi8>, tensor<128x256xi8>) outs(%c : tensor<64x256xi32>) -> tensor<64x256xi32>
  return %r : tensor<64x256xi32>
}
