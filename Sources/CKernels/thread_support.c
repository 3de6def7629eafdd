#define _GNU_SOURCE
#include "thread_support.h"

#if defined(__linux__)
#include <sched.h>
#include <stdlib.h>

// Masks up to 8192 processors; a larger machine reports 0 here and falls back to the online count.
enum { kestrel_max_processors = 8192 };

int kestrel_affinity_processor_count(void) {
    cpu_set_t *set = CPU_ALLOC(kestrel_max_processors);
    if (!set) return 0;
    size_t size = CPU_ALLOC_SIZE(kestrel_max_processors);
    CPU_ZERO_S(size, set);
    int count = sched_getaffinity(0, size, set) == 0 ? CPU_COUNT_S(size, set) : 0;
    CPU_FREE(set);
    return count;
}

int kestrel_pin_calling_thread_to_one_processor(void) {
    cpu_set_t *set = CPU_ALLOC(kestrel_max_processors);
    if (!set) return -1;
    size_t size = CPU_ALLOC_SIZE(kestrel_max_processors);
    CPU_ZERO_S(size, set);
    int result = -1;
    if (sched_getaffinity(0, size, set) == 0) {
        for (int processor = 0; processor < kestrel_max_processors; processor++) {
            if (CPU_ISSET_S(processor, size, set)) {
                CPU_ZERO_S(size, set);
                CPU_SET_S(processor, size, set);
                result = sched_setaffinity(0, size, set);
                break;
            }
        }
    }
    CPU_FREE(set);
    return result;
}
#else
int kestrel_affinity_processor_count(void) { return 0; }
int kestrel_pin_calling_thread_to_one_processor(void) { return -1; }
#endif

static _Thread_local int kestrel_inside_section = 0;

int kestrel_in_parallel_section(void) { return kestrel_inside_section; }

void kestrel_set_in_parallel_section(int inside) { kestrel_inside_section = inside; }
