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
        let backend = input.backend
        let result = backend.makeStorage(count: elementCount(outputShape))
        let winners = backend.makeStorage(count: result.count)
        backend.maxPool(input.storage, geometry: g, result, winners: winners)
        let inputShape = input.shape
        return record(Tensor(shape: outputShape, storage: result), inputs: [input]) { gradient, _ in
            let backend = gradient.backend
            let inputGradient = backend.makeStorage(count: elementCount(inputShape))
            backend.maxPoolBackward(gradient.storage, winners: winners, geometry: g, inputGradient)
            return [Tensor(shape: inputShape, storage: inputGradient)]
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
        let backend = input.backend
        let result = backend.makeStorage(count: elementCount(outputShape))
        backend.averagePool(input.storage, geometry: g, result)
        let inputShape = input.shape
        return record(Tensor(shape: outputShape, storage: result), inputs: [input]) { gradient, _ in
            let backend = gradient.backend
            let inputGradient = backend.makeStorage(count: elementCount(inputShape))
            backend.averagePoolBackward(gradient.storage, geometry: g, inputGradient)
            return [Tensor(shape: inputShape, storage: inputGradient)]
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
