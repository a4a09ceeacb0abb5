#include <stdlib.h>
#include "spotcheck_shims.h"
#include "internal.h"

void spot_buffer_free(spot_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->capacity = 0;
}

int spot_buffer_reserve(spot_buffer *buffer, size_t bytes) {
    if (buffer->capacity >= bytes) return 1;
    unsigned char *grown = realloc(buffer->data, bytes);
    if (grown == NULL) return 0;
    buffer->data = grown;
    buffer->capacity = bytes;
    return 1;
}

void spot_composite_rgba_row(const unsigned char *rgba, unsigned char *rgb, int width) {
    for (int x = 0; x < width; x++) {
        unsigned a = rgba[4 * x + 3];
        unsigned background = 255u * (255u - a) + 127u;
        rgb[3 * x + 0] = (unsigned char)((rgba[4 * x + 0] * a + background) / 255u);
        rgb[3 * x + 1] = (unsigned char)((rgba[4 * x + 1] * a + background) / 255u);
        rgb[3 * x + 2] = (unsigned char)((rgba[4 * x + 2] * a + background) / 255u);
    }
}
