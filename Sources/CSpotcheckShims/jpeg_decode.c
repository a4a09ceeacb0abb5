// libjpeg-turbo decoding with an error manager that longjmps back here instead of exit().
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "spotcheck_shims.h"
#include "internal.h"

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int hit_eof;   // libjpeg warned that the data ended early (it would pad with grey)
} spot_jpeg_error;

static void spot_jpeg_error_exit(j_common_ptr cinfo) {
    spot_jpeg_error *err = (spot_jpeg_error *)cinfo->err;
    longjmp(err->jump, 1);
}

static void spot_jpeg_emit_message(j_common_ptr cinfo, int level) {
    spot_jpeg_error *err = (spot_jpeg_error *)cinfo->err;
    if (level < 0 && err->base.msg_code == JWRN_JPEG_EOF) err->hit_eof = 1;
    if (level < 0) err->base.num_warnings++;
}

static void spot_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

/// Pillow reads Adobe CMYK JPEGs as inverted ("CMYK;I") and converts with
/// R = nk − MULDIV255(C, nk), nk = 255 − K; here raw values are libjpeg's.
static void spot_cmyk_row(const unsigned char *cmyk, unsigned char *rgb, int width, int inverted) {
    for (int x = 0; x < width; x++) {
        int c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        int nk = 255 - k;
        int t;
        t = c * nk + 128; rgb[3 * x + 0] = (unsigned char)(nk - (((t >> 8) + t) >> 8));
        t = m * nk + 128; rgb[3 * x + 1] = (unsigned char)(nk - (((t >> 8) + t) >> 8));
        t = y * nk + 128; rgb[3 * x + 2] = (unsigned char)(nk - (((t >> 8) + t) >> 8));
    }
}

spot_status spot_jpeg_decode(const unsigned char *data, size_t size, int min_short_side,
                             long long max_pixels, long long max_bytes, spot_buffer *out,
                             spot_decode_info *info) {
    struct jpeg_decompress_struct cinfo;
    spot_jpeg_error err;
    // volatile: modified between setjmp and a possible longjmp.
    unsigned char *volatile row_scratch = NULL;
    memset(info, 0, sizeof(*info));
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = spot_jpeg_error_exit;
    err.base.emit_message = spot_jpeg_emit_message;
    err.base.output_message = spot_jpeg_output_message;
    err.hit_eof = 0;
    if (setjmp(err.jump)) {
        int code = err.base.msg_code;
        free(row_scratch);
        if (code == JERR_NO_BACKING_STORE || code == JERR_OUT_OF_MEMORY) {
            // libjpeg wanted whole-image work arrays beyond max_memory_to_use.
            snprintf(info->message, sizeof(info->message),
                     "its work arrays need more memory than the budget of %lld bytes", max_bytes);
            jpeg_destroy_decompress(&cinfo);
            return SPOT_ERR_OVER_BUDGET;
        }
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, info->message);
        jpeg_destroy_decompress(&cinfo);
        return err.hit_eof ? SPOT_ERR_TRUNCATED : SPOT_ERR_CORRUPT;
    }
    jpeg_CreateDecompress(&cinfo, JPEG_LIB_VERSION, sizeof(cinfo));
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    info->source_width = (int)cinfo.image_width;
    info->source_height = (int)cinfo.image_height;
    if (cinfo.image_width == 0 || cinfo.image_height == 0 ||
        (long long)cinfo.image_width * (long long)cinfo.image_height > max_pixels) {
        snprintf(info->message, sizeof(info->message),
                 "header claims %u x %u pixels, over the limit of %lld pixels",
                 cinfo.image_width, cinfo.image_height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return SPOT_ERR_TOO_LARGE;
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) {
        cinfo.out_color_space = JCS_CMYK;
    } else if (cinfo.jpeg_color_space == JCS_GRAYSCALE || cinfo.jpeg_color_space == JCS_YCbCr ||
               cinfo.jpeg_color_space == JCS_RGB) {
        cinfo.out_color_space = JCS_RGB;
    } else {
        snprintf(info->message, sizeof(info->message), "unsupported JPEG colour space %d",
                 (int)cinfo.jpeg_color_space);
        jpeg_destroy_decompress(&cinfo);
        return SPOT_ERR_UNSUPPORTED;
    }
    if (min_short_side > 0) {
        unsigned shorter = cinfo.image_width < cinfo.image_height ? cinfo.image_width : cinfo.image_height;
        unsigned denom = 8;
        while (denom > 1 && (shorter + denom - 1) / denom < (unsigned)min_short_side) denom /= 2;
        cinfo.scale_num = 1;
        cinfo.scale_denom = denom;
    }
    jpeg_calc_output_dimensions(&cinfo);
    long long needed = (long long)cinfo.output_width * (long long)cinfo.output_height * 3 +
                       (cmyk ? (long long)cinfo.output_width * 4 : 0);
    info->needed_bytes = needed;
    if (needed > max_bytes) {
        snprintf(info->message, sizeof(info->message),
                 "decoding %u x %u pixels needs %lld bytes, over the budget of %lld bytes",
                 cinfo.output_width, cinfo.output_height, needed, max_bytes);
        jpeg_destroy_decompress(&cinfo);
        return SPOT_ERR_OVER_BUDGET;
    }
    // What is left bounds libjpeg's whole-image arrays (it refuses instead of growing past it).
    // (0 would mean no limit at all, hence at least 1.)
    cinfo.mem->max_memory_to_use = (long)(max_bytes - needed > 0 ? max_bytes - needed : 1);
    jpeg_start_decompress(&cinfo);
    int width = (int)cinfo.output_width, height = (int)cinfo.output_height;
    size_t bytes = (size_t)width * (size_t)height * 3;
    if (!spot_buffer_reserve(out, bytes)) {
        snprintf(info->message, sizeof(info->message), "cannot allocate %zu bytes", bytes);
        jpeg_destroy_decompress(&cinfo);
        return SPOT_ERR_NO_MEMORY;
    }
    if (cmyk) {
        row_scratch = malloc((size_t)width * 4);
        if (row_scratch == NULL) {
            snprintf(info->message, sizeof(info->message), "cannot allocate a row");
            jpeg_destroy_decompress(&cinfo);
            return SPOT_ERR_NO_MEMORY;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        unsigned char *row = out->data + (size_t)cinfo.output_scanline * (size_t)width * 3;
        if (cmyk) {
            JSAMPROW rows[1] = {row_scratch};
            jpeg_read_scanlines(&cinfo, rows, 1);
            spot_cmyk_row(row_scratch, row, width, cinfo.saw_Adobe_marker);
        } else {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
        if (err.hit_eof) break;
    }
    free(row_scratch);
    row_scratch = NULL;
    if (err.hit_eof) {
        snprintf(info->message, sizeof(info->message),
                 "the data ends before the image does (truncated file)");
        jpeg_destroy_decompress(&cinfo);
        return SPOT_ERR_TRUNCATED;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    info->width = width;
    info->height = height;
    return SPOT_OK;
}
