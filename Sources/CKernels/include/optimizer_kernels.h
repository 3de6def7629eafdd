// Elementwise optimizer updates over `count` floats. Each has an AVX2 path chosen at run time on
// processors that have it and a portable path; both round every operation exactly as the Swift
// reference formula does (IEEE square root and division, no fused multiply-add), so results do not
// depend on the processor.

/// Adam (Keras 3's formulation) for one variable:
///   m += (g − m)·(1 − β₁);  v += (g² − v)·(1 − β₂);  v̂ = max(v̂, v) when `maximum_variances` is not NULL;
///   w −= (m·α) / (√(v̂ or v) + ε)
void kestrel_adam_update(float *weights, const float *gradients, float *means, float *variances,
                         float *maximum_variances, long count, float alpha, float one_minus_beta1,
                         float one_minus_beta2, float epsilon);
