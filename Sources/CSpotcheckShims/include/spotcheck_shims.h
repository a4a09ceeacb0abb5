// C helpers for what Swift cannot express: libjpeg and libpng report fatal errors by
// longjmp, which Swift cannot catch. The decoders here set the jump point in C and
// turn every failure into a return code plus a message. Both decode from memory into a
// caller-owned, growable buffer of 8-bit RGB pixels (row after row, R G B per pixel):
// grayscale is replicated, palettes expanded, 16-bit samples keep their high byte, CMYK
// is converted as Pillow does, and alpha is composited onto opaque white with Pillow's
// exact rounding. Nothing here calls exit() and nothing allocates beyond the limit given.
#ifndef SPOTCHECK_SHIMS_H
#define SPOTCHECK_SHIMS_H

#include <stddef.h>

/// Result codes of the decoders.
typedef enum {
    SPOT_OK = 0,
    SPOT_ERR_CORRUPT = 1,     ///< the codec rejected the data (message says why)
    SPOT_ERR_TRUNCATED = 2,   ///< the data ends before the image does
    SPOT_ERR_TOO_LARGE = 3,   ///< the header claims more pixels than the limit allows
    SPOT_ERR_NO_MEMORY = 4,   ///< the output buffer could not be allocated
    SPOT_ERR_UNSUPPORTED = 5, ///< a colour space this decoder does not convert
    SPOT_ERR_OVER_BUDGET = 6  ///< decoding would need more memory than the budget allows
} spot_status;

/// A growable output buffer owned by the caller; the decoders realloc `data` as needed.
/// Start with {NULL, 0}; release with spot_buffer_free.
typedef struct {
    unsigned char *data;
    size_t capacity;
} spot_buffer;

/// What a decode produced.
typedef struct {
    int width;            ///< output width in pixels (after any DCT scaling)
    int height;           ///< output height in pixels
    int source_width;     ///< width stored in the file
    int source_height;    ///< height stored in the file
    int had_alpha;        ///< 1 when an alpha channel or tRNS was composited onto white
    long long needed_bytes; ///< the memory the decode needs (or needed): output and work buffers
    char message[200];    ///< the reason, when the status is not SPOT_OK
} spot_decode_info;

/// Frees a buffer's storage and resets it to empty.
void spot_buffer_free(spot_buffer *buffer);

/// Grows the buffer to at least `bytes`, keeping its content; returns 0 when memory is exhausted.
int spot_buffer_reserve(spot_buffer *buffer, size_t bytes);

/// Decodes a JPEG held in memory to RGB8.
/// `min_short_side` > 0 lets libjpeg scale the DCT down (1/2, 1/4, 1/8) as long as the
/// shorter output side stays >= it; 0 decodes at full size. `max_pixels` bounds
/// width × height of the file's header before anything is allocated; `max_bytes` bounds the
/// memory of the decode: the output buffer, checked before it is allocated, and libjpeg's
/// whole-image work arrays (progressive and multi-scan files), refused past what is left.
spot_status spot_jpeg_decode(const unsigned char *data, size_t size, int min_short_side,
                             long long max_pixels, long long max_bytes, spot_buffer *out,
                             spot_decode_info *info);

/// Decodes a PNG held in memory to RGB8 (alpha composited onto white).
/// `max_pixels` bounds width × height of the header before anything is allocated;
/// `max_bytes` bounds the decode's buffers (width × height × 3 plus one row, or × 4 for
/// interlaced files, which need the whole image before compositing), checked before any is
/// allocated.
spot_status spot_png_decode(const unsigned char *data, size_t size, long long max_pixels,
                            long long max_bytes, spot_buffer *out, spot_decode_info *info);

/// Encodes RGB8 pixels as a baseline JPEG (libjpeg defaults: 4:2:0) of the given quality into
/// `out`; `out_size` receives the byte count. Used to make benchmark inputs.
spot_status spot_jpeg_encode_rgb(const unsigned char *rgb, int width, int height, int quality,
                                 spot_buffer *out, size_t *out_size, char message[200]);

#endif
