/// A split of an image classification dataset: UInt8 pixels (N×H×W or N×H×W×C, row-major) and integer labels.
public struct LabeledImages: Sendable, Equatable {
    /// Pixel values 0...255, row-major in `shape`.
    public var pixels: [UInt8]
    /// N×H×W for grayscale datasets (MNIST), N×H×W×C for colour ones (CIFAR).
    public var shape: [Int]
    /// One class index per image.
    public var labels: [Int]
    /// Class names, indexed by label.
    public var classNames: [String]

    /// Images of `shape` (count first) with one label per image, indexing `classNames`.
    public init(pixels: [UInt8], shape: [Int], labels: [Int], classNames: [String]) {
        self.pixels = pixels
        self.shape = shape
        self.labels = labels
        self.classNames = classNames
    }

    /// Number of images.
    public var count: Int { labels.count }

    /// Pixels as Float (0...255, not rescaled).
    public var floatPixels: [Float] { pixels.map { Float($0) } }
}
