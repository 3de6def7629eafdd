#include "optimizer_kernels.h"
#include <math.h>

// Exact IEEE arithmetic in the order written: no contraction into fused multiply-adds.
#pragma clang fp contract(off)

static inline float adam_element(float *weight, float gradient, float *mean, float *variance,
                                 float *maximum_variance, float alpha, float one_minus_beta1,
                                 float one_minus_beta2, float epsilon) {
    float m = *mean + (gradient - *mean) * one_minus_beta1;
    float v = *variance + (gradient * gradient - *variance) * one_minus_beta2;
    *mean = m;
    *variance = v;
    if (maximum_variance) {
        v = *maximum_variance < v ? v : *maximum_variance;
        *maximum_variance = v;
    }
    return *weight - (m * alpha) / (__builtin_sqrtf(v) + epsilon);
}

static void adam_portable(float *weights, const float *gradients, float *means, float *variances,
                          float *maximum_variances, long start, long count, float alpha,
                          float one_minus_beta1, float one_minus_beta2, float epsilon) {
    for (long i = start; i < count; i++) {
        weights[i] = adam_element(&weights[i], gradients[i], &means[i], &variances[i],
                                  maximum_variances ? &maximum_variances[i] : 0, alpha,
                                  one_minus_beta1, one_minus_beta2, epsilon);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static long adam_avx2(float *weights, const float *gradients, float *means,
                                                       float *variances, float *maximum_variances, long count,
                                                       float alpha, float one_minus_beta1,
                                                       float one_minus_beta2, float epsilon) {
    const __m256 a = _mm256_set1_ps(alpha), b1 = _mm256_set1_ps(one_minus_beta1);
    const __m256 b2 = _mm256_set1_ps(one_minus_beta2), e = _mm256_set1_ps(epsilon);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 g = _mm256_loadu_ps(gradients + i);
        __m256 m = _mm256_loadu_ps(means + i), v = _mm256_loadu_ps(variances + i);
        m = _mm256_add_ps(m, _mm256_mul_ps(_mm256_sub_ps(g, m), b1));
        v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(g, g), v), b2));
        _mm256_storeu_ps(means + i, m);
        _mm256_storeu_ps(variances + i, v);
        if (maximum_variances) {
            // max(v̂, v) as `v̂ < v ? v : v̂` (keeps v̂ when either is NaN, like the scalar path).
            v = _mm256_max_ps(v, _mm256_loadu_ps(maximum_variances + i));
            _mm256_storeu_ps(maximum_variances + i, v);
        }
        __m256 step = _mm256_div_ps(_mm256_mul_ps(m, a), _mm256_add_ps(_mm256_sqrt_ps(v), e));
        _mm256_storeu_ps(weights + i, _mm256_sub_ps(_mm256_loadu_ps(weights + i), step));
    }
    return i;
}

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return cached;
}
#endif

void kestrel_adam_update(float *weights, const float *gradients, float *means, float *variances,
                         float *maximum_variances, long count, float alpha, float one_minus_beta1,
                         float one_minus_beta2, float epsilon) {
    long done = 0;
#if defined(__x86_64__)
    if (has_avx2()) {
        done = adam_avx2(weights, gradients, means, variances, maximum_variances, count, alpha,
                         one_minus_beta1, one_minus_beta2, epsilon);
    }
#endif
    adam_portable(weights, gradients, means, variances, maximum_variances, done, count, alpha,
                  one_minus_beta1, one_minus_beta2, epsilon);
}
