// A linear layer on MXINT8 in the CPU's form: the input re-expressed in
// int8 blocks by mase_qgemm.
module {
  func.func private @mase_qgemm(i64, i64, i64, i64, i64, i32, i64, i32, i64, f32, i64, i64)
  func.func @main(%x: tensor<2x64xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<64> : tensor<4x64xi8>
    %e = arith.constant dense<126> : tensor<4x2xi8>
    %y = mase.block_linear %x, %w, %e {block = 32}
        : (tensor<2x64xf32>, tensor<4x64xi8>, tensor<4x2xi8>) -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}
