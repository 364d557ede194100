//===- MaseToLinalg.h - mase graph ops to linalg ----------------*- C++ -*-===//
//
// Pattern sets of the `mase-lower-to-linalg` conversion, split by op class so
// that each can be tested and reused on its own. All patterns are
// OpConversionPatterns over tensors with no type conversion.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_CONVERSION_MASETOLINALG_MASETOLINALG_H
#define MASE_CONVERSION_MASETOLINALG_MASETOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mlir {
class RewritePatternSet;

namespace mase {

/// The discardable attribute that names the activation an elementwise
/// linalg.generic computes, where a later pass may compute it otherwise
/// (the GPU GEMM's epilogue): "gelu" for mase.gelu (exact). Fusing other
/// ops into the generic makes a new op without it.
constexpr llvm::StringLiteral kActivationAttrName = "mase.activation";

/// Elementwise ops (arithmetic, comparisons, logical, where, unary, cast):
/// one linalg.generic each, broadcasting through the indexing maps.
void populateMaseElementwiseToLinalgPatterns(RewritePatternSet &patterns);

/// Shape movement (reshape, transpose, concat, slice, expand).
void populateMaseShapeToLinalgPatterns(RewritePatternSet &patterns);

/// Neural-network ops (linear, matmul, softmax, layer_norm, gelu, embedding,
/// gather, reductions).
void populateMaseNNToLinalgPatterns(RewritePatternSet &patterns);

/// Native quantisation (int_codes, int_linear): i8 codes, GEMMs on i8
/// weights with the conversion in the loop, i8 x i8 -> i32 GEMMs.
void populateMaseNativeToLinalgPatterns(RewritePatternSet &patterns);

/// Sliding-window ops (conv2d, max_pool2d, avg_pool2d): tensor.pad and
/// linalg convolution/pooling named ops.
void populateMaseWindowToLinalgPatterns(RewritePatternSet &patterns);

/// `mase.quantize` on run-time tensors (int, minifloat_denorm,
/// minifloat_ieee, bfp, mxint8), bit-exact with the numerics library.
void populateMaseQuantizeToLinalgPatterns(RewritePatternSet &patterns);

/// mase.prune_activation: a call for the threshold and a masking generic.
void populateMasePruneToLinalgPatterns(RewritePatternSet &patterns);

/// mase.sdpa: one call of the fused attention kernel.
void populateMaseFusedToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mase
} // namespace mlir

#endif // MASE_CONVERSION_MASETOLINALG_MASETOLINALG_H
