// Thread support for Kestrel's worker pool: how many processors the calling thread may run on (its
// affinity mask, which `taskset`, a container's cpuset or numactl restrict), and a per-thread flag
// that marks threads inside a parallel section (pool helpers, and a caller while its job runs).
#ifndef KESTREL_THREAD_SUPPORT_H
#define KESTREL_THREAD_SUPPORT_H

/// The number of processors in the calling thread's affinity mask, or 0 when it cannot be read.
int kestrel_affinity_processor_count(void);

/// Restricts the calling thread to the first processor of its current mask; 0 on success.
/// (Used by the tests to check the thread count under a one-processor mask.)
int kestrel_pin_calling_thread_to_one_processor(void);

/// Whether the calling thread is inside a parallel section.
int kestrel_in_parallel_section(void);

/// Marks (1) or unmarks (0) the calling thread as being inside a parallel section.
void kestrel_set_in_parallel_section(int inside);

#endif
