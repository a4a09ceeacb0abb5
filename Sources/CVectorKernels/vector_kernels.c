#include "vector_kernels.h"

#include <math.h>
#include <string.h>

// Both variants must return the same bits: no fused multiply-adds.
#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

typedef float f32x8 __attribute__((vector_size(32), aligned(4)));
typedef double f64x4 __attribute__((vector_size(32), aligned(8)));

// Unaligned loads and stores (macros: a function passing 32-byte vectors by value would need
// the AVX calling convention in the baseline variant).
#define load8(p) ({ f32x8 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define load4d(p) ({ f64x4 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store8(p, v) do { f32x8 v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)
#define store4d(p, v) do { f64x4 v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)

CLONES float sc_dot_f32(const float *a, const float *b, ptrdiff_t n) {
    f32x8 acc0 = {0}, acc1 = {0};
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 += load8(a + i) * load8(b + i);
        acc1 += load8(a + i + 8) * load8(b + i + 8);
    }
    f32x8 acc = acc0 + acc1;
    // The lanes are summed pairwise in a fixed order.
    float sum = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

CLONES void sc_axpy_f32(float alpha, const float *x, float *y, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) store8(y + i, load8(y + i) + alpha * load8(x + i));
    for (; i < n; i++) y[i] += alpha * x[i];
}

CLONES void sc_scale_f32(float alpha, float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] *= alpha;
}

CLONES double sc_dot_f64(const double *a, const double *b, ptrdiff_t n) {
    f64x4 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 += load4d(a + i) * load4d(b + i);
        s1 += load4d(a + i + 4) * load4d(b + i + 4);
        s2 += load4d(a + i + 8) * load4d(b + i + 8);
        s3 += load4d(a + i + 12) * load4d(b + i + 12);
    }
    f64x4 s = (s0 + s1) + (s2 + s3);
    double sum = (s[0] + s[2]) + (s[1] + s[3]);
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

CLONES void sc_sgd_step_f64(double *w, const double *x, ptrdiff_t n, double g, double rate, double l2) {
    if (l2 == 0) {
        for (ptrdiff_t i = 0; i < n; i++) w[i] = w[i] - rate * (x[i] * g);
    } else {
        for (ptrdiff_t i = 0; i < n; i++) w[i] = w[i] - rate * (x[i] * g + l2 * w[i]);
    }
}

CLONES void sc_add_scaled_f64(double *w, const double *x, ptrdiff_t n, double step) {
    for (ptrdiff_t i = 0; i < n; i++) w[i] += step * x[i];
}

CLONES void sc_welford_update(const float *x, double *mean, double *variance, ptrdiff_t n, double count) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double value = x[i], old = mean[i];
        double updated = old + (value - old) / count;
        mean[i] = updated;
        variance[i] += ((value - old) * (value - updated) - variance[i]) / count;
    }
}

typedef float f32x4 __attribute__((vector_size(16), aligned(4)));
typedef long long i64x4 __attribute__((vector_size(32)));

CLONES void sc_standardize(const float *x, const double *mean, const double *variance, double *out, ptrdiff_t n) {
    ptrdiff_t i = 0;
    // Four lanes at a time: vector square roots and divisions are exact per lane, so the same
    // numbers as the scalar tail.
    for (; i + 4 <= n; i += 4) {
        f32x4 xf;
        memcpy(&xf, x + i, sizeof xf);
        f64x4 v = load4d(variance + i);
        f64x4 scaled = (__builtin_convertvector(xf, f64x4) - load4d(mean + i)) / __builtin_elementwise_sqrt(v);
        // Lanes with variance 0 become 0: an all-ones mask keeps the lane, an all-zeros one clears it.
        i64x4 keep = v != 0, bits;
        memcpy(&bits, &scaled, sizeof bits);
        bits &= keep;
        memcpy(&scaled, &bits, sizeof bits);
        store4d(out + i, scaled);
    }
    for (; i < n; i++) {
        double v = variance[i];
        out[i] = v == 0 ? 0 : ((double)x[i] - mean[i]) / sqrt(v);
    }
}

static inline uint8_t clip8_one(int32_t sum, int shift) {
    int32_t v = sum >> shift;
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// Integer loops: the compiler vectorises each clone for its target; integer math is exact, so
// both variants agree bit for bit.
CLONES void sc_accumulate_u8(int32_t *sums, const uint8_t *x, int32_t weight, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) sums[i] += (int32_t)x[i] * weight;
}

CLONES void sc_clip8(uint8_t *out, const int32_t *sums, int shift, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        out[i] = clip8_one(sums[i], shift);
    }
}

CLONES void sc_resample_row_rgb(uint8_t *out, const uint8_t *input, ptrdiff_t columns, const int32_t *first,
                                const int32_t *count, const int32_t *weights, ptrdiff_t kernel_size, int shift) {
    for (ptrdiff_t c = 0; c < columns; c++) {
        const uint8_t *pixel = input + (ptrdiff_t)first[c] * 3;
        const int32_t *k = weights + c * kernel_size;
        int32_t r = 1 << (shift - 1), g = r, b = r;
        for (int32_t t = 0; t < count[c]; t++) {
            r += (int32_t)pixel[0] * k[t];
            g += (int32_t)pixel[1] * k[t];
            b += (int32_t)pixel[2] * k[t];
            pixel += 3;
        }
        out[c * 3] = clip8_one(r, shift);
        out[c * 3 + 1] = clip8_one(g, shift);
        out[c * 3 + 2] = clip8_one(b, shift);
    }
}
