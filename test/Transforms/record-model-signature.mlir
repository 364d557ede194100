// RUN: mase-opt %s --split-input-file --mase-record-model-signature | FileCheck %s
// RUN: mase-opt %s --split-input-file --mase-record-model-signature \
// RUN:   | %mase_python %S/Inputs/print_signature.py | FileCheck %s --check-prefix=TEXT

// The importer's names: two globals added at the start of the module, the
// signature as NUL-terminated bytes, @main left unchanged.

// CHECK-LABEL: module
// CHECK-NEXT:    memref.global "public" constant @mase_model_abi_version : memref<i32> = dense<2>
// "mase-model\t2\ninput\tx\tf32\t2x3\noutput\ty\tf32\t2x3\n\0"
// CHECK-NEXT:    memref.global "public" constant @mase_model_signature : memref<47xi8> = dense<[109, 97, 115, 101, 45, 109, 111, 100, 101, 108, 9, 50, 10, 105, 110, 112, 117, 116, 9, 120, 9, 102, 51, 50, 9, 50, 120, 51, 10, 111, 117, 116, 112, 117, 116, 9, 121, 9, 102, 51, 50, 9, 50, 120, 51, 10, 0]>
// CHECK-NEXT:    func.func @main(%{{.*}}: tensor<2x3xf32> {mase.input_name = "x"}) -> (tensor<2x3xf32> {mase.output_name = "y"})
// CHECK-NEXT:      return
// CHECK-NOT:     memref.global

// TEXT-LABEL: signature: 47 bytes, 47 given
// TEXT-NEXT:  line: mase-model\t2
// TEXT-NEXT:  line: input\tx\tf32\t2x3
// TEXT-NEXT:  line: output\ty\tf32\t2x3
// TEXT-NOT:   line:
func.func @main(%x: tensor<2x3xf32> {mase.input_name = "x"})
    -> (tensor<2x3xf32> {mase.output_name = "y"}) {
  return %x : tensor<2x3xf32>
}

// -----

// Without the importer's attributes the names are input_<i> / output_<i>,
// numbered separately; a named item keeps its name. Other functions do not
// contribute. A rank-0 tensor has an empty shape.

// CHECK-LABEL: module
// CHECK:         memref.global "public" constant @mase_model_abi_version : memref<i32> = dense<2>
// CHECK:         memref.global "public" constant @mase_model_signature : memref<140xi8>
// CHECK:         func.func @helper
// CHECK:         func.func @main

// TEXT-LABEL: signature: 140 bytes, 140 given
// TEXT-NEXT:  line: mase-model\t2
// TEXT-NEXT:  line: input\tinput_0\tf32\t4
// TEXT-NEXT:  line: input\tmask\tbool\t1x4
// TEXT-NEXT:  line: input\tinput_2\tf32\t
// TEXT-NEXT:  line: output\toutput_0\tf32\t4
// TEXT-NEXT:  line: output\tlogits\tf32\t2x1x4
// TEXT-NEXT:  line: output\toutput_2\tf32\t
// TEXT-NOT:   line:
func.func @helper(%a: tensor<5xf64>) -> tensor<5xf64> {
  return %a : tensor<5xf64>
}
func.func @main(%a: tensor<4xf32>, %m: tensor<1x4xi1> {mase.input_name = "mask"},
                %s: tensor<f32>)
    -> (tensor<4xf32>, tensor<2x1x4xf32> {mase.output_name = "logits"}, tensor<f32>) {
  %e = tensor.empty() : tensor<2x1x4xf32>
  return %a, %e, %s : tensor<4xf32>, tensor<2x1x4xf32>, tensor<f32>
}

// -----

// Every element type of the ABI: signless integers are signed (ONNX's
// int8..int64), unsigned ones are u8..u64, i1 is bool.

// TEXT-LABEL: signature:
// TEXT-NEXT:  line: mase-model\t2
// TEXT-NEXT:  line: input\tinput_0\tf32\t1
// TEXT-NEXT:  line: input\tinput_1\tf64\t1
// TEXT-NEXT:  line: input\tinput_2\tf16\t1
// TEXT-NEXT:  line: input\tinput_3\tbf16\t1
// TEXT-NEXT:  line: input\tinput_4\tbool\t1
// TEXT-NEXT:  line: input\tinput_5\ti8\t1
// TEXT-NEXT:  line: input\tinput_6\ti16\t1
// TEXT-NEXT:  line: input\tinput_7\ti32\t1
// TEXT-NEXT:  line: input\tinput_8\ti64\t1
// TEXT-NEXT:  line: input\tinput_9\tu8\t1
// TEXT-NEXT:  line: input\tinput_10\tu16\t1
// TEXT-NEXT:  line: input\tinput_11\tu32\t1
// TEXT-NEXT:  line: input\tinput_12\tu64\t1
// TEXT-NEXT:  line: output\toutput_0\tf32\t3x1x2
// TEXT-NOT:   line:
func.func @main(%0: tensor<1xf32>, %1: tensor<1xf64>, %2: tensor<1xf16>,
                %3: tensor<1xbf16>, %4: tensor<1xi1>, %5: tensor<1xi8>,
                %6: tensor<1xi16>, %7: tensor<1xi32>, %8: tensor<1xi64>,
                %9: tensor<1xui8>, %10: tensor<1xui16>, %11: tensor<1xui32>,
                %12: tensor<1xui64>) -> tensor<3x1x2xf32> {
  %e = tensor.empty() : tensor<3x1x2xf32>
  return %e : tensor<3x1x2xf32>
}

// -----

// '%', TAB, '\n' and '\r' in a name are written as %25, %09, %0A and %0D
// (nothing else is escaped: spaces, '=', UTF-8 stay as they are).

// TEXT-LABEL: signature:
// TEXT-NEXT:  line: mase-model\t2
// TEXT-NEXT:  line: input\t100%25 sure\tf32\t2
// TEXT-NEXT:  line: input\ta%09b%0Ac%0Dd\tf32\t2
// TEXT-NEXT:  line: output\t%2509 = x/y:0 é\tf32\t2
// TEXT-NOT:   line:
func.func @main(%a: tensor<2xf32> {mase.input_name = "100% sure"},
                %b: tensor<2xf32> {mase.input_name = "a\tb\nc\0Dd"})
    -> (tensor<2xf32> {mase.output_name = "%09 = x/y:0 é"}) {
  return %a : tensor<2xf32>
}
