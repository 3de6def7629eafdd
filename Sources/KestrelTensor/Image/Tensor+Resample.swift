extension Tensor {
    /// Each image of an N×H×W×C batch (N×H×W: one channel, shape kept) resampled through its own
    /// affine map, `maps[i]` taking output pixel coordinates to input ones (Keras's image transform
    /// matrices, TensorFlow's `ImageProjectiveTransformV3`): the kernel of the geometric augmentations.
    /// Points outside the image follow `fillMode` (`fillValue` for `.constant`); between pixel centres
    /// `interpolation` applies. An identity map copies its image. Not differentiable: the result is a
    /// new input, like every augmentation's.
    /// - Throws: `KestrelError` when the tensor is not a batch of images or `maps` does not hold one map per image.
    public func resampled(_ maps: [AffineTransform], fillMode: FillMode = .reflect, fillValue: Float = 0,
                          interpolation: Interpolation = .bilinear) throws -> Tensor {
        guard rank == 3 || rank == 4 else {
            throw KestrelError.shapeMismatch("resampled needs images of shape N×H×W×C or N×H×W, got \(shape).")
        }
        guard maps.count == shape[0] else {
            throw KestrelError.invalidArgument(
                "resampled: \(maps.count) maps for \(shape[0]) images; pass one AffineTransform per image (.identity to keep one).")
        }
        let limit = 1e9
        for (index, map) in maps.enumerated() {
            let reach = map.reach(height: shape[1], width: shape[2])
            guard reach.isFinite, reach <= limit else {
                throw KestrelError.invalidArgument(
                    "resampled: map \(index) sends pixels to input coordinates as far as \(reach); give finite maps that stay within ±\(limit).")
            }
        }
        let image = ImageShape(count: shape[0], height: shape[1], width: shape[2], channels: rank == 4 ? shape[3] : 1)
        let result = try backend.makeStorage(checkedCount: count)
        backend.resample(storage, image, maps: maps, fillMode: fillMode, fillValue: fillValue, interpolation: interpolation, result)
        return Tensor(shape: shape, storage: result)
    }
}

extension AffineTransform {
    /// The largest input coordinate (in absolute value) the map sends an output pixel of a
    /// `height`×`width` image to: the largest at the four corners, as the map is affine (infinity for a
    /// map with a non-finite coefficient).
    func reach(height: Int, width: Int) -> Double {
        let right = Double(Swift.max(width - 1, 0)), bottom = Double(Swift.max(height - 1, 0))
        guard [xx, xy, dx, yx, yy, dy].allSatisfy(\.isFinite) else { return .infinity }
        var largest = 0.0
        for (x, y) in [(0.0, 0.0), (right, 0.0), (0.0, bottom), (right, bottom)] {
            let inputX: Double = xx * x + xy * y + dx
            let inputY: Double = yx * x + yy * y + dy
            largest = Swift.max(largest, Swift.abs(inputX), Swift.abs(inputY))
        }
        return largest
    }
}

/// The sizes of an NHWC batch of images (`KernelBackend.resample`).
struct ImageShape: Equatable {
    let count: Int, height: Int, width: Int, channels: Int

    /// Elements in one image.
    var imageSize: Int { height * width * channels }
}
