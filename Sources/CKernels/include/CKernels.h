// Kestrel's small C kernels: processor modes, spin-wait hints, thread affinity, and optimizer updates that need
// vector square roots (Swift cannot target AVX per function, C can, with a run-time CPU check).
#include "cpu_features.h"
#include "floating_point.h"
#include "spin_wait.h"
#include "optimizer_kernels.h"
#include "prefetch.h"
#include "thread_support.h"
#include "winograd_kernels.h"
