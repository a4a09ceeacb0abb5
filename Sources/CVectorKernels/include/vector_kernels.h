// Vector kernels behind LinearAlgebra.VectorKernels: the per-sample loops of the linear and
// online learners. Each function is compiled twice (AVX2 and baseline x86-64) and the loader
// picks the variant for the CPU it runs on (GNU ifunc through `target_clones`), so the package
// needs no compiler flags and still runs AVX2 code where the CPU has it.
//
// Every kernel keeps one fixed summation order (8 float or 4×4 double lanes, then a fixed
// reduction) and never contracts a*b+c into a fused multiply-add, so both variants return the
// same bits and a result never depends on the machine or the thread count.
#ifndef SPOTCHECK_VECTOR_KERNELS_H
#define SPOTCHECK_VECTOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Σ a[i]·b[i] over n floats.
float sc_dot_f32(const float *a, const float *b, ptrdiff_t n);
/// y[i] += alpha·x[i] over n floats.
void sc_axpy_f32(float alpha, const float *x, float *y, ptrdiff_t n);
/// x[i] *= alpha over n floats.
void sc_scale_f32(float alpha, float *x, ptrdiff_t n);

/// Σ a[i]·b[i] over n doubles.
double sc_dot_f64(const double *a, const double *b, ptrdiff_t n);
/// w[i] = w[i] − rate·(x[i]·g + l2·w[i]) over n doubles (river's SGD step; l2 = 0 skips the penalty).
void sc_sgd_step_f64(double *w, const double *x, ptrdiff_t n, double g, double rate, double l2);
/// w[i] += step·x[i] over n doubles.
void sc_add_scaled_f64(double *w, const double *x, ptrdiff_t n, double step);
/// Welford's update of running means and population variances with one float row, the
/// count `count` including it: mean += (x − mean₀)/count, var += ((x − mean₀)(x − mean) − var)/count.
void sc_welford_update(const float *x, double *mean, double *variance, ptrdiff_t n, double count);
/// out[i] = (x[i] − mean[i]) / √variance[i], or 0 where the variance is 0.
void sc_standardize(const float *x, const double *mean, const double *variance, double *out, ptrdiff_t n);

/// sums[i] += x[i]·weight over n bytes (a tap of the resampler's vertical pass; exact integer math).
void sc_accumulate_u8(int32_t *sums, const uint8_t *x, int32_t weight, ptrdiff_t n);
/// out[i] = clamp(sums[i] >> shift, 0, 255) over n sums (the resampler's fixed-point sums back to bytes).
void sc_clip8(uint8_t *out, const int32_t *sums, int shift, ptrdiff_t n);
/// One output row of the resampler's horizontal pass over RGB bytes: for each of `columns`
/// outputs, Σ input[(first[c] + t)·3 + ch] · weights[c·kernel_size + t] over t < count[c], started
/// at 1 << (shift − 1) and clipped like sc_clip8 (Pillow's ImagingResampleHorizontal_8bpc).
void sc_resample_row_rgb(uint8_t *out, const uint8_t *input, ptrdiff_t columns, const int32_t *first,
                         const int32_t *count, const int32_t *weights, ptrdiff_t kernel_size, int shift);

#endif
