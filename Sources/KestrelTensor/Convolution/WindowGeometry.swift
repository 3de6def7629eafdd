/// Sizes and offsets of a sliding 2-D window over an NHWC batch: the shared geometry of convolution
/// and pooling.
struct WindowGeometry: Sendable, Equatable {
    let batch: Int
    let inputHeight: Int
    let inputWidth: Int
    let channels: Int
    let windowHeight: Int
    let windowWidth: Int
    let strideHeight: Int
    let strideWidth: Int
    let padTop: Int
    let padLeft: Int
    let outputHeight: Int
    let outputWidth: Int

    /// Validates the arguments and derives the output size and padding (TensorFlow's rules).
    init(operation: String, inputShape: [Int], window: (Int, Int), strides: (Int, Int), padding: Padding) throws {
        guard inputShape.count == 4 else {
            throw KestrelError.shapeMismatch(
                "\(operation): input must have rank 4 [batch, height, width, channels] (NHWC), got shape \(inputShape).")
        }
        guard window.0 > 0, window.1 > 0 else {
            throw KestrelError.invalidArgument("\(operation): window size \(window) must be positive.")
        }
        guard strides.0 > 0, strides.1 > 0 else {
            throw KestrelError.invalidArgument("\(operation): strides \(strides) must be positive.")
        }
        batch = inputShape[0]
        inputHeight = inputShape[1]
        inputWidth = inputShape[2]
        channels = inputShape[3]
        windowHeight = window.0
        windowWidth = window.1
        strideHeight = strides.0
        strideWidth = strides.1
        let vertical = try WindowGeometry.axis(operation: operation, size: inputHeight, window: window.0,
                                               stride: strides.0, padding: padding, inputShape: inputShape)
        let horizontal = try WindowGeometry.axis(operation: operation, size: inputWidth, window: window.1,
                                                 stride: strides.1, padding: padding, inputShape: inputShape)
        (outputHeight, padTop) = vertical
        (outputWidth, padLeft) = horizontal
        guard WindowGeometry.product([window.0, window.1, channels]) != nil,
              WindowGeometry.product([batch, outputHeight, outputWidth]) != nil,
              WindowGeometry.product([inputHeight, inputWidth, channels]) != nil else {
            throw KestrelError.invalidArgument(
                "\(operation): window \(window) over input \(inputShape) needs more elements than can be counted; use a smaller window or input.")
        }
    }

    /// The product of `values`, or nil when it overflows `Int`.
    private static func product(_ values: [Int]) -> Int? {
        var total = 1
        for value in values {
            let (next, overflow) = total.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// The geometry of the input gradient of a unit-stride convolution computed as a forward
    /// convolution: the output gradient `[N, OH, OW, Cout]`, padded by `window − 1 − pad` before, read by
    /// the flipped kernel, gives `[N, H, W, Cin]`; `outputChannels` is the convolution's Cout.
    func transposedForInputGradient(outputChannels: Int) -> WindowGeometry {
        WindowGeometry(batch: batch, inputHeight: outputHeight, inputWidth: outputWidth, channels: outputChannels,
                       windowHeight: windowHeight, windowWidth: windowWidth, strideHeight: 1, strideWidth: 1,
                       padTop: windowHeight - 1 - padTop, padLeft: windowWidth - 1 - padLeft,
                       outputHeight: inputHeight, outputWidth: inputWidth)
    }

    private init(batch: Int, inputHeight: Int, inputWidth: Int, channels: Int, windowHeight: Int, windowWidth: Int,
                 strideHeight: Int, strideWidth: Int, padTop: Int, padLeft: Int, outputHeight: Int, outputWidth: Int) {
        self.batch = batch
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.channels = channels
        self.windowHeight = windowHeight
        self.windowWidth = windowWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padTop = padTop
        self.padLeft = padLeft
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// Output length and leading padding along one spatial axis.
    private static func axis(operation: String, size: Int, window: Int, stride: Int, padding: Padding,
                             inputShape: [Int]) throws -> (output: Int, padBefore: Int) {
        switch padding {
        case .valid:
            guard size >= window else {
                throw KestrelError.shapeMismatch(
                    "\(operation): window \(window) is larger than the spatial size \(size) of input \(inputShape) with padding 'valid'; use padding 'same' or a smaller window.")
            }
            return ((size - window) / stride + 1, 0)
        case .same:
            // ceil(size / stride), written so that a huge stride cannot overflow.
            let output = size == 0 ? 0 : (size - 1) / stride + 1
            let (covered, overflow) = Swift.max(output - 1, 0).multipliedReportingOverflow(by: stride)
            let (reach, reachOverflow) = covered.addingReportingOverflow(window)
            guard !overflow, !reachOverflow else {
                throw KestrelError.invalidArgument(
                    "\(operation): window \(window) with stride \(stride) over size \(size) of input \(inputShape) overflows; use a smaller window or stride.")
            }
            return (output, Swift.max(reach - size, 0) / 2)
        }
    }

    /// Number of values in one window across all channels (the im2col row length).
    var patchSize: Int { windowHeight * windowWidth * channels }
    /// Output positions per image.
    var outputPixelsPerImage: Int { outputHeight * outputWidth }
    /// Output positions in the whole batch.
    var outputPixels: Int { batch * outputPixelsPerImage }
    /// Values in one input image.
    var inputImageSize: Int { inputHeight * inputWidth * channels }
    /// The output shape for `outputChannels` channels.
    func outputShape(channels outputChannels: Int) -> [Int] { [batch, outputHeight, outputWidth, outputChannels] }
    /// Whether the window is 1×1 with unit strides, so the input already is its own im2col matrix.
    var isPointwise: Bool {
        windowHeight == 1 && windowWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0 && padLeft == 0
    }
}
