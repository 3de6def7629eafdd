import KestrelTensor

/// Loads an image file, like `keras.utils.load_img`: converted to `colorMode` and, when `targetSize` (height, width)
/// is given, resized with `interpolation` (Keras's default here is nearest) with Pillow's arithmetic, so the
/// pixels are the ones Keras gives (bilinear antialiases on downscaling, as Pillow does). Files declaring more
/// than `maximumPixels` pixels are an error, checked before decoding.
public func loadImg(_ path: String, targetSize: (height: Int, width: Int)? = nil, colorMode: ColorMode = .rgb,
                    interpolation: Interpolation = .nearest,
                    maximumPixels: Int = ImageLimits.defaultMaximumPixels) throws -> RasterImage {
    var image = try ImageFile.read(path, maximumPixels: maximumPixels).converted(to: colorMode)
    if let targetSize {
        image = try PillowResampling.resized(image, height: targetSize.height, width: targetSize.width, interpolation: interpolation)
    }
    return image
}

/// The image as a Float tensor of values 0...255 and shape [height, width, channels], like
/// `keras.utils.img_to_array`; `expandDims(x, axis: 0)` makes it a batch of one for `predict`.
public func imgToArray(_ image: RasterImage) throws -> Tensor {
    try Tensor(shape: [image.height, image.width, image.channels], bytes: image.pixels)
}

/// An image from H×W×C Float values, like `keras.utils.array_to_img`: with `scale`, values are first stretched
/// to 0...255 from their own minimum and maximum; otherwise they are clipped to 0...255.
public func arrayToImg(_ values: [Float], shape: [Int], scale: Bool = true) throws -> RasterImage {
    let full = shape.count == 2 ? shape + [1] : shape
    guard full.count == 3, Tensor.checkedElementCount(full) == values.count else {
        throw DataError.invalidArgument("shape", "\(shape) must be H×W or H×W×C and describe \(values.count) values")
    }
    var scaled = values
    if scale, let low = values.min(), let high = values.max() {
        let span = high - low
        scaled = values.map { span > 0 ? ($0 - low) / span * 255 : 0 }
    }
    let bytes = scaled.map { UInt8(Swift.min(Swift.max($0.rounded(), 0), 255)) }
    return try RasterImage(pixels: bytes, height: full[0], width: full[1], channels: full[2])
}

/// Saves H×W×C Float values as an image file (PNG or JPEG by extension), like `keras.utils.save_img`.
public func saveImg(_ path: String, _ values: [Float], shape: [Int], scale: Bool = true) throws {
    try ImageFile.write(arrayToImg(values, shape: shape, scale: scale), to: path)
}
