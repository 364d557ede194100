// A two-layer perceptron (the shape of a BERT-tiny feed-forward block:
// 128 -> 512 -> 128, ReLU) in linalg on tensors. The interim demo lowers it
// through mase-opt to LLVM and runs it until the ONNX importer and the CPU
// backend land.
#map_bias = affine_map<(d0, d1) -> (d1)>
#map_id = affine_map<(d0, d1) -> (d0, d1)>

func.func @mlp(%x: tensor<8x128xf32>, %w1: tensor<128x512xf32>, %b1: tensor<512xf32>,
               %w2: tensor<512x128xf32>, %b2: tensor<128xf32>) -> tensor<8x128xf32>
    attributes {llvm.emit_c_interface} {
  %zero = arith.constant 0.0 : f32

  // h = relu(x * w1 + b1)
  %h_init = tensor.empty() : tensor<8x512xf32>
  %h_acc = linalg.fill ins(%zero : f32) outs(%h_init : tensor<8x512xf32>) -> tensor<8x512xf32>
  %h_mm = linalg.matmul ins(%x, %w1 : tensor<8x128xf32>, tensor<128x512xf32>)
                        outs(%h_acc : tensor<8x512xf32>) -> tensor<8x512xf32>
  %h = linalg.generic {indexing_maps = [#map_id, #map_bias, #map_id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%h_mm, %b1 : tensor<8x512xf32>, tensor<512xf32>) outs(%h_init : tensor<8x512xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    %s = arith.addf %v, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x512xf32>

  // y = h * w2 + b2
  %y_init = tensor.empty() : tensor<8x128xf32>
  %y_acc = linalg.fill ins(%zero : f32) outs(%y_init : tensor<8x128xf32>) -> tensor<8x128xf32>
  %y_mm = linalg.matmul ins(%h, %w2 : tensor<8x512xf32>, tensor<512x128xf32>)
                        outs(%y_acc : tensor<8x128xf32>) -> tensor<8x128xf32>
  %y = linalg.generic {indexing_maps = [#map_id, #map_bias, #map_id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y_mm, %b2 : tensor<8x128xf32>, tensor<128xf32>) outs(%y_init : tensor<8x128xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    %s = arith.addf %v, %b : f32
    linalg.yield %s : f32
  } -> tensor<8x128xf32>
  return %y : tensor<8x128xf32>
}
