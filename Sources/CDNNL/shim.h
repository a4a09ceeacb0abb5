// Debian's oneDNN (libdnnl-dev, 2.6): the C API, plus the two OpenMP calls the engine needs.
// Debian builds oneDNN with the OpenMP runtime (libgomp), so its thread team is OpenMP's;
// omp.h is not visible to Swift, hence the declarations.
#ifndef SPOTCHECK_CDNNL_SHIM_H
#define SPOTCHECK_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>

/// OpenMP: the team size of the parallel regions the calling thread starts from now on.
void omp_set_num_threads(int num_threads);
/// OpenMP: the team size the calling thread's next parallel region would get.
int omp_get_max_threads(void);

#endif
