import KestrelTensor

/// A batch of images as Float32 in NHWC layout (count × height × width × channels, row-major).
public struct ImageBatch: Sendable, Equatable {
    /// The pixel values, row-major NHWC.
    public var pixels: [Float]
    /// The number of images.
    public let count: Int
    /// The height of each image in pixels.
    public let height: Int
    /// The width of each image in pixels.
    public let width: Int
    /// The channels per pixel.
    public let channels: Int

    /// Wraps `pixels` of shape [count, height, width, channels]; a rank-3 shape [count, height, width] means one channel.
    public init(pixels: [Float], shape: [Int]) throws {
        let full = try Self.checkedImageShape(shape)
        guard let needed = Tensor.checkedElementCount(full), needed == pixels.count else {
            throw DataError.invalidArgument("shape", "\(shape) needs \(Tensor.checkedElementCount(full).map(String.init) ?? "more") values but \(pixels.count) were given")
        }
        self.pixels = pixels
        (count, height, width, channels) = (full[0], full[1], full[2], full[3])
    }

    /// [count, height, width, channels] of images of `shape`, N×H×W×C or N×H×W (one channel); throws for another rank.
    static func checkedImageShape(_ shape: [Int]) throws -> [Int] {
        switch shape.count {
        case 4: return shape
        case 3: return shape + [1]
        default: throw DataError.invalidArgument("shape", "images must be N×H×W×C or N×H×W, got \(shape)")
        }
    }

    /// A batch of zeros.
    public init(count: Int, height: Int, width: Int, channels: Int) {
        self.pixels = [Float](repeating: 0, count: count * height * width * channels)
        (self.count, self.height, self.width, self.channels) = (count, height, width, channels)
    }

    init(uncheckedPixels pixels: [Float], count: Int, height: Int, width: Int, channels: Int) {
        self.pixels = pixels
        (self.count, self.height, self.width, self.channels) = (count, height, width, channels)
    }

    /// [count, height, width, channels].
    public var shape: [Int] { [count, height, width, channels] }

    /// Values in one image.
    public var imageSize: Int { height * width * channels }

    /// The pixels of image `index` (height × width × channels).
    public func image(_ index: Int) -> ArraySlice<Float> {
        pixels[(index * imageSize)..<((index + 1) * imageSize)]
    }
}
