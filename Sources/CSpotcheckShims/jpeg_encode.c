// libjpeg-turbo encoding (used to make benchmark inputs), with the same longjmp recovery.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "spotcheck_shims.h"
#include "internal.h"

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
} spot_jpeg_encode_error;

static void spot_jpeg_encode_error_exit(j_common_ptr cinfo) {
    longjmp(((spot_jpeg_encode_error *)cinfo->err)->jump, 1);
}

spot_status spot_jpeg_encode_rgb(const unsigned char *rgb, int width, int height, int quality,
                                 spot_buffer *out, size_t *out_size, char message[200]) {
    struct jpeg_compress_struct cinfo;
    spot_jpeg_encode_error err;
    unsigned char *volatile encoded = NULL;
    unsigned long encoded_size = 0;
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = spot_jpeg_encode_error_exit;
    message[0] = 0;
    if (setjmp(err.jump)) {
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, message);
        jpeg_destroy_compress(&cinfo);
        free(encoded);
        return SPOT_ERR_CORRUPT;
    }
    jpeg_CreateCompress(&cinfo, JPEG_LIB_VERSION, sizeof(cinfo));
    unsigned char *destination = NULL;
    jpeg_mem_dest(&cinfo, &destination, &encoded_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row[1] = {(JSAMPROW)(rgb + (size_t)cinfo.next_scanline * (size_t)width * 3)};
        jpeg_write_scanlines(&cinfo, row, 1);
    }
    jpeg_finish_compress(&cinfo);
    encoded = destination;
    jpeg_destroy_compress(&cinfo);
    if (!spot_buffer_reserve(out, encoded_size)) {
        free(encoded);
        snprintf(message, 200, "cannot allocate %lu bytes", encoded_size);
        return SPOT_ERR_NO_MEMORY;
    }
    memcpy(out->data, encoded, encoded_size);
    *out_size = encoded_size;
    free(encoded);
    return SPOT_OK;
}
