import KestrelTensor

/// The geometric kernel on an `ImageBatch`: resamples each image of a batch through its own affine map
/// (`Tensor.resampled`, the one implementation the augmentation layers use as well).
public enum AffineWarp {
    /// Returns `batch` with image `i` resampled through `transforms[i]` (output → input coordinates).
    /// - Throws: `DataError` when `transforms` does not hold exactly one transform per image of `batch`.
    public static func apply(_ batch: ImageBatch, transforms: [AffineTransform], fillMode: FillMode = .reflect,
                             fillValue: Float = 0, interpolation: Interpolation = .bilinear) throws -> ImageBatch {
        guard transforms.count == batch.count else {
            throw DataError.invalidArgument("transforms", "\(transforms.count) transforms for a batch of \(batch.count) images; "
                + "pass exactly one AffineTransform per image (use .identity for images to leave unchanged)")
        }
        do {
            let output = try Tensor(shape: batch.shape, scalars: batch.pixels)
                .resampled(transforms, fillMode: fillMode, fillValue: fillValue, interpolation: interpolation)
            return ImageBatch(uncheckedPixels: output.scalars, count: batch.count, height: batch.height, width: batch.width,
                              channels: batch.channels)
        } catch {
            throw DataError("\(error)")
        }
    }
}
