#include "winograd_kernels.h"
#include "cpu_features.h"
#include <stddef.h>

// The transforms are sums of products with small constants; written out in one order and not contracted
// into fused multiply-adds, so the vector paths give exactly the portable path's results.
#pragma clang fp contract(off)

#define WG_MAX_ALPHA 6
#define WG_CHANNEL_BLOCK 64

/* Where tile `index` lies: its image, and the first row and column of its window, which starts `pad_top`
   rows and `pad_left` columns before the tile's output rows and columns (the padding for the windows the
   input-side transforms read or write, 0 for the output tiles). Tiles are numbered as winograd_kernels.h
   says; shared by the transforms of every code path. */
typedef struct {
    long image;
    int top, left;
} wg_tile_origin;

static inline wg_tile_origin wg_tile_at(long index, int tile, int tiles_h, int tiles_w, int pad_top, int pad_left) {
    const long per_image = (long)tiles_h * tiles_w;
    const int rest = (int)(index % per_image);
    wg_tile_origin origin = {index / per_image, (rest / tiles_w) * tile - pad_top, (rest % tiles_w) * tile - pad_left};
    return origin;
}

// Portable path.
#define WG_TARGET
#define WG_LANES 1
#define WG_VEC float
#define WG(name) name##_portable
#include "winograd_body.h"
#undef WG_TARGET
#undef WG_LANES
#undef WG_VEC
#undef WG

#if defined(__x86_64__)
typedef float wg_vec8 __attribute__((vector_size(32), aligned(4)));
typedef float wg_vec16 __attribute__((vector_size(64), aligned(4)));

#define WG_TARGET __attribute__((target("avx2,fma")))
#define WG_LANES 8
#define WG_VEC wg_vec8
#define WG(name) name##_avx2
#include "winograd_body.h"
#undef WG_TARGET
#undef WG_LANES
#undef WG_VEC
#undef WG

#define WG_TARGET __attribute__((target("avx512f")))
#define WG_LANES 16
#define WG_VEC wg_vec16
#define WG(name) name##_avx512
#include "winograd_body.h"
#undef WG_TARGET
#undef WG_LANES
#undef WG_VEC
#undef WG
#endif

/// The path for a requested width: the widest available one no wider than asked.
static int path(int requested) {
    int best = kestrel_float_vector_width();
    if (requested >= 16 && best >= 16) return 16;
    if (requested >= 8 && best >= 8) return 8;
    return 1;
}

void kestrel_winograd_input_transform(int tile, int vector_width, const float *x, int height, int width,
                                      int channels, int pad_top, int pad_left, int tiles_h, int tiles_w,
                                      long first_tile, long tile_count, float *v) {
#define ARGS (tile, x, height, width, channels, pad_top, pad_left, tiles_h, tiles_w, first_tile, tile_count, v)
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: input_transform_avx512 ARGS; break;
    case 8: input_transform_avx2 ARGS; break;
#endif
    default: input_transform_portable ARGS; break;
    }
#undef ARGS
}

void kestrel_winograd_output_transform(int tile, int vector_width, const float *m, long tile_count, int channels,
                                       const float *bias, int relu, float *y, int out_h, int out_w, int tiles_h,
                                       int tiles_w, long first_tile) {
#define ARGS (tile, m, tile_count, channels, bias, relu, y, out_h, out_w, tiles_h, tiles_w, first_tile)
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: output_transform_avx512 ARGS; break;
    case 8: output_transform_avx2 ARGS; break;
#endif
    default: output_transform_portable ARGS; break;
    }
#undef ARGS
}

void kestrel_winograd_gradient_transform(int tile, int vector_width, const float *dy, const float *relu_output,
                                         int out_h, int out_w, int channels, int tiles_h, int tiles_w, long first_tile,
                                         long tile_count, float *z) {
#define ARGS (tile, dy, relu_output, out_h, out_w, channels, tiles_h, tiles_w, first_tile, tile_count, z)
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: gradient_transform_avx512 ARGS; break;
    case 8: gradient_transform_avx2 ARGS; break;
#endif
    default: gradient_transform_portable ARGS; break;
    }
#undef ARGS
}

void kestrel_winograd_input_gradient_transform(int tile, int vector_width, const float *m, long tile_count,
                                               int channels, float *dx, int height, int width, int pad_top,
                                               int pad_left, int tiles_h, int tiles_w, long first_tile) {
#define ARGS (tile, m, tile_count, channels, dx, height, width, pad_top, pad_left, tiles_h, tiles_w, first_tile)
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: input_gradient_transform_avx512 ARGS; break;
    case 8: input_gradient_transform_avx2 ARGS; break;
#endif
    default: input_gradient_transform_portable ARGS; break;
    }
#undef ARGS
}

void kestrel_winograd_filter_transform(int tile, int vector_width, const float *g, long count, float *u) {
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: filter_transform_avx512(tile, g, count, u); break;
    case 8: filter_transform_avx2(tile, g, count, u); break;
#endif
    default: filter_transform_portable(tile, g, count, u); break;
    }
}

void kestrel_winograd_filter_gradient_transform(int tile, int vector_width, const float *m, long count, float *dg) {
    switch (path(vector_width)) {
#if defined(__x86_64__)
    case 16: filter_gradient_transform_avx512(tile, m, count, dg); break;
    case 8: filter_gradient_transform_avx2(tile, m, count, dg); break;
#endif
    default: filter_gradient_transform_portable(tile, m, count, dg); break;
    }
}
