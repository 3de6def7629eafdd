// The Winograd transforms, compiled once per code path by winograd_kernels.c: it defines WG_TARGET (the
// function attribute), WG_LANES (floats per vector), WG_VEC (a vector of WG_LANES floats with 4-byte
// alignment, or float) and WG(name) (the path's name for a function) before including this file.
// Every formula is written once and runs on vectors of channels (contiguous in NHWC), then on the
// remaining channels one at a time.

// `x` holds the k-th input vector at x + k·xs, `y` receives the i-th output vector at y + i·ys; n floats each.
#define WG_LD(k) (*(const T *)(x + (long)(k) * xs + c))
#define WG_ST(i, value) (*(T *)(y + (long)(i) * ys + c) = (value))
#define WG_LOOP(...)                                                                                  \
    int c = 0;                                                                                         \
    for (; c + WG_LANES <= n; c += WG_LANES) {                                                         \
        typedef WG_VEC T;                                                                              \
        __VA_ARGS__                                                                                    \
    }                                                                                                  \
    for (; c < n; c++) {                                                                               \
        typedef float T;                                                                               \
        __VA_ARGS__                                                                                    \
    }
#define WG_1D(name, ...)                                                                              \
    WG_TARGET static inline void WG(name)(const float *restrict x, long xs, float *restrict y, long ys, int n) { \
        WG_LOOP(__VA_ARGS__)                                                                           \
    }

// F(2×2, 3×3): Bᵀ (4→4), B (4→4), Aᵀ (4→2), A (2→4), G (3→4), Gᵀ (4→3).
WG_1D(bt2, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3);
             WG_ST(0, x0 - x2); WG_ST(1, x1 + x2); WG_ST(2, x2 - x1); WG_ST(3, x1 - x3); })
WG_1D(b2, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3);
            WG_ST(0, x0); WG_ST(1, x1 - x2 + x3); WG_ST(2, x1 + x2 - x0); WG_ST(3, -x3); })
WG_1D(at2, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3);
             WG_ST(0, x0 + x1 + x2); WG_ST(1, x1 - x2 - x3); })
WG_1D(a2, { T x0 = WG_LD(0), x1 = WG_LD(1);
            WG_ST(0, x0); WG_ST(1, x0 + x1); WG_ST(2, x0 - x1); WG_ST(3, -x1); })
WG_1D(g2, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2);
            T even = 0.5f * (x0 + x2), odd = 0.5f * x1;
            WG_ST(0, x0); WG_ST(1, even + odd); WG_ST(2, even - odd); WG_ST(3, x2); })
WG_1D(gt2, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3);
             T sum = 0.5f * (x1 + x2), difference = 0.5f * (x1 - x2);
             WG_ST(0, x0 + sum); WG_ST(1, difference); WG_ST(2, sum + x3); })

// F(4×4, 3×3), interpolation points 0, ±1, ±2, ∞: Bᵀ (6→6), B (6→6), Aᵀ (6→4), A (4→6), G (3→6), Gᵀ (6→3).
WG_1D(bt4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3), x4 = WG_LD(4), x5 = WG_LD(5);
             T a = x4 - 4.0f * x2, b = x3 - 4.0f * x1, p = x4 - x2, q = 2.0f * (x3 - x1);
             WG_ST(0, 4.0f * x0 - 5.0f * x2 + x4);
             WG_ST(1, a + b); WG_ST(2, a - b);
             WG_ST(3, p + q); WG_ST(4, p - q);
             WG_ST(5, 4.0f * x1 - 5.0f * x3 + x5); })
WG_1D(b4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3), x4 = WG_LD(4), x5 = WG_LD(5);
            WG_ST(0, 4.0f * x0);
            WG_ST(1, 4.0f * (x2 - x1) + 2.0f * (x4 - x3) + 4.0f * x5);
            WG_ST(2, -5.0f * x0 - 4.0f * (x1 + x2) - (x3 + x4));
            WG_ST(3, (x1 - x2) + 2.0f * (x3 - x4) - 5.0f * x5);
            WG_ST(4, x0 + x1 + x2 + x3 + x4);
            WG_ST(5, x5); })
WG_1D(at4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3), x4 = WG_LD(4), x5 = WG_LD(5);
             T s1 = x1 + x2, d1 = x1 - x2, s2 = x3 + x4, d2 = x3 - x4;
             WG_ST(0, x0 + s1 + s2); WG_ST(1, d1 + 2.0f * d2); WG_ST(2, s1 + 4.0f * s2); WG_ST(3, d1 + 8.0f * d2 + x5); })
WG_1D(a4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3);
            T e1 = x0 + x2, o1 = x1 + x3, e2 = x0 + 4.0f * x2, o2 = 2.0f * x1 + 8.0f * x3;
            WG_ST(0, x0); WG_ST(1, e1 + o1); WG_ST(2, e1 - o1); WG_ST(3, e2 + o2); WG_ST(4, e2 - o2); WG_ST(5, x3); })
WG_1D(g4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2);
            T e6 = (x0 + x2) * (-1.0f / 6.0f), o6 = x1 * (-1.0f / 6.0f);
            T e24 = x0 * (1.0f / 24.0f) + x2 * (1.0f / 6.0f), o12 = x1 * (1.0f / 12.0f);
            WG_ST(0, x0 * 0.25f); WG_ST(1, e6 + o6); WG_ST(2, e6 - o6); WG_ST(3, e24 + o12); WG_ST(4, e24 - o12);
            WG_ST(5, x2); })
WG_1D(gt4, { T x0 = WG_LD(0), x1 = WG_LD(1), x2 = WG_LD(2), x3 = WG_LD(3), x4 = WG_LD(4), x5 = WG_LD(5);
             T s1 = x1 + x2, d1 = x2 - x1, s2 = x3 + x4, d2 = x3 - x4;
             WG_ST(0, x0 * 0.25f - s1 * (1.0f / 6.0f) + s2 * (1.0f / 24.0f));
             WG_ST(1, d1 * (1.0f / 6.0f) + d2 * (1.0f / 12.0f));
             WG_ST(2, (s2 - s1) * (1.0f / 6.0f) + x5); })

// A 2-D transform out = L·in·Lᵀ with one 1-D transform L (in_n → out_n): element (r, q) of the input at
// x + r·x_row + q·x_col, element (i, j) of the output at y + i·y_row + j·y_col, n floats each; tmp holds
// out_n·in_n·n floats.
#define WG_2D(name, f1d, in_n, out_n)                                                                  \
    WG_TARGET static inline void WG(name)(const float *x, long x_row, long x_col, float *tmp, float *y, \
                                          long y_row, long y_col, int n) {                             \
        for (int q = 0; q < (in_n); q++) WG(f1d)(x + q * x_col, x_row, tmp + q * n, (long)(in_n) * n, n); \
        for (int i = 0; i < (out_n); i++) WG(f1d)(tmp + (long)i * (in_n) * n, n, y + i * y_row, y_col, n); \
    }
WG_2D(input2, bt2, 4, 4)
WG_2D(input_adjoint2, b2, 4, 4)
WG_2D(output2, at2, 4, 2)
WG_2D(output_adjoint2, a2, 2, 4)
WG_2D(filter2, g2, 3, 4)
WG_2D(filter_adjoint2, gt2, 4, 3)
WG_2D(input4, bt4, 6, 6)
WG_2D(input_adjoint4, b4, 6, 6)
WG_2D(output4, at4, 6, 4)
WG_2D(output_adjoint4, a4, 4, 6)
WG_2D(filter4, g4, 3, 6)
WG_2D(filter_adjoint4, gt4, 6, 3)

typedef void (*WG(transform_2d))(const float *, long, long, float *, float *, long, long, int);

/* The size×size block of channels c0 ..< c0 + n at (top, left) of an image of height × width × channels
   (`base`): where the block lies inside the image and there is no `mask`, a pointer into it and its
   strides; otherwise the block copied into `patch` (size·size·n values) with zeros outside the image,
   and the patch's strides. With `mask` (laid out like `base`, may be NULL) a value is read as 0 where
   the mask is not positive (ReLU's gradient). */
WG_TARGET static const float *WG(read_block)(const float *base, const float *mask, int height, int width,
                                             int channels, int top, int left, int size, int c0, int n, float *patch,
                                             long *row_stride, long *column_stride) {
    if (!mask && top >= 0 && left >= 0 && top + size <= height && left + size <= width) {
        *row_stride = (long)width * channels;
        *column_stride = channels;
        return base + ((long)top * width + left) * channels + c0;
    }
    for (int r = 0; r < size; r++) {
        for (int q = 0; q < size; q++) {
            float *target = patch + (r * size + q) * n;
            int row = top + r, column = left + q;
            if (row < 0 || row >= height || column < 0 || column >= width) {
                for (int k = 0; k < n; k++) target[k] = 0;
            } else {
                const long at = ((long)row * width + column) * channels + c0;
                const float *from = base + at;
                if (mask) {
                    const float *signs = mask + at;
                    // Both loads are unconditional so that the select vectorises (no branch per value).
                    for (int k = 0; k < n; k++) {
                        const float value = from[k];
                        target[k] = signs[k] > 0 ? value : 0;
                    }
                } else {
                    for (int k = 0; k < n; k++) target[k] = from[k];
                }
            }
        }
    }
    *row_stride = (long)size * n;
    *column_stride = n;
    return patch;
}

WG_TARGET static void WG(input_transform)(int tile, const float *x, int height, int width, int channels,
                                          int pad_top, int pad_left, int tiles_h, int tiles_w, long first_tile,
                                          long tile_count, float *v) {
    const int alpha = tile + 2;
    float patch[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    const long plane = tile_count * channels;
    for (long t = 0; t < tile_count; t++) {
        const wg_tile_origin origin = wg_tile_at(first_tile + t, tile, tiles_h, tiles_w, pad_top, pad_left);
        const long image = origin.image;
        const int top = origin.top, left = origin.left;
        const float *base = x + image * height * width * (long)channels;
        for (int c0 = 0; c0 < channels; c0 += WG_CHANNEL_BLOCK) {
            int n = channels - c0 < WG_CHANNEL_BLOCK ? channels - c0 : WG_CHANNEL_BLOCK;
            long row_stride, column_stride;
            const float *source = WG(read_block)(base, NULL, height, width, channels, top, left, alpha, c0, n, patch,
                                                 &row_stride, &column_stride);
            float *target = v + t * channels + c0;
            if (tile == 2) WG(input2)(source, row_stride, column_stride, tmp, target, alpha * plane, plane, n);
            else WG(input4)(source, row_stride, column_stride, tmp, target, alpha * plane, plane, n);
        }
    }
}

WG_TARGET static void WG(output_transform)(int tile, const float *m, long tile_count, int channels,
                                           const float *bias, int relu, float *y, int out_h, int out_w,
                                           int tiles_h, int tiles_w, long first_tile) {
    const int alpha = tile + 2;
    float block[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    const long plane = tile_count * channels;
    for (long t = 0; t < tile_count; t++) {
        const wg_tile_origin origin = wg_tile_at(first_tile + t, tile, tiles_h, tiles_w, 0, 0);
        const long image = origin.image;
        const int top = origin.top, left = origin.left;
        int rows = out_h - top < tile ? out_h - top : tile, columns = out_w - left < tile ? out_w - left : tile;
        float *base = y + image * out_h * out_w * (long)channels;
        for (int c0 = 0; c0 < channels; c0 += WG_CHANNEL_BLOCK) {
            int n = channels - c0 < WG_CHANNEL_BLOCK ? channels - c0 : WG_CHANNEL_BLOCK;
            const float *source = m + t * channels + c0;
            if (tile == 2) WG(output2)(source, alpha * plane, plane, tmp, block, (long)tile * n, n, n);
            else WG(output4)(source, alpha * plane, plane, tmp, block, (long)tile * n, n, n);
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < columns; q++) {
                    const float *from = block + (r * tile + q) * n;
                    float *to = base + ((long)(top + r) * out_w + left + q) * channels + c0;
                    if (bias && relu) {
                        for (int k = 0; k < n; k++) { float value = from[k] + bias[c0 + k]; to[k] = value > 0 ? value : 0; }
                    } else if (bias) {
                        for (int k = 0; k < n; k++) to[k] = from[k] + bias[c0 + k];
                    } else if (relu) {
                        for (int k = 0; k < n; k++) to[k] = from[k] > 0 ? from[k] : 0;
                    } else {
                        for (int k = 0; k < n; k++) to[k] = from[k];
                    }
                }
            }
        }
    }
}

WG_TARGET static void WG(gradient_transform)(int tile, const float *dy, const float *relu_output, int out_h,
                                             int out_w, int channels, int tiles_h, int tiles_w, long first_tile,
                                             long tile_count, float *z) {
    const int alpha = tile + 2;
    float patch[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    const long plane = tile_count * channels;
    for (long t = 0; t < tile_count; t++) {
        const wg_tile_origin origin = wg_tile_at(first_tile + t, tile, tiles_h, tiles_w, 0, 0);
        const long image = origin.image;
        const int top = origin.top, left = origin.left;
        const long image_offset = image * out_h * out_w * (long)channels;
        const float *base = dy + image_offset, *mask = relu_output ? relu_output + image_offset : NULL;
        for (int c0 = 0; c0 < channels; c0 += WG_CHANNEL_BLOCK) {
            int n = channels - c0 < WG_CHANNEL_BLOCK ? channels - c0 : WG_CHANNEL_BLOCK;
            long row_stride, column_stride;
            const float *source = WG(read_block)(base, mask, out_h, out_w, channels, top, left, tile, c0, n, patch,
                                                 &row_stride, &column_stride);
            float *target = z + t * channels + c0;
            if (tile == 2) WG(output_adjoint2)(source, row_stride, column_stride, tmp, target, alpha * plane, plane, n);
            else WG(output_adjoint4)(source, row_stride, column_stride, tmp, target, alpha * plane, plane, n);
        }
    }
}

WG_TARGET static void WG(input_gradient_transform)(int tile, const float *m, long tile_count, int channels,
                                                   float *dx, int height, int width, int pad_top, int pad_left,
                                                   int tiles_h, int tiles_w, long first_tile) {
    const int alpha = tile + 2;
    float block[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    const long plane = tile_count * channels;
    for (long t = 0; t < tile_count; t++) {
        const wg_tile_origin origin = wg_tile_at(first_tile + t, tile, tiles_h, tiles_w, pad_top, pad_left);
        const long image = origin.image;
        const int top = origin.top, left = origin.left;
        float *base = dx + image * height * width * (long)channels;
        for (int c0 = 0; c0 < channels; c0 += WG_CHANNEL_BLOCK) {
            int n = channels - c0 < WG_CHANNEL_BLOCK ? channels - c0 : WG_CHANNEL_BLOCK;
            const float *source = m + t * channels + c0;
            if (tile == 2) WG(input_adjoint2)(source, alpha * plane, plane, tmp, block, (long)alpha * n, n, n);
            else WG(input_adjoint4)(source, alpha * plane, plane, tmp, block, (long)alpha * n, n, n);
            for (int r = 0; r < alpha; r++) {
                int row = top + r;
                if (row < 0 || row >= height) continue;
                for (int q = 0; q < alpha; q++) {
                    int column = left + q;
                    if (column < 0 || column >= width) continue;
                    const float *from = block + (r * alpha + q) * n;
                    float *to = base + ((long)row * width + column) * channels + c0;
                    for (int k = 0; k < n; k++) to[k] += from[k];
                }
            }
        }
    }
}

WG_TARGET static void WG(filter_transform)(int tile, const float *g, long count, float *u) {
    const int alpha = tile + 2;
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    for (long c0 = 0; c0 < count; c0 += WG_CHANNEL_BLOCK) {
        int n = count - c0 < WG_CHANNEL_BLOCK ? (int)(count - c0) : WG_CHANNEL_BLOCK;
        if (tile == 2) WG(filter2)(g + c0, 3 * count, count, tmp, u + c0, alpha * count, count, n);
        else WG(filter4)(g + c0, 3 * count, count, tmp, u + c0, alpha * count, count, n);
    }
}

WG_TARGET static void WG(filter_gradient_transform)(int tile, const float *m, long count, float *dg) {
    const int alpha = tile + 2;
    float tmp[WG_MAX_ALPHA * WG_MAX_ALPHA * WG_CHANNEL_BLOCK];
    for (long c0 = 0; c0 < count; c0 += WG_CHANNEL_BLOCK) {
        int n = count - c0 < WG_CHANNEL_BLOCK ? (int)(count - c0) : WG_CHANNEL_BLOCK;
        if (tile == 2) WG(filter_adjoint2)(m + c0, alpha * count, count, tmp, dg + c0, 3 * count, count, n);
        else WG(filter_adjoint4)(m + c0, alpha * count, count, tmp, dg + c0, 3 * count, count, n);
    }
}

#undef WG_LD
#undef WG_ST
#undef WG_LOOP
#undef WG_1D
#undef WG_2D
