// zlib's gzip stream reader (gzopen/gzread), used by FeatureStore's CSV reader for `.gz` input.
#ifndef SPOTCHECK_CZLIB_SHIM_H
#define SPOTCHECK_CZLIB_SHIM_H
#include <zlib.h>
#endif
