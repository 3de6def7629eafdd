// Elementwise optimizer updates that need a square root. Written in C because Swift's
// Float.squareRoot() on Linux keeps errno semantics (a branch and a libm call per element), which
// stops vectorisation; __builtin_elementwise_sqrt is the plain instruction. `restrict`: the four
// arrays never overlap.

// Adam (Keras form): m += (g - m)(1 - beta1); v += (g² - v)(1 - beta2); w -= alpha·m / (sqrt(v) + epsilon).
static inline void kestrel_adam_update(float *restrict w, const float *restrict g, float *restrict m,
                                       float *restrict v, long count, float alpha, float one_minus_beta1,
                                       float one_minus_beta2, float epsilon) {
    for (long i = 0; i < count; i++) {
        float gradient = g[i];
        float mean = m[i] + (gradient - m[i]) * one_minus_beta1;
        float variance = v[i] + (gradient * gradient - v[i]) * one_minus_beta2;
        m[i] = mean;
        v[i] = variance;
        w[i] -= (mean * alpha) / (__builtin_elementwise_sqrt(variance) + epsilon);
    }
}
