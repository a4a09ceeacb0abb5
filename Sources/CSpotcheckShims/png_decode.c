// libpng decoding with setjmp error recovery, reading from memory.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include "spotcheck_shims.h"
#include "internal.h"

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    int ran_out;               // the reader was asked for bytes past the end
    char message[200];
} spot_png_source;

static void spot_png_read(png_structp png, png_bytep dest, png_size_t length) {
    spot_png_source *src = (spot_png_source *)png_get_io_ptr(png);
    if (length > src->size - src->offset) {
        src->ran_out = 1;
        png_error(png, "the data ends before the image does (truncated file)");
    }
    memcpy(dest, src->data + src->offset, length);
    src->offset += length;
}

static void spot_png_error(png_structp png, png_const_charp message) {
    spot_png_source *src = (spot_png_source *)png_get_error_ptr(png);
    snprintf(src->message, sizeof(src->message), "%s", message);
    png_longjmp(png, 1);
}

static void spot_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

spot_status spot_png_decode(const unsigned char *data, size_t size, long long max_pixels,
                            long long max_bytes, spot_buffer *out, spot_decode_info *info) {
    spot_png_source src = {data, size, 0, 0, {0}};
    png_structp png = NULL;
    png_infop pinfo = NULL;
    // volatile: assigned between setjmp and a possible longjmp.
    png_bytep *volatile rows = NULL;
    unsigned char *volatile row_scratch = NULL;
    memset(info, 0, sizeof(*info));
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, spot_png_error, spot_png_warning);
    if (png == NULL) {
        snprintf(info->message, sizeof(info->message), "cannot create a libpng reader");
        return SPOT_ERR_NO_MEMORY;
    }
    pinfo = png_create_info_struct(png);
    if (pinfo == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(info->message, sizeof(info->message), "cannot create a libpng reader");
        return SPOT_ERR_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(row_scratch);
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message), "%s", src.message);
        return src.ran_out ? SPOT_ERR_TRUNCATED : SPOT_ERR_CORRUPT;
    }
    png_set_read_fn(png, &src, spot_png_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, pinfo);
    png_uint_32 width = png_get_image_width(png, pinfo);
    png_uint_32 height = png_get_image_height(png, pinfo);
    info->source_width = (int)width;
    info->source_height = (int)height;
    if ((long long)width * (long long)height > max_pixels) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message),
                 "header claims %u x %u pixels, over the limit of %lld pixels",
                 width, height, max_pixels);
        return SPOT_ERR_TOO_LARGE;
    }
    int color_type = png_get_color_type(png, pinfo);
    int has_trns = png_get_valid(png, pinfo, PNG_INFO_tRNS) != 0;
    int alpha = has_trns || (color_type & PNG_COLOR_MASK_ALPHA) != 0;
    int interlaced = png_get_interlace_type(png, pinfo) != PNG_INTERLACE_NONE;
    // Interlaced (Adam7) images arrive in passes that each touch the whole image, so they are
    // read whole as RGBA into the output buffer and compacted to RGB in place; others are read
    // row by row through one RGBA row.
    long long pixels = (long long)width * (long long)height;
    long long needed = interlaced ? pixels * 4 + (long long)height * (long long)sizeof(png_bytep)
                                  : pixels * 3 + (long long)width * 4;
    info->needed_bytes = needed;
    if (needed > max_bytes) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message),
                 "decoding %u x %u pixels%s needs %lld bytes, over the budget of %lld bytes",
                 width, height, interlaced ? " (interlaced)" : "", needed, max_bytes);
        return SPOT_ERR_OVER_BUDGET;
    }
    png_set_expand(png);              // palette -> RGB, gray < 8 bits -> 8, tRNS -> alpha
    png_set_strip_16(png);            // 16-bit samples keep their high byte (as Pillow)
    png_set_gray_to_rgb(png);
    if (!alpha) png_set_filler(png, 0xff, PNG_FILLER_AFTER);  // uniform RGBA rows below
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    if (png_get_rowbytes(png, pinfo) != (size_t)width * 4) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message), "unsupported PNG layout");
        return SPOT_ERR_UNSUPPORTED;
    }
    size_t rgba_row = (size_t)width * 4;
    int reserved = interlaced ? spot_buffer_reserve(out, (size_t)pixels * 4)
                              : spot_buffer_reserve(out, (size_t)pixels * 3);
    if (interlaced) {
        rows = reserved ? malloc(sizeof(png_bytep) * height) : NULL;
    } else {
        row_scratch = reserved ? malloc(rgba_row) : NULL;
    }
    if (!reserved || (interlaced ? rows == NULL : row_scratch == NULL)) {
        free(rows);
        free(row_scratch);
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message), "cannot allocate %lld bytes", needed);
        return SPOT_ERR_NO_MEMORY;
    }
    if (interlaced) {
        for (png_uint_32 y = 0; y < height; y++) rows[y] = out->data + (size_t)y * rgba_row;
        png_read_image(png, rows);
        // RGB pixel i lands at byte 3i, never after RGBA pixel i's byte 4i: compacting in
        // increasing order reads every pixel before it is overwritten.
        for (png_uint_32 y = 0; y < height; y++) {
            spot_composite_rgba_row(out->data + (size_t)y * rgba_row, out->data + (size_t)y * width * 3, (int)width);
        }
    } else {
        (void)passes;
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(png, row_scratch, NULL);
            spot_composite_rgba_row(row_scratch, out->data + (size_t)y * width * 3, (int)width);
        }
    }
    // Chunks after the image data are not needed (as Pillow).
    free(rows);
    free(row_scratch);
    png_destroy_read_struct(&png, &pinfo, NULL);
    info->width = (int)width;
    info->height = (int)height;
    info->had_alpha = alpha;
    return SPOT_OK;
}
