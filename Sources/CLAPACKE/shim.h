// LAPACKE's C interface (lapack_int is a macro: use Int32 from Swift).
#ifndef SPOTCHECK_CLAPACKE_SHIM_H
#define SPOTCHECK_CLAPACKE_SHIM_H
#include <lapacke.h>
#endif
