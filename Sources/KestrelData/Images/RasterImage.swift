/// A decoded 8-bit image: height × width × channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), row-major.
public struct RasterImage: Sendable, Equatable {
    /// The samples, row-major height × width × channels.
    public var pixels: [UInt8]
    /// The height in pixels.
    public let height: Int
    /// The width in pixels.
    public let width: Int
    /// The channels per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    public let channels: Int

    /// An image of these samples; throws when `pixels.count` is not height × width × channels or a size is not positive.
    public init(pixels: [UInt8], height: Int, width: Int, channels: Int) throws {
        let expected = try? ImageLimits.checkedValueCount(height: height, width: width, channels: channels, maximumPixels: .max, what: "pixels")
        guard (1...4).contains(channels), let expected, pixels.count == expected else {
            throw DataError.invalidArgument("pixels", "\(pixels.count) bytes do not form a \(height)×\(width)×\(channels) image (channels must be 1...4)")
        }
        self.pixels = pixels
        self.height = height
        self.width = width
        self.channels = channels
    }

    init(uncheckedPixels pixels: [UInt8], height: Int, width: Int, channels: Int) {
        self.pixels = pixels
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// The image in another colour mode. Gray from colour uses ITU-R 601 luma (as PIL's "L"); dropping alpha discards it.
    public func converted(to mode: ColorMode) -> RasterImage {
        let target = mode.channels
        if target == channels { return self }
        let pixelCount = height * width
        var output = [UInt8](repeating: 255, count: pixelCount * target)
        let hasColor = channels >= 3, hasAlpha = channels == 2 || channels == 4
        for pixel in 0..<pixelCount {
            let source = pixel * channels
            let red = pixels[source]
            let green = hasColor ? pixels[source + 1] : red
            let blue = hasColor ? pixels[source + 2] : red
            let alpha: UInt8 = hasAlpha ? pixels[source + channels - 1] : 255
            let destination = pixel * target
            switch mode {
            case .grayscale:
                // Pillow's fixed-point ITU-R 601 luma (its "L" conversion, which load_img uses).
                let redPart = Int(red) * 19595, greenPart = Int(green) * 38470, bluePart = Int(blue) * 7471
                output[destination] = hasColor ? UInt8((redPart + greenPart + bluePart + 0x8000) >> 16) : red
            case .rgb, .rgba:
                output[destination] = red
                output[destination + 1] = green
                output[destination + 2] = blue
                if mode == .rgba { output[destination + 3] = alpha }
            }
        }
        return RasterImage(uncheckedPixels: output, height: height, width: width, channels: target)
    }

    /// Resized to `height` × `width`, sampling at half-pixel centres (as `tf.image.resize`).
    public func resized(height newHeight: Int, width newWidth: Int, interpolation: Interpolation = .bilinear) throws -> RasterImage {
        guard newHeight > 0, newWidth > 0 else {
            throw DataError.invalidArgument("targetSize", "(\(newHeight), \(newWidth)) must be positive")
        }
        if newHeight == height && newWidth == width { return self }
        let count = try ImageLimits.checkedValueCount(height: newHeight, width: newWidth, channels: channels, what: "targetSize")
        var output = [UInt8](repeating: 0, count: count)
        let scaleY = Double(height) / Double(newHeight), scaleX = Double(width) / Double(newWidth)
        for y in 0..<newHeight {
            let sourceY = (Double(y) + 0.5) * scaleY - 0.5
            for x in 0..<newWidth {
                let sourceX = (Double(x) + 0.5) * scaleX - 0.5
                let destination = (y * newWidth + x) * channels
                switch interpolation {
                case .nearest:
                    let row = Swift.min(Int((Double(y) + 0.5) * scaleY), height - 1)
                    let column = Swift.min(Int((Double(x) + 0.5) * scaleX), width - 1)
                    let source = (row * width + column) * channels
                    for channel in 0..<channels { output[destination + channel] = pixels[source + channel] }
                case .bilinear:
                    let clampedY = Swift.min(Swift.max(sourceY, 0), Double(height - 1))
                    let clampedX = Swift.min(Swift.max(sourceX, 0), Double(width - 1))
                    let y0 = Int(clampedY), x0 = Int(clampedX)
                    let y1 = Swift.min(y0 + 1, height - 1), x1 = Swift.min(x0 + 1, width - 1)
                    let fractionY = clampedY - Double(y0), fractionX = clampedX - Double(x0)
                    for channel in 0..<channels {
                        func at(_ row: Int, _ column: Int) -> Double { Double(pixels[(row * width + column) * channels + channel]) }
                        let top = at(y0, x0) * (1 - fractionX) + at(y0, x1) * fractionX
                        let bottom = at(y1, x0) * (1 - fractionX) + at(y1, x1) * fractionX
                        output[destination + channel] = UInt8(Swift.min(Swift.max((top * (1 - fractionY) + bottom * fractionY).rounded(), 0), 255))
                    }
                }
            }
        }
        return RasterImage(uncheckedPixels: output, height: newHeight, width: newWidth, channels: channels)
    }
}
