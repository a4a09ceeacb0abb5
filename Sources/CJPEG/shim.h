// libjpeg-turbo's classic API (jpeglib.h needs stdio.h first).
#ifndef SPOTCHECK_CJPEG_SHIM_H
#define SPOTCHECK_CJPEG_SHIM_H
#include <stdio.h>
#include <jpeglib.h>
#endif
