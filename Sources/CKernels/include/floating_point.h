// Processor floating-point mode: flush subnormal results and inputs to zero (as TensorFlow does in its
// thread pools). Subnormal arithmetic is ~100x slower on x86 and appears in optimizer state that decays
// towards zero (Adam's moments of always-zero gradients).
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline void kestrel_flush_subnormals_to_zero(void) {
    _mm_setcsr(_mm_getcsr() | 0x8040); // FTZ (bit 15) | DAZ (bit 6)
}
#elif defined(__aarch64__)
static inline void kestrel_flush_subnormals_to_zero(void) {
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1UL << 24)));
}
#else
static inline void kestrel_flush_subnormals_to_zero(void) {}
#endif
