// What the processor's vector units offer, read once at run time (`__builtin_cpu_supports`): the C
// kernels pick their code path from it, and the engine its matrix-product library.
#ifndef KESTREL_CPU_FEATURES_H
#define KESTREL_CPU_FEATURES_H

/// The widest float vector this processor runs, in lanes: 16 (AVX-512F), 8 (AVX2 with FMA) or 1.
int kestrel_float_vector_width(void);

#endif
