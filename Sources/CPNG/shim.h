// libpng 1.6.
#ifndef SPOTCHECK_CPNG_SHIM_H
#define SPOTCHECK_CPNG_SHIM_H
#include <png.h>
#endif
