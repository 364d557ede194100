// RUN: mase-opt %s --split-input-file | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mase-opt %s --split-input-file --canonicalize | FileCheck %s

// Packed tensors: real low-precision storage in a format's layout.

// ROUNDTRIP-LABEL: func.func @pack_int4
// ROUNDTRIP: mase.pack %{{.*}} : tensor<4xf32> -> !mase.packed<[4], #mase.int<4, 2>>
// Packing a constant folds to the storage bytes. int4 codes [1, -2, 7, -8]
// packed two per byte, element 2k in the low nibble: 0xE1, 0x87.
// CHECK-LABEL: func.func @pack_int4
// CHECK-NEXT:    %[[P:.*]] = mase.packed_constant dense<[-31, -121]> : tensor<2xi8> -> !mase.packed<[4], #mase.int<4, 2>>
// CHECK-NEXT:    return %[[P]]
func.func @pack_int4() -> !mase.packed<[4], #mase.int<4, 2>> {
  %c = arith.constant dense<[0.25, -0.5, 1.75, -2.0]> : tensor<4xf32>
  %p = mase.pack %c : tensor<4xf32> -> !mase.packed<[4], #mase.int<4, 2>>
  return %p : !mase.packed<[4], #mase.int<4, 2>>
}

// -----

// Unpacking a constant folds to the decoded floats.
// CHECK-LABEL: func.func @unpack_int4
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[-2.000000e+00, -2.500000e-01, -2.500000e-01, 2.500000e-01]> : tensor<4xf32>
// CHECK-NEXT:    return %[[C]]
func.func @unpack_int4() -> tensor<4xf32> {
  %p = mase.packed_constant dense<[-8, 31]> : tensor<2xi8> -> !mase.packed<[4], #mase.int<4, 2>>
  %u = mase.unpack %p : !mase.packed<[4], #mase.int<4, 2>> -> tensor<4xf32>
  return %u : tensor<4xf32>
}

// -----

// MXINT8 storage: 4 int8 mantissas, then one uint8 E8M0 scale (127 = 2^0).
// CHECK-LABEL: func.func @pack_mxint8
// CHECK-NEXT:    %[[P:.*]] = mase.packed_constant dense<[64, 1, 32, 19, 127]> : tensor<5xi8> -> !mase.packed<[4], #mase.mxint8<block = 4>>
// CHECK-NEXT:    return %[[P]]
func.func @pack_mxint8() -> !mase.packed<[4], #mase.mxint8<block = 4>> {
  %c = arith.constant dense<[1.0, 0.01, 0.5, 0.3]> : tensor<4xf32>
  %p = mase.pack %c : tensor<4xf32> -> !mase.packed<[4], #mase.mxint8<block = 4>>
  return %p : !mase.packed<[4], #mase.mxint8<block = 4>>
}

// -----

// Pack then unpack of a constant gives exactly the quantised constant.
// CHECK-LABEL: func.func @pack_unpack_constant
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[1.000000e+00, 1.562500e-02, 5.000000e-01, 2.968750e-01]> : tensor<4xf32>
// CHECK-NEXT:    return %[[C]], %[[C]]
func.func @pack_unpack_constant() -> (tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<[1.0, 0.01, 0.5, 0.3]> : tensor<4xf32>
  %p = mase.pack %c : tensor<4xf32> -> !mase.packed<[4], #mase.mxint8<block = 4>>
  %u = mase.unpack %p : !mase.packed<[4], #mase.mxint8<block = 4>> -> tensor<4xf32>
  %q = mase.quantize %c : tensor<4xf32> to #mase.mxint8<block = 4>
  return %u, %q : tensor<4xf32>, tensor<4xf32>
}

// -----

// unpack(pack(x)) of a non-constant canonicalises to quantize(x).
// ROUNDTRIP-LABEL: func.func @pack_unpack_value
// ROUNDTRIP: mase.unpack %{{.*}} : !mase.packed<[4, 32], #mase.mxint8<block = 32>> -> tensor<4x32xf32>
// CHECK-LABEL: func.func @pack_unpack_value
// CHECK-NEXT:    %[[Q:.*]] = mase.quantize %{{.*}} : tensor<4x32xf32> to #mase.mxint8<block = 32>
// CHECK-NEXT:    return %[[Q]]
func.func @pack_unpack_value(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %p = mase.pack %x : tensor<4x32xf32> -> !mase.packed<[4, 32], #mase.mxint8<block = 32>>
  %u = mase.unpack %p : !mase.packed<[4, 32], #mase.mxint8<block = 32>> -> tensor<4x32xf32>
  return %u : tensor<4x32xf32>
}
