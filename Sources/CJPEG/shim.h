#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

// libjpeg reports fatal errors through error_exit, which must not return; Swift cannot setjmp/longjmp, so the
// whole decode and encode live here in C: errors jump back to the setjmp below and come out as a return code
// plus a message, never as an exit().

struct kestrel_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void kestrel_jpeg_error_exit(j_common_ptr info) {
    struct kestrel_jpeg_error *error = (struct kestrel_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

static void kestrel_jpeg_emit_message(j_common_ptr info, int level) {
    (void)info;
    (void)level; // warnings (e.g. premature end of data) are tolerated, as in PIL
}

/// Sets up `error` to report through the handlers above and returns the manager for `info.err`.
static inline struct jpeg_error_mgr *kestrel_jpeg_errors(struct kestrel_jpeg_error *error) {
    struct jpeg_error_mgr *manager = jpeg_std_error(&error->base);
    manager->error_exit = kestrel_jpeg_error_exit;
    manager->emit_message = kestrel_jpeg_emit_message;
    error->message[0] = 0;
    return manager;
}

/// (a * b + 127) / 255 rounded as PIL's MULDIV255 computes it.
static inline int kestrel_muldiv255(int a, int b) {
    int product = a * b + 128;
    return ((product >> 8) + product) >> 8;
}

/// Converts `count` CMYK pixels in place (4 bytes each) to RGB (3 bytes) or, with `grayscale`, to L (1 byte),
/// as PIL does: Adobe's JPEGs store inverted CMYK (PIL's "CMYK;I" when the APP14 marker is present), and
/// R = (255 - K) - (255 - K) * C / 255; L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16 (ITU-R 601-2).
static inline void kestrel_jpeg_cmyk_to_rgb(unsigned char *pixels, size_t count, int inverted, int grayscale) {
    for (size_t index = 0; index < count; index++) {
        const unsigned char *in = pixels + index * 4;
        int c = inverted ? 255 - in[0] : in[0], m = inverted ? 255 - in[1] : in[1];
        int y = inverted ? 255 - in[2] : in[2], k = inverted ? 255 - in[3] : in[3];
        int nk = 255 - k;
        int r = nk - kestrel_muldiv255(c, nk), g = nk - kestrel_muldiv255(m, nk), b = nk - kestrel_muldiv255(y, nk);
        if (grayscale) {
            pixels[index] = (unsigned char)((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
        } else {
            unsigned char *out = pixels + index * 3;
            out[0] = (unsigned char)r;
            out[1] = (unsigned char)g;
            out[2] = (unsigned char)b;
        }
    }
}

/// Decodes a JPEG held in memory to 8-bit gray (grayscale != 0) or RGB. On success returns 0 and a malloc'd
/// buffer in *pixels that the caller frees; on failure returns 1 and a message. When the header declares more
/// than max_pixels pixels it returns 2 with *width and *height set, before decoding allocates anything.
static inline int kestrel_jpeg_decode(const unsigned char *data, unsigned long size, int grayscale,
                                      unsigned long max_pixels,
                                      unsigned char **pixels, int *width, int *height, int *channels,
                                      char *message, int message_capacity) {
    struct jpeg_decompress_struct info;
    struct kestrel_jpeg_error error;
    unsigned char *volatile output = NULL;
    memset(&info, 0, sizeof info);
    info.err = kestrel_jpeg_errors(&error);
    if (setjmp(error.jump)) {
        snprintf(message, message_capacity, "%s", error.message);
        jpeg_destroy_decompress(&info);
        free(output);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, size);
    jpeg_read_header(&info, TRUE);
    if ((unsigned long long)info.image_width * info.image_height > max_pixels) {
        *width = (int)info.image_width;
        *height = (int)info.image_height;
        jpeg_destroy_decompress(&info);
        return 2;
    }
    // libjpeg cannot convert CMYK or YCCK to RGB ("Unsupported color conversion request"): those are read as
    // CMYK and converted below as PIL does (Keras's load_img), so the output is gray or RGB either way.
    int cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : (grayscale ? JCS_GRAYSCALE : JCS_RGB);
    jpeg_start_decompress(&info);
    size_t row_bytes = (size_t)info.output_width * info.output_components;
    output = malloc(row_bytes * info.output_height + 1);
    if (output == NULL) {
        snprintf(message, message_capacity, "out of memory for a %ux%u image", info.output_width, info.output_height);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = output + (size_t)info.output_scanline * row_bytes;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *pixels = output;
    *width = (int)info.output_width;
    *height = (int)info.output_height;
    *channels = info.output_components;
    if (cmyk) {
        kestrel_jpeg_cmyk_to_rgb(output, (size_t)info.output_width * info.output_height, info.saw_Adobe_marker, grayscale);
        *channels = grayscale ? 1 : 3;
    }
    jpeg_destroy_decompress(&info);
    return 0;
}

/// Encodes 8-bit gray (channels 1) or RGB (channels 3) pixels as a baseline JPEG. On success returns 0 and a
/// malloc'd buffer in *jpeg that the caller frees.
static inline int kestrel_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                                      unsigned char **jpeg, unsigned long *jpeg_size,
                                      char *message, int message_capacity) {
    struct jpeg_compress_struct info;
    struct kestrel_jpeg_error error;
    memset(&info, 0, sizeof info);
    info.err = kestrel_jpeg_errors(&error);
    *jpeg = NULL;
    *jpeg_size = 0;
    if (setjmp(error.jump)) {
        snprintf(message, message_capacity, "%s", error.message);
        jpeg_destroy_compress(&info);
        free(*jpeg);
        *jpeg = NULL;
        return 1;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, jpeg, jpeg_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t row_bytes = (size_t)width * channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)info.next_scanline * row_bytes);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return 0;
}
