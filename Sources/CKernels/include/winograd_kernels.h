// Winograd minimal filtering (Lavin & Gray 2016) for 3×3 stride-1 convolutions, NHWC float32: the
// transforms between the spatial and the transformed domain. The products in the transformed domain
// are GEMMs the caller runs (OpenBLAS).
//
// `tile` is the output tile m (2 for F(2×2,3×3), 4 for F(4×4,3×3)); α = m + 2 is the transformed tile.
// A transformed-domain array is laid out [α·α][tile_count][channels]: the ξ-th matrix of the batched
// GEMM is tile_count × channels, contiguous. Tiles are numbered over the batch as
// (image · tiles_h + tile_row) · tiles_w + tile_column; tile (i, r, c) covers output rows r·m..<r·m+m
// and columns c·m..<c·m+m, and reads input rows r·m − pad_top ..< r·m − pad_top + α (zero outside).
//
// `vector_width` picks the code path: 16 (AVX-512F), 8 (AVX2), 1 (portable C); any other value, or a
// width the processor lacks, falls back to the widest available path at most that wide
// (`kestrel_float_vector_width`). Every path
// performs the same IEEE operations in the same order (no fused multiply-add), so all paths give
// bit-identical results.

/// V = Bᵀ·d·B for every tile of `tile_count` tiles from `first_tile` of input x [N, height, width, channels].
void kestrel_winograd_input_transform(int tile, int vector_width, const float *x, int height, int width,
                                      int channels, int pad_top, int pad_left, int tiles_h, int tiles_w,
                                      long first_tile, long tile_count, float *v);

/// y = Aᵀ·M·A (+ bias[k], then max(0, ·) when `relu` is non-zero) for every tile, written into output
/// y [N, out_h, out_w, channels] where the tile lies inside it. `bias` may be NULL.
void kestrel_winograd_output_transform(int tile, int vector_width, const float *m, long tile_count, int channels,
                                       const float *bias, int relu, float *y, int out_h, int out_w, int tiles_h,
                                       int tiles_w, long first_tile);

/// Z = A·dy·Aᵀ for every tile of the output gradient dy [N, out_h, out_w, channels] (zero outside it):
/// the adjoint of the output transform. With `relu_output` (the output of a forward with `relu`, same
/// shape; may be NULL) each dy value is read as 0 where relu_output is not positive (ReLU's gradient).
void kestrel_winograd_gradient_transform(int tile, int vector_width, const float *dy, const float *relu_output,
                                         int out_h, int out_w,
                                         int channels, int tiles_h, int tiles_w, long first_tile, long tile_count,
                                         float *z);

/// dx += B·M·Bᵀ for every tile, added into the input gradient dx [N, height, width, channels] where the
/// α×α tile lies inside it (the adjoint of the input transform; tiles overlap, so calls over the same
/// image must not run at the same time).
void kestrel_winograd_input_gradient_transform(int tile, int vector_width, const float *m, long tile_count,
                                               int channels, float *dx, int height, int width, int pad_top,
                                               int pad_left, int tiles_h, int tiles_w, long first_tile);

/// U = G·g·Gᵀ of a kernel g [3, 3, count] (Keras layout, count = Cin·Cout) into u [α·α, count].
void kestrel_winograd_filter_transform(int tile, int vector_width, const float *g, long count, float *u);

/// dg = Gᵀ·M·G of m [α·α, count] into dg [3, 3, count] (the adjoint of the filter transform).
void kestrel_winograd_filter_gradient_transform(int tile, int vector_width, const float *m, long count, float *dg);
