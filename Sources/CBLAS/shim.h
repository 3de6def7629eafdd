// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
// OpenBLAS extension used to choose the thread count per call size.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
