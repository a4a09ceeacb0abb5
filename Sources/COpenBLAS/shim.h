// OpenBLAS's CBLAS interface plus its thread controls.
#ifndef SPOTCHECK_COPENBLAS_SHIM_H
#define SPOTCHECK_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
