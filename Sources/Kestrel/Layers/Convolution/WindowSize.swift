/// A 2-D size (height, width) for kernels, pools and strides; write `3` for 3×3 or `[3, 5]`.
public struct WindowSize: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size along the height axis.
    public let height: Int
    /// The size along the width axis.
    public let width: Int

    /// A height × width window.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// A square window: `3` means 3×3.
    public init(integerLiteral value: Int) { self.init(value, value) }

    /// `[h, w]`; a single value means a square window.
    public init(arrayLiteral elements: Int...) {
        self.init(elements.first ?? 1, elements.count > 1 ? elements[1] : elements.first ?? 1)
    }

    var pair: (Int, Int) { (height, width) }
    var ints: [Int] { [height, width] }
    /// The message, which names what is at fault and the fix.
    public var description: String { "(\(height), \(width))" }

    /// Output size along one axis for Keras's padding rules.
    static func outputSize(_ size: Int, window: Int, stride: Int, padding: Padding) -> Int {
        switch padding {
        case .valid: return size >= window ? (size - window) / stride + 1 : 0
        case .same: return size <= 0 ? 0 : (size - 1) / stride + 1  // ceil(size / stride) without overflow
        }
    }

    /// The [height, width] a window of `self` with `strides` and `padding` produces from an image.
    func outputSpatialShape(height inputHeight: Int, width inputWidth: Int, strides: WindowSize, padding: Padding,
                            layer: String) throws -> (Int, Int) {
        guard self.height > 0, self.width > 0, strides.height > 0, strides.width > 0 else {
            throw KestrelError.invalidArgument("\(layer): window \(self) and strides \(strides) must be positive.")
        }
        let outputHeight = WindowSize.outputSize(inputHeight, window: self.height, stride: strides.height, padding: padding)
        let outputWidth = WindowSize.outputSize(inputWidth, window: self.width, stride: strides.width, padding: padding)
        guard outputHeight > 0, outputWidth > 0 else {
            throw KestrelError.shapeMismatch(
                "\(layer): a \(self) window with 'valid' padding does not fit a \(inputHeight)×\(inputWidth) input; use padding: .same or a smaller window.")
        }
        return (outputHeight, outputWidth)
    }
}
