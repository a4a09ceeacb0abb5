// Debian's oneDNN (libdnnl-dev, 2.6): the C API, plus the OpenMP call that sizes its thread
// team. Debian builds oneDNN with the OpenMP runtime (libgomp); omp.h is not visible to Swift,
// hence the declaration.
#ifndef SPOTCHECK_CDNNL_SHIM_H
#define SPOTCHECK_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>

/// OpenMP: the team size of the parallel regions the calling thread starts from now on.
void omp_set_num_threads(int num_threads);
#endif
