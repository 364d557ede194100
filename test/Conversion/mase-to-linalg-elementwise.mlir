// RUN: mase-opt %s --pass-pipeline='builtin.module(func.func(mase-lower-to-linalg))' | FileCheck %s

// Elementwise mase ops become one linalg.generic each over the result shape;
// broadcasting lives in the operands' indexing maps (a stretched size-1
// dimension reads index 0, missing leading dimensions are dropped).

// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$COL0:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$SCALAR2:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$ID1:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ZERO1:.+]] = affine_map<(d0) -> (0)>

// CHECK-LABEL: func.func @add_broadcast(
// CHECK-SAME:      %[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         return %[[R]]
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mase.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Both operands stretched: [2, 1] x [1, 3] and a rank-0 operand.
// CHECK-LABEL: func.func @mul_outer_and_scalar(
// CHECK:         linalg.generic {indexing_maps = [#[[$ID2]], #[[$SCALAR2]], #[[$ID2]]]
// CHECK:           arith.mulf
// CHECK:         linalg.generic {indexing_maps = [#[[$COL0]], #[[$ROW]], #[[$ID2]]]
// CHECK:           arith.mulf
func.func @mul_outer_and_scalar(%a: tensor<2x1xf32>, %s: tensor<f32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mase.mul %a, %s : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %1 = mase.mul %0, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// A size-1 dimension that the result keeps reads d0, not 0.
// CHECK-LABEL: func.func @sub_keeps_unit_dim(
// CHECK:         linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]]
// CHECK:           arith.subf
func.func @sub_keeps_unit_dim(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  %0 = mase.sub %a, %b : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// CHECK-LABEL: func.func @float_arith(
// CHECK:         arith.subf
// CHECK:         arith.divf
// CHECK:         math.powf
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
func.func @float_arith(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mase.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mase.div %0, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = mase.pow %1, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = mase.max %2, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = mase.min %3, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// CHECK-LABEL: func.func @int_arith(
// CHECK:         linalg.generic {indexing_maps = [#[[$ID1]], #[[$ZERO1]], #[[$ID1]]]
// CHECK:           arith.addi
// CHECK:           arith.subi
// CHECK:           arith.muli
// CHECK:           arith.divsi
// Integer pow: square-and-multiply over the exponent bits, unrolled.
// CHECK-NOT:       math.ipowi
// CHECK:           arith.shrui
// CHECK:           arith.cmpi slt
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
func.func @int_arith(%a: tensor<4xi32>, %b: tensor<1xi32>) -> tensor<4xi32> {
  %0 = mase.add %a, %b : (tensor<4xi32>, tensor<1xi32>) -> tensor<4xi32>
  %1 = mase.sub %0, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = mase.mul %1, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = mase.div %2, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = mase.pow %3, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %5 = mase.max %4, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %6 = mase.min %5, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %6 : tensor<4xi32>
}

// CHECK-LABEL: func.func @compare_float(
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3xi1>
// CHECK:         linalg.generic {indexing_maps = [#[[$ID2]], #[[$COL0]], #[[$ID2]]]
// CHECK-SAME:        outs(%[[E]] : tensor<2x3xi1>)
// CHECK:         ^bb0(%{{.+}}: f32, %{{.+}}: f32, %{{.+}}: i1):
// CHECK:           arith.cmpf oeq
// CHECK:           arith.cmpf olt
// CHECK:           arith.cmpf ogt
// CHECK:           arith.cmpf oge
// CHECK:           arith.cmpf ole
func.func @compare_float(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>) {
  %0 = mase.equal %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  %1 = mase.less %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  %2 = mase.greater %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  %3 = mase.greater_equal %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  %4 = mase.less_equal %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  return %0, %1, %2, %3, %4 : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>
}

// CHECK-LABEL: func.func @compare_int(
// CHECK:           arith.cmpi eq
// CHECK:           arith.cmpi slt
// CHECK:           arith.cmpi sgt
// CHECK:           arith.cmpi sge
// CHECK:           arith.cmpi sle
func.func @compare_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = mase.equal %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %1 = mase.less %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %2 = mase.greater %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %3 = mase.greater_equal %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %4 = mase.less_equal %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// Booleans order false < true: unsigned comparisons and max on i1.
// CHECK-LABEL: func.func @bool_order(
// CHECK:           arith.cmpi ult
// CHECK:           arith.maxui
func.func @bool_order(%a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = mase.less %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = mase.max %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @logical(
// CHECK:         linalg.generic {indexing_maps = [#[[$ID1]], #[[$ZERO1]], #[[$ID1]]]
// CHECK:           arith.andi
// CHECK:           arith.ori
// CHECK:           arith.xori %{{.+}}, %{{.+}} : i1
// CHECK:         %[[TRUE:.+]] = arith.constant true
// CHECK:           arith.xori %{{.+}}, %[[TRUE]] : i1
func.func @logical(%a: tensor<4xi1>, %b: tensor<1xi1>) -> tensor<4xi1> {
  %0 = mase.and %a, %b : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %1 = mase.or %0, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %x = mase.xor %1, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = mase.not %x : tensor<4xi1>
  return %2 : tensor<4xi1>
}

// CHECK-LABEL: func.func @where(
// CHECK-SAME:      %[[C:.+]]: tensor<2x1xi1>, %[[T:.+]]: tensor<3xf32>, %[[F:.+]]: tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [#[[$COL0]], #[[$ROW]], #[[$SCALAR2]], #[[$ID2]]]
// CHECK-SAME:        ins(%[[C]], %[[T]], %[[F]] : tensor<2x1xi1>, tensor<3xf32>, tensor<f32>)
// CHECK:         ^bb0(%[[CV:.+]]: i1, %[[TV:.+]]: f32, %[[FV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SEL:.+]] = arith.select %[[CV]], %[[TV]], %[[FV]] : f32
// CHECK:           linalg.yield %[[SEL]]
func.func @where(%c: tensor<2x1xi1>, %t: tensor<3xf32>, %f: tensor<f32>) -> tensor<2x3xf32> {
  %0 = mase.where %c, %t, %f : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary_float(
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         arith.maximumf %{{.+}}, %[[ZERO]] : f32
// CHECK:         arith.negf
// CHECK:         math.absf
// CHECK:         math.erf
// CHECK:         math.tanh
// CHECK:         %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[N:.+]] = arith.negf
// CHECK:         %[[EXP:.+]] = math.exp %[[N]]
// CHECK:         %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK:         arith.divf %[[ONE]], %[[DEN]]
// CHECK:         math.exp
// CHECK:         math.log
// CHECK:         math.sqrt
// CHECK:         %[[ONE2:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         arith.divf %[[ONE2]], %{{.+}} : f32
func.func @unary_float(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mase.relu %x : tensor<2x3xf32>
  %1 = mase.neg %0 : tensor<2x3xf32>
  %2 = mase.abs %1 : tensor<2x3xf32>
  %3 = mase.erf %2 : tensor<2x3xf32>
  %4 = mase.tanh %3 : tensor<2x3xf32>
  %5 = mase.sigmoid %4 : tensor<2x3xf32>
  %6 = mase.exp %5 : tensor<2x3xf32>
  %7 = mase.log %6 : tensor<2x3xf32>
  %8 = mase.sqrt %7 : tensor<2x3xf32>
  %9 = mase.reciprocal %8 : tensor<2x3xf32>
  return %9 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary_int(
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK:         arith.maxsi %{{.+}}, %[[ZERO]] : i8
// CHECK:         %[[ZERO2:.+]] = arith.constant 0 : i8
// CHECK:         arith.subi %[[ZERO2]], %{{.+}} : i8
// CHECK:         math.absi
func.func @unary_int(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = mase.relu %x : tensor<4xi8>
  %1 = mase.neg %0 : tensor<4xi8>
  %2 = mase.abs %1 : tensor<4xi8>
  return %2 : tensor<4xi8>
}

// CHECK-LABEL: func.func @casts(
// CHECK:         ^bb0(%{{.+}}: i64, %{{.+}}: f32):
// CHECK-NEXT:      arith.sitofp %{{.+}} : i64 to f32
// CHECK:         ^bb0(%{{.+}}: i1, %{{.+}}: f32):
// CHECK-NEXT:      arith.uitofp %{{.+}} : i1 to f32
// CHECK:           arith.fptosi %{{.+}} : f32 to i32
// CHECK:           arith.extf %{{.+}} : f16 to f32
// CHECK:           arith.truncf %{{.+}} : f32 to f16
// CHECK:           %[[W:.+]] = arith.extf %{{.+}} : bf16 to f32
// CHECK-NEXT:      arith.truncf %[[W]] : f32 to f16
// CHECK:           arith.extsi %{{.+}} : i32 to i64
// CHECK:           arith.extui %{{.+}} : i1 to i32
// CHECK:           arith.trunci %{{.+}} : i64 to i8
// CHECK:           %[[IZ:.+]] = arith.constant 0 : i64
// CHECK-NEXT:      arith.cmpi ne, %{{.+}}, %[[IZ]] : i64
// CHECK:           %[[FZ:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      arith.cmpf une, %{{.+}}, %[[FZ]] : f32
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @casts(%i: tensor<4xi64>, %b: tensor<4xi1>, %f: tensor<4xf32>, %h: tensor<4xf16>, %bf: tensor<4xbf16>, %w: tensor<4xi32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf16>, tensor<4xi64>, tensor<4xi32>, tensor<4xi8>, tensor<4xi1>, tensor<4xi1>, tensor<4xf32>) {
  %0 = mase.cast %i : tensor<4xi64> to tensor<4xf32>
  %1 = mase.cast %b : tensor<4xi1> to tensor<4xf32>
  %2 = mase.cast %f : tensor<4xf32> to tensor<4xi32>
  %3 = mase.cast %h : tensor<4xf16> to tensor<4xf32>
  %4 = mase.cast %f : tensor<4xf32> to tensor<4xf16>
  %5 = mase.cast %bf : tensor<4xbf16> to tensor<4xf16>
  %6 = mase.cast %w : tensor<4xi32> to tensor<4xi64>
  %7 = mase.cast %b : tensor<4xi1> to tensor<4xi32>
  %8 = mase.cast %i : tensor<4xi64> to tensor<4xi8>
  %9 = mase.cast %i : tensor<4xi64> to tensor<4xi1>
  %10 = mase.cast %f : tensor<4xf32> to tensor<4xi1>
  // Same type: no generic at all.
  %11 = mase.cast %f : tensor<4xf32> to tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf16>, tensor<4xi64>, tensor<4xi32>, tensor<4xi8>, tensor<4xi1>, tensor<4xi1>, tensor<4xf32>
}

// mase.quantize lowers with the graph ops (mase-to-linalg-quantize.mlir).
// CHECK-LABEL: func.func @quantize_lowered(
// CHECK:         math.roundeven
// CHECK:         arith.addf
// CHECK-NOT:     mase.
func.func @quantize_lowered(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = mase.quantize %x : tensor<4xf32> to #mase.int<8, 4>
  %0 = mase.add %q, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
