// Elementwise optimizer updates over `count` floats. Each has an AVX2 path chosen at run time on
// processors that have it and a portable path; both round every operation exactly as the Swift
// reference formula does (IEEE square root and division, no fused multiply-add), so results do not
// depend on the processor.

/// Adam (Keras 3's formulation) for one variable, reading the old state and writing the new one
/// (an output may be the same array as its input: each element is read before it is written):
///   m' = m + (g − m)·(1 − β₁);  v' = v + (g² − v)·(1 − β₂);
///   v̂' = max(v̂, v') when `maximum_variances` is not NULL;
///   w' = w − (m'·α) / (√(v̂' or v') + ε)
void kestrel_adam_update(const float *weights, const float *gradients, const float *means,
                         const float *variances, const float *maximum_variances, float *new_weights,
                         float *new_means, float *new_variances, float *new_maximum_variances, long count,
                         float alpha, float one_minus_beta1, float one_minus_beta2, float epsilon);
