#include "optimizer_kernels.h"
#include <math.h>

// Exact IEEE arithmetic in the order written: no contraction into fused multiply-adds.
#pragma clang fp contract(off)

static void adam_portable(const float *weights, const float *gradients, const float *means,
                          const float *variances, const float *maximum_variances, float *new_weights,
                          float *new_means, float *new_variances, float *new_maximum_variances, long start,
                          long count, float alpha, float one_minus_beta1, float one_minus_beta2,
                          float epsilon) {
    for (long i = start; i < count; i++) {
        float g = gradients[i];
        float m = means[i] + (g - means[i]) * one_minus_beta1;
        float v = variances[i] + (g * g - variances[i]) * one_minus_beta2;
        float w = weights[i];
        new_means[i] = m;
        new_variances[i] = v;
        if (maximum_variances) {
            float previous = maximum_variances[i];
            v = previous < v ? v : previous;
            new_maximum_variances[i] = v;
        }
        new_weights[i] = w - (m * alpha) / (__builtin_sqrtf(v) + epsilon);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static long adam_avx2(const float *weights, const float *gradients,
                                                       const float *means, const float *variances,
                                                       const float *maximum_variances, float *new_weights,
                                                       float *new_means, float *new_variances,
                                                       float *new_maximum_variances, long count, float alpha,
                                                       float one_minus_beta1, float one_minus_beta2,
                                                       float epsilon) {
    const __m256 a = _mm256_set1_ps(alpha), b1 = _mm256_set1_ps(one_minus_beta1);
    const __m256 b2 = _mm256_set1_ps(one_minus_beta2), e = _mm256_set1_ps(epsilon);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 g = _mm256_loadu_ps(gradients + i);
        __m256 m = _mm256_loadu_ps(means + i), v = _mm256_loadu_ps(variances + i);
        __m256 w = _mm256_loadu_ps(weights + i);
        m = _mm256_add_ps(m, _mm256_mul_ps(_mm256_sub_ps(g, m), b1));
        v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(g, g), v), b2));
        _mm256_storeu_ps(new_means + i, m);
        _mm256_storeu_ps(new_variances + i, v);
        if (maximum_variances) {
            // max(v̂, v) as `v̂ < v ? v : v̂` (keeps v̂ when either is NaN, like the scalar path).
            v = _mm256_max_ps(v, _mm256_loadu_ps(maximum_variances + i));
            _mm256_storeu_ps(new_maximum_variances + i, v);
        }
        __m256 step = _mm256_div_ps(_mm256_mul_ps(m, a), _mm256_add_ps(_mm256_sqrt_ps(v), e));
        _mm256_storeu_ps(new_weights + i, _mm256_sub_ps(w, step));
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

void kestrel_adam_update(const float *weights, const float *gradients, const float *means,
                         const float *variances, const float *maximum_variances, float *new_weights,
                         float *new_means, float *new_variances, float *new_maximum_variances, long count,
                         float alpha, float one_minus_beta1, float one_minus_beta2, float epsilon) {
    long done = 0;
#if defined(__x86_64__)
    if (has_avx2()) {
        done = adam_avx2(weights, gradients, means, variances, maximum_variances, new_weights, new_means,
                         new_variances, new_maximum_variances, count, alpha, one_minus_beta1,
                         one_minus_beta2, epsilon);
    }
#endif
    adam_portable(weights, gradients, means, variances, maximum_variances, new_weights, new_means,
                  new_variances, new_maximum_variances, done, count, alpha, one_minus_beta1, one_minus_beta2,
                  epsilon);
}
