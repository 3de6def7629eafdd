extension Tensor {
    /// Max pooling of an NHWC batch (Keras's `MaxPooling2D`).
    ///
    /// - Parameters:
    ///   - input: `[batch, height, width, channels]`.
    ///   - poolSize: window height and width.
    ///   - strides: step between windows; nil means `poolSize` (Keras's default).
    ///   - padding: `.valid` or `.same` (padded positions never win).
    /// - Returns: `[batch, outHeight, outWidth, channels]`; the gradient goes to the first maximal
    ///   element of each window.
    public static func maxPool2d(_ input: Tensor, poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil,
                                 padding: Padding = .valid) throws -> Tensor {
        let g = try WindowGeometry(operation: "maxPool2d", inputShape: input.shape, window: poolSize,
                                   strides: strides ?? poolSize, padding: padding)
        let outputShape = g.outputShape(channels: g.channels)
        let backend = Backends.current
        let result = TensorBuffer(count: elementCount(outputShape))
        let winners = TensorBuffer(count: result.count)
        withExtendedLifetime(input) { backend.maxPool(input.buffer.pointer, geometry: g, result.pointer, winners: winners.pointer) }
        let inputShape = input.shape
        return record(Tensor(shape: outputShape, buffer: result), inputs: [input]) { gradient, _ in
            let backend = Backends.current
            let inputGradient = TensorBuffer(count: elementCount(inputShape))
            withExtendedLifetime(gradient) {
                backend.maxPoolBackward(gradient.buffer.pointer, winners: winners.pointer, geometry: g, inputGradient.pointer)
            }
            return [Tensor(shape: inputShape, buffer: inputGradient)]
        }
    }

    /// Average pooling of an NHWC batch (Keras's `AveragePooling2D`); with `.same` padding each
    /// window is divided by the number of its elements inside the image.
    ///
    /// - Parameters:
    ///   - input: `[batch, height, width, channels]`.
    ///   - poolSize: window height and width.
    ///   - strides: step between windows; nil means `poolSize`.
    ///   - padding: `.valid` or `.same`.
    public static func avgPool2d(_ input: Tensor, poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil,
                                 padding: Padding = .valid) throws -> Tensor {
        let g = try WindowGeometry(operation: "avgPool2d", inputShape: input.shape, window: poolSize,
                                   strides: strides ?? poolSize, padding: padding)
        let outputShape = g.outputShape(channels: g.channels)
        let backend = Backends.current
        let result = TensorBuffer(count: elementCount(outputShape))
        withExtendedLifetime(input) { backend.averagePool(input.buffer.pointer, geometry: g, result.pointer) }
        let inputShape = input.shape
        return record(Tensor(shape: outputShape, buffer: result), inputs: [input]) { gradient, _ in
            let backend = Backends.current
            let inputGradient = TensorBuffer(count: elementCount(inputShape))
            withExtendedLifetime(gradient) { backend.averagePoolBackward(gradient.buffer.pointer, geometry: g, inputGradient.pointer) }
            return [Tensor(shape: inputShape, buffer: inputGradient)]
        }
    }

    /// Mean over the spatial axes of an NHWC batch (Keras's `GlobalAveragePooling2D`):
    /// `[batch, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, channels]` with `keepDims`).
    public static func globalAveragePool2d(_ input: Tensor, keepDims: Bool = false) throws -> Tensor {
        guard input.rank == 4 else {
            throw KestrelError.shapeMismatch(
                "globalAveragePool2d: input must have rank 4 [batch, height, width, channels] (NHWC), got shape \(input.shape).")
        }
        return try input.mean(axes: [1, 2], keepDims: keepDims)
    }

    /// Maximum over the spatial axes of an NHWC batch (Keras's `GlobalMaxPooling2D`):
    /// `[batch, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, channels]` with `keepDims`).
    public static func globalMaxPool2d(_ input: Tensor, keepDims: Bool = false) throws -> Tensor {
        guard input.rank == 4 else {
            throw KestrelError.shapeMismatch(
                "globalMaxPool2d: input must have rank 4 [batch, height, width, channels] (NHWC), got shape \(input.shape).")
        }
        return try input.max(axes: [1, 2], keepDims: keepDims)
    }
}
