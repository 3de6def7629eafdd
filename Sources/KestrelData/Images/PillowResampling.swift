/// Resizing with the arithmetic of Pillow's `Image.resize`, which `keras.utils.load_img` calls, so that
/// `loadImg(_:targetSize:interpolation:)` gives the pixels Keras gives.
///
/// - `nearest` samples the source pixel under each output pixel's centre, stepping through the source by
///   repeated addition of the scale (as Pillow's affine scaling does, so its floating-point rounding is kept).
/// - `bilinear` is Pillow's separable convolution: a triangle filter whose support is widened by the scale on
///   downscaling (antialiasing), coefficients normalised per output pixel and rounded to 22-bit fixed point,
///   a horizontal pass to 8 bits, then a vertical pass to 8 bits. Images with alpha are resampled premultiplied
///   and un-premultiplied afterwards, as Pillow does for RGBA.
enum PillowResampling {
    /// Bits after the binary point of Pillow's fixed-point coefficients for 8-bit images (32 − 8 − 2).
    static let precisionBits = 22

    /// The source columns (or rows) one output pixel reads, and their fixed-point weights.
    struct Taps {
        /// The first source index read.
        let first: Int
        /// The weights of the sources `first`, `first + 1`, ….
        let weights: [Int32]
    }

    /// `image` resized to `height` × `width` as Pillow resizes it with this interpolation.
    static func resized(_ image: RasterImage, height: Int, width: Int, interpolation: Interpolation) throws -> RasterImage {
        guard height > 0, width > 0 else {
            throw DataError.invalidArgument("targetSize", "(\(height), \(width)) must be positive")
        }
        if height == image.height && width == image.width { return image }
        _ = try ImageLimits.checkedValueCount(height: height, width: width, channels: image.channels, what: "targetSize")
        switch interpolation {
        case .nearest: return nearest(image, height: height, width: width)
        case .bilinear: return bilinear(image, height: height, width: width)
        }
    }

    /// The source index each output index reads under nearest sampling (Pillow's affine scaling table).
    static func nearestIndices(source: Int, output: Int) -> [Int] {
        let step = Double(source) / Double(output)
        var position = step * 0.5
        var indices: [Int] = []
        indices.reserveCapacity(output)
        for _ in 0..<output {
            indices.append(Swift.min(Int(position), source - 1))
            position += step
        }
        return indices
    }

    private static func nearest(_ image: RasterImage, height: Int, width: Int) -> RasterImage {
        let rows = nearestIndices(source: image.height, output: height)
        let columns = nearestIndices(source: image.width, output: width)
        let channels = image.channels
        var output = [UInt8](repeating: 0, count: height * width * channels)
        for (row, sourceRow) in rows.enumerated() {
            for (column, sourceColumn) in columns.enumerated() {
                let source = (sourceRow * image.width + sourceColumn) * channels
                let destination = (row * width + column) * channels
                for channel in 0..<channels { output[destination + channel] = image.pixels[source + channel] }
            }
        }
        return RasterImage(uncheckedPixels: output, height: height, width: width, channels: channels)
    }

    /// Pillow's bilinear taps for resampling `source` samples to `output` samples.
    static func bilinearTaps(source: Int, output: Int) -> [Taps] {
        let scale = Double(source) / Double(output)
        let filterScale = Swift.max(scale, 1)
        let support = filterScale  // the triangle filter's support is 1, widened on downscaling
        let inverseFilterScale = 1 / filterScale
        return (0..<output).map { index in
            let center = (Double(index) + 0.5) * scale
            let first = Swift.max(Int(center - support + 0.5), 0)
            let end = Swift.min(Int(center + support + 0.5), source)
            var weights = (first..<Swift.max(end, first)).map { sourceIndex -> Double in
                let distance = Swift.abs((Double(sourceIndex) - center + 0.5) * inverseFilterScale)
                return distance < 1 ? 1 - distance : 0
            }
            let total = weights.reduce(0, +)
            if total != 0 { weights = weights.map { $0 / total } }
            let unit = Double(1 << precisionBits)
            return Taps(first: first, weights: weights.map { Int32($0 < 0 ? -0.5 + $0 * unit : 0.5 + $0 * unit) })
        }
    }

    /// A fixed-point sum rounded back to 8 bits (Pillow's `clip8`).
    static func clip8(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> Int32(precisionBits))
    }

    private static func bilinear(_ image: RasterImage, height: Int, width: Int) -> RasterImage {
        let hasAlpha = image.channels == 2 || image.channels == 4
        var source = hasAlpha ? premultiplied(image) : image
        if width != image.width {
            source = pass(source, taps: bilinearTaps(source: image.width, output: width), horizontal: true)
        }
        if height != image.height {
            source = pass(source, taps: bilinearTaps(source: image.height, output: height), horizontal: false)
        }
        return hasAlpha ? unpremultiplied(source) : source
    }

    /// One separable pass: along rows (`horizontal`) or along columns, rounding to 8 bits.
    private static func pass(_ image: RasterImage, taps: [Taps], horizontal: Bool) -> RasterImage {
        let channels = image.channels
        let newWidth = horizontal ? taps.count : image.width
        let newHeight = horizontal ? image.height : taps.count
        var output = [UInt8](repeating: 0, count: newWidth * newHeight * channels)
        let half = Int32(1 << (precisionBits - 1))
        for row in 0..<newHeight {
            for column in 0..<newWidth {
                let tap = taps[horizontal ? column : row]
                for channel in 0..<channels {
                    var sum = half
                    for (offset, weight) in tap.weights.enumerated() {
                        let sourceRow = horizontal ? row : tap.first + offset
                        let sourceColumn = horizontal ? tap.first + offset : column
                        sum &+= Int32(image.pixels[(sourceRow * image.width + sourceColumn) * channels + channel]) &* weight
                    }
                    output[(row * newWidth + column) * channels + channel] = clip8(sum)
                }
            }
        }
        return RasterImage(uncheckedPixels: output, height: newHeight, width: newWidth, channels: channels)
    }

    /// Colour multiplied by alpha, rounded as Pillow's RGBA → RGBa conversion.
    static func premultiplied(_ image: RasterImage) -> RasterImage {
        var output = image
        let channels = image.channels
        for pixel in 0..<(image.height * image.width) {
            let base = pixel * channels
            let alpha = Int(image.pixels[base + channels - 1])
            for channel in 0..<(channels - 1) {
                let product = Int(image.pixels[base + channel]) * alpha + 128
                output.pixels[base + channel] = UInt8(((product >> 8) + product) >> 8)
            }
        }
        return output
    }

    /// Colour divided by alpha (truncating), as Pillow's RGBa → RGBA conversion; alpha 0 and 255 keep the colour.
    static func unpremultiplied(_ image: RasterImage) -> RasterImage {
        var output = image
        let channels = image.channels
        for pixel in 0..<(image.height * image.width) {
            let base = pixel * channels
            let alpha = Int(image.pixels[base + channels - 1])
            guard alpha != 0 && alpha != 255 else { continue }
            for channel in 0..<(channels - 1) {
                output.pixels[base + channel] = UInt8(Swift.min(255 * Int(image.pixels[base + channel]) / alpha, 255))
            }
        }
        return output
    }
}
