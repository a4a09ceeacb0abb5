// Helpers shared by the two decoders (not part of the module's public header).
#ifndef SPOTCHECK_SHIMS_INTERNAL_H
#define SPOTCHECK_SHIMS_INTERNAL_H
#include <stddef.h>
#include "spotcheck_shims.h"

/// Pillow's alpha_composite onto opaque white: v = (c·a + 255·(255 − a) + 127) / 255.
void spot_composite_rgba_row(const unsigned char *rgba, unsigned char *rgb, int width);
#endif
