// A hint to the processor that the calling thread is spinning on a flag (x86 `pause`, Arm `yield`):
// it saves power and frees pipeline resources while Kestrel's worker threads poll for the next job.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
static inline void kestrel_spin_pause(void) { _mm_pause(); }
#elif defined(__aarch64__)
static inline void kestrel_spin_pause(void) { __asm__ volatile("yield"); }
#else
static inline void kestrel_spin_pause(void) {}
#endif
