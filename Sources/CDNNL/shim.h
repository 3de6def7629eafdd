// oneDNN's C API (Debian: libdnnl-dev, oneDNN 2.6), used by KestrelTensor's OneDNNConvolution with the
// OneDNN package trait.
#include <oneapi/dnnl/dnnl.h>

// Debian builds oneDNN on GNU OpenMP (dnnl_config.h: DNNL_CPU_RUNTIME is DNNL_RUNTIME_OMP), so a primitive
// runs on as many threads as the calling thread's OpenMP setting allows; these two set and read it
// (libgomp, the OpenMP runtime libdnnl itself links).
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
