//===- QuantizedGemmTest.cpp - mase_qgemm against a direct computation ----===//
//
// Every kernel the CPU has (scalar, AVX2, AVX-512 VNNI) against a plain
// C++ evaluation of the semantics in mase-c/ModelSupport.h: bit-identical on
// integer codes and on inputs that already are block mantissas, within the
// re-quantisation error on arbitrary floats, NaN rows for non-finite input.
//
//===----------------------------------------------------------------------===//

#include "mase-c/ModelSupport.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

struct Shape {
  int64_t m, n, k, block;
};

std::vector<int8_t> pack(const std::vector<int8_t> &w, int64_t n, int64_t k,
                         int32_t bits = 8) {
  std::vector<int8_t> packed(mase_qgemm_packed_size(n, k, bits));
  mase_qgemm_pack_weights(w.data(), n, k, bits, packed.data());
  return packed;
}

/// The kernels to compare: every one MASE_KERNEL_ISA can force, and the
/// default choice (which is VNNI where the CPU has it).
const char *const kIsas[] = {"scalar", "avx2", nullptr};

std::vector<float> run(const char *isa, const Shape &s, const void *a,
                       int32_t kind, const std::vector<int8_t> &packed,
                       const std::vector<uint8_t> *exponents, float scale,
                       int32_t bits = 8,
                       const std::vector<float> *bias = nullptr) {
  if (isa)
    setenv("MASE_KERNEL_ISA", isa, 1);
  else
    unsetenv("MASE_KERNEL_ISA");
  std::vector<float> c(s.m * s.n, -1.0f);
  mase_qgemm(s.m, s.n, s.k, s.block, reinterpret_cast<uintptr_t>(a), kind,
             reinterpret_cast<uintptr_t>(packed.data()), bits,
             exponents ? reinterpret_cast<uintptr_t>(exponents->data()) : 0,
             scale, bias ? reinterpret_cast<uintptr_t>(bias->data()) : 0,
             reinterpret_cast<uintptr_t>(c.data()));
  unsetenv("MASE_KERNEL_ISA");
  return c;
}

void expectBitEqual(const std::vector<float> &expected,
                    const std::vector<float> &actual, const char *isa) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    uint32_t e, a;
    std::memcpy(&e, &expected[i], 4);
    std::memcpy(&a, &actual[i], 4);
    ASSERT_EQ(e, a) << "element " << i << " with kernel "
                    << (isa ? isa : "default") << ": " << expected[i]
                    << " vs " << actual[i];
  }
}

TEST(QuantizedGemm, IntegerCodesAreExact) {
  std::mt19937 gen(3);
  std::uniform_int_distribution<int> code(-128, 127);
  for (Shape s : {Shape{1, 1, 1, 1}, Shape{3, 17, 5, 5}, Shape{8, 16, 32, 32},
                  Shape{13, 40, 37, 37}, Shape{2, 33, 768, 768}}) {
    std::vector<int8_t> a(s.m * s.k), w(s.n * s.k);
    for (int8_t &v : a)
      v = static_cast<int8_t>(code(gen));
    for (int8_t &v : w)
      v = static_cast<int8_t>(code(gen));
    float scale = std::ldexp(1.0f, -11);
    std::vector<float> expected(s.m * s.n);
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        int64_t sum = 0;
        for (int64_t q = 0; q < s.k; ++q)
          sum += a[i * s.k + q] * w[j * s.k + q];
        expected[i * s.n + j] = static_cast<float>(sum) * scale;
      }
    std::vector<int8_t> packed = pack(w, s.n, s.k);
    for (const char *isa : kIsas)
      expectBitEqual(expected,
                     run(isa, s, a.data(), MASE_QGEMM_INT8_CODES, packed,
                         nullptr, scale),
                     isa);
  }
}

/// With a bias, each element is the scaled sum plus the bias, rounded after
/// each (not one fused multiply-add): what adding the bias afterwards gives.
/// The scale 0.1 makes the products inexact, so a fused one would differ.
TEST(QuantizedGemm, BiasIsAddedAfterScaling) {
  std::mt19937 gen(5);
  std::uniform_int_distribution<int> code(-128, 127);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (Shape s : {Shape{3, 17, 5, 5}, Shape{9, 40, 64, 64}}) {
    std::vector<int8_t> a(s.m * s.k), w(s.n * s.k);
    for (int8_t &v : a)
      v = static_cast<int8_t>(code(gen));
    for (int8_t &v : w)
      v = static_cast<int8_t>(code(gen));
    std::vector<float> bias(s.n);
    for (float &v : bias)
      v = value(gen);
    float scale = 0.1f;
    std::vector<int8_t> packed = pack(w, s.n, s.k);
    std::vector<float> unbiased = run(
        nullptr, s, a.data(), MASE_QGEMM_INT8_CODES, packed, nullptr, scale);
    std::vector<float> expected(unbiased.size());
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        volatile float product = unbiased[i * s.n + j];
        expected[i * s.n + j] = product + bias[j];
      }
    for (const char *isa : kIsas)
      expectBitEqual(expected,
                     run(isa, s, a.data(), MASE_QGEMM_INT8_CODES, packed,
                         nullptr, scale, 8, &bias),
                     isa);
  }
}

/// Weight codes of 1 to 7 bits stored as bit planes give exactly the
/// products of the same codes stored one a byte, with every kernel, in
/// bits/8 of the bytes.
TEST(QuantizedGemm, NarrowWeightsEqualTheirBytes) {
  std::mt19937 gen(11);
  std::uniform_int_distribution<int> code(-128, 127);
  for (int bits = 1; bits < 8; ++bits) {
    int top = 1 << (bits - 1);
    std::uniform_int_distribution<int> narrow(-top, top - 1);
    for (Shape s : {Shape{1, 1, 1, 1}, Shape{3, 17, 5, 5},
                    Shape{9, 48, 64, 64}, Shape{13, 40, 37, 37},
                    Shape{20, 33, 768, 768}}) {
      std::vector<int8_t> a(s.m * s.k), w(s.n * s.k);
      for (int8_t &v : a)
        v = static_cast<int8_t>(code(gen));
      for (int8_t &v : w)
        v = static_cast<int8_t>(narrow(gen));
      w[0] = static_cast<int8_t>(-top); // both ends of the range
      w.back() = static_cast<int8_t>(top - 1);
      std::vector<int8_t> bytes = pack(w, s.n, s.k),
                          planes = pack(w, s.n, s.k, bits);
      ASSERT_EQ(planes.size() * 8, bytes.size() * bits);
      std::vector<float> expected =
          run(kIsas[0], s, a.data(), MASE_QGEMM_INT8_CODES, bytes, nullptr,
              1.0f);
      for (const char *isa : kIsas)
        expectBitEqual(expected,
                       run(isa, s, a.data(), MASE_QGEMM_INT8_CODES, planes,
                           nullptr, 1.0f, bits),
                       isa);
    }
  }
  EXPECT_EQ(mase_qgemm_packed_size(16, 4, 0), 0);
  EXPECT_EQ(mase_qgemm_packed_size(16, 4, 9), 0);
}

/// Blocks of A that are already int8 mantissas times a shared power of two,
/// and weight exponents: the result is the semantics' float accumulation.
TEST(QuantizedGemm, BlockMantissasAreExactPerBlock) {
  std::mt19937 gen(5);
  std::uniform_int_distribution<int> mantissa(-127, 127), shift(-20, 10);
  std::uniform_int_distribution<int> exponent(100, 160);
  for (Shape s : {Shape{1, 16, 32, 32}, Shape{5, 19, 64, 16},
                  Shape{9, 48, 96, 32}, Shape{16, 7, 128, 4}}) {
    int64_t blocks = s.k / s.block;
    std::vector<float> a(s.m * s.k);
    std::vector<int8_t> w(s.n * s.k);
    std::vector<uint8_t> e(s.n * blocks);
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t b = 0; b < blocks; ++b) {
        int sh = shift(gen);
        for (int64_t q = 0; q < s.block; ++q)
          a[i * s.k + b * s.block + q] = std::ldexp(
              static_cast<float>(q == 0 ? 127 : mantissa(gen)), sh);
      }
    for (int8_t &v : w)
      v = static_cast<int8_t>(mantissa(gen));
    for (uint8_t &v : e)
      v = static_cast<uint8_t>(exponent(gen));

    std::vector<float> expected(s.m * s.n);
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        float c = 0.0f;
        for (int64_t b = 0; b < blocks; ++b) {
          const float *x = &a[i * s.k + b * s.block];
          int sa = std::ilogb(x[0]) - 6; // x[0] = 127 * 2^sh is the maximum
          int32_t sum = 0;
          for (int64_t q = 0; q < s.block; ++q)
            sum += static_cast<int32_t>(std::ldexp(x[q], -sa)) *
                   w[j * s.k + b * s.block + q];
          c = std::fma(static_cast<float>(sum),
                       std::ldexp(1.0f, e[j * blocks + b] - 133) *
                           std::ldexp(1.0f, sa),
                       c);
        }
        expected[i * s.n + j] = c * 0.5f;
      }
    std::vector<int8_t> packed = pack(w, s.n, s.k);
    for (const char *isa : kIsas)
      expectBitEqual(expected,
                     run(isa, s, a.data(), MASE_QGEMM_FLOAT_BLOCKS, packed, &e,
                         0.5f),
                     isa);
  }
}

/// Arbitrary floats are rounded to 8-bit block mantissas: every kernel gives
/// the same bits, close to the exact product.
TEST(QuantizedGemm, ArbitraryFloatsAreRoundedToBlockMantissas) {
  std::mt19937 gen(7);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> mantissa(-127, 127);
  Shape s{11, 35, 256, 32};
  std::vector<float> a(s.m * s.k);
  for (float &v : a)
    v = normal(gen);
  a[3 * s.k + 40] = std::ldexp(1.0f, -140); // a denormal block maximum
  for (int q = 0; q < 32; ++q)
    a[5 * s.k + 64 + q] = 0.0f; // an all-zero block
  std::vector<int8_t> w(s.n * s.k);
  for (int8_t &v : w)
    v = static_cast<int8_t>(mantissa(gen));
  std::vector<uint8_t> e(s.n * (s.k / s.block), 133);
  std::vector<int8_t> packed = pack(w, s.n, s.k);

  std::vector<float> first = run(kIsas[0], s, a.data(), MASE_QGEMM_FLOAT_BLOCKS,
                                 packed, &e, 1.0f);
  for (const char *isa : kIsas)
    expectBitEqual(first,
                   run(isa, s, a.data(), MASE_QGEMM_FLOAT_BLOCKS, packed, &e,
                       1.0f),
                   isa);
  for (int64_t i = 0; i < s.m; ++i)
    for (int64_t j = 0; j < s.n; ++j) {
      double exact = 0.0, magnitude = 0.0;
      for (int64_t q = 0; q < s.k; ++q) {
        exact += double(a[i * s.k + q]) * w[j * s.k + q];
        magnitude += std::fabs(double(a[i * s.k + q]) * w[j * s.k + q]);
      }
      // Each mantissa is within 1/128 of its block maximum's scale.
      EXPECT_NEAR(first[i * s.n + j], exact, magnitude * 0.02 + 1e-3)
          << i << ", " << j;
    }
}

/// 8-bit block FP can hold the mantissa -128: a block whose largest
/// magnitude is a power of two reached only by negative elements.
TEST(QuantizedGemm, NegativePowerOfTwoIsMantissaMinus128) {
  const float block[4] = {-2.0f, 0.015625f, 1.0f, -2.0f};
  int8_t mantissas[4];
  int32_t exponent = 0;
  ASSERT_EQ(mase_qgemm_block_mantissas(block, 4, mantissas, &exponent), 0);
  EXPECT_EQ(exponent, -6);
  EXPECT_EQ(mantissas[0], -128);
  EXPECT_EQ(mantissas[1], 1);
  EXPECT_EQ(mantissas[2], 64);
  EXPECT_EQ(mantissas[3], -128);
  // +2.0 present: the usual exponent, -2.0 is -64 * 2^-5.
  const float mixed[2] = {-2.0f, 2.0f};
  ASSERT_EQ(mase_qgemm_block_mantissas(mixed, 2, mantissas, &exponent), 0);
  EXPECT_EQ(exponent, -5);
  EXPECT_EQ(mantissas[0], -64);
  EXPECT_EQ(mantissas[1], 64);

  // Through the GEMM, with every kernel: exact.
  Shape s{1, 1, 4, 4};
  std::vector<int8_t> w = {1, 2, 3, 4};
  std::vector<uint8_t> e = {133};
  std::vector<int8_t> packed = pack(w, 1, 4);
  float expected = -2.0f + 2 * 0.015625f + 3 * 1.0f + 4 * -2.0f;
  for (const char *isa : kIsas)
    expectBitEqual({expected},
                   run(isa, s, block, MASE_QGEMM_FLOAT_BLOCKS, packed, &e,
                       1.0f),
                   isa);
}

TEST(QuantizedGemm, NonFiniteInputMakesItsRowNaN) {
  Shape s{3, 16, 32, 16};
  std::vector<float> a(s.m * s.k, 1.0f);
  a[1 * s.k + 20] = INFINITY;
  a[2 * s.k + 3] = NAN;
  std::vector<int8_t> w(s.n * s.k, 1);
  std::vector<uint8_t> e(s.n * 2, 133);
  std::vector<int8_t> packed = pack(w, s.n, s.k);
  for (const char *isa : kIsas) {
    std::vector<float> c =
        run(isa, s, a.data(), MASE_QGEMM_FLOAT_BLOCKS, packed, &e, 1.0f);
    for (int64_t j = 0; j < s.n; ++j) {
      EXPECT_EQ(c[j], 32.0f);
      EXPECT_TRUE(std::isnan(c[s.n + j]));
      EXPECT_TRUE(std::isnan(c[2 * s.n + j]));
    }
  }
}

TEST(QuantizedGemm, PackedLayoutIsTheDocumentedOne) {
  int64_t n = 17, k = 6;
  std::vector<int8_t> w(n * k);
  for (int64_t i = 0; i < n * k; ++i)
    w[i] = static_cast<int8_t>(i % 100 + 1);
  std::vector<int8_t> packed = pack(w, n, k);
  ASSERT_EQ(packed.size(), 32u * 8u);
  int64_t kp = 8;
  for (int64_t j = 0; j < 32; ++j)
    for (int64_t q = 0; q < kp; ++q) {
      int8_t expected = j < n && q < k ? w[j * k + q] : 0;
      EXPECT_EQ(packed[((j / 16) * (kp / 4) + q / 4) * 64 + (j % 16) * 4 +
                       q % 4],
                expected);
    }
}

} // namespace
