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
                            spot_buffer *out, spot_decode_info *info) {
    spot_png_source src = {data, size, 0, 0, {0}};
    png_structp png = NULL;
    png_infop pinfo = NULL;
    // volatile: assigned between setjmp and a possible longjmp.
    png_bytep *volatile rows = NULL;
    unsigned char *volatile rgba = NULL;
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
        free(rgba);
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
    png_set_expand(png);              // palette -> RGB, gray < 8 bits -> 8, tRNS -> alpha
    png_set_strip_16(png);            // 16-bit samples keep their high byte (as Pillow)
    png_set_gray_to_rgb(png);
    if (!alpha) png_set_filler(png, 0xff, PNG_FILLER_AFTER);  // uniform RGBA rows below
    png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    if (png_get_rowbytes(png, pinfo) != (size_t)width * 4) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message), "unsupported PNG layout");
        return SPOT_ERR_UNSUPPORTED;
    }
    size_t rgb_bytes = (size_t)width * height * 3;
    rgba = malloc((size_t)width * height * 4);
    rows = malloc(sizeof(png_bytep) * height);
    if (rgba == NULL || rows == NULL || !spot_buffer_reserve(out, rgb_bytes)) {
        free(rows);
        free(rgba);
        png_destroy_read_struct(&png, &pinfo, NULL);
        snprintf(info->message, sizeof(info->message), "cannot allocate %zu bytes", rgb_bytes * 2);
        return SPOT_ERR_NO_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = rgba + (size_t)y * width * 4;
    png_read_image(png, rows);  // chunks after the image data are not needed (as Pillow)
    for (png_uint_32 y = 0; y < height; y++) {
        spot_composite_rgba_row(rows[y], out->data + (size_t)y * width * 3, (int)width);
    }
    free(rows);
    free(rgba);
    png_destroy_read_struct(&png, &pinfo, NULL);
    info->width = (int)width;
    info->height = (int)height;
    info->had_alpha = alpha;
    return SPOT_OK;
}
