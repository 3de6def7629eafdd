extension Tensor {
    /// A tensor of zeros; throws for a negative or overflowing shape.
    public static func zeros(_ shape: [Int]) throws -> Tensor {
        try full(shape, value: 0)
    }

    /// A tensor of ones; throws for a negative or overflowing shape.
    public static func ones(_ shape: [Int]) throws -> Tensor {
        try full(shape, value: 1)
    }

    /// A tensor filled with `value`; throws for a negative or overflowing shape.
    public static func full(_ shape: [Int], value: Float) throws -> Tensor {
        try validate(shape: shape)
        let buffer = try TensorBuffer(checkedCount: elementCount(shape))
        buffer.pointer.update(repeating: value, count: buffer.count)
        return Tensor(shape: shape, buffer: buffer)
    }

    /// Zeros shaped like `tensor` (its shape is known to be valid, so this cannot fail).
    public static func zeros(like tensor: Tensor) -> Tensor { filled(tensor.shape, value: 0) }

    /// Ones shaped like `tensor`.
    public static func ones(like tensor: Tensor) -> Tensor { filled(tensor.shape, value: 1) }

    /// `value` everywhere, shaped like `tensor`.
    public static func full(like tensor: Tensor, value: Float) -> Tensor { filled(tensor.shape, value: value) }

    /// A filled tensor for shapes already validated (taken from existing tensors or variables).
    static func filled(_ shape: [Int], value: Float) -> Tensor {
        Tensor(shape: shape, buffer: TensorBuffer(count: elementCount(shape), repeating: value))
    }

    /// Values `start, start + step, …` below `end` (rank 1).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) throws -> Tensor {
        let steps = ((end - start) / step).rounded(.up)
        guard step != 0, steps >= 0 else {
            throw KestrelError.invalidArgument("arange(\(start), \(end), step: \(step)): step must be non-zero and point from start towards end.")
        }
        guard steps < Float(1 << 40) else {
            throw KestrelError.invalidArgument("arange(\(start), \(end), step: \(step)): bounds must be finite and give fewer than 2^40 values.")
        }
        let count = Int(steps)
        let buffer = try TensorBuffer(checkedCount: count)
        for index in 0..<count { buffer.pointer[index] = start + Float(index) * step }
        return Tensor(shape: [count], buffer: buffer)
    }

    /// Values from a normal distribution.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        let buffer = try TensorBuffer(checkedCount: elementCount(shape))
        for index in 0..<buffer.count { buffer.pointer[index] = mean + standardDeviation * generator.nextNormal() }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// Values from a normal distribution, redrawn when more than two standard deviations from the mean
    /// (Keras's `TruncatedNormal`).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        let buffer = try TensorBuffer(checkedCount: elementCount(shape))
        for index in 0..<buffer.count {
            var sample = generator.nextNormal()
            while Swift.abs(sample) > 2 { sample = generator.nextNormal() }
            buffer.pointer[index] = mean + standardDeviation * sample
        }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// Values uniformly distributed in [low, high) from a fresh, unseeded generator, as NumPy's
    /// `np.random.random(shape)` in a Keras program; pass `generator:` for reproducible values.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1) throws -> Tensor {
        var generator = RandomGenerator()
        return try randomUniform(shape, low: low, high: high, generator: &generator)
    }

    /// Values uniformly distributed in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        let buffer = try TensorBuffer(checkedCount: elementCount(shape))
        let width = high - low
        for index in 0..<buffer.count { buffer.pointer[index] = low + width * generator.nextUniform() }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// A dropout mask: each element is 0 with probability `rate`, else `1 / (1 - rate)` (inverted dropout).
    public static func dropoutMask(_ shape: [Int], rate: Float, generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        guard rate >= 0, rate < 1 else {
            throw KestrelError.invalidArgument("dropout rate must be in [0, 1), got \(rate).")
        }
        let buffer = try TensorBuffer(checkedCount: elementCount(shape))
        let keep = 1 / (1 - rate)
        for index in 0..<buffer.count { buffer.pointer[index] = generator.nextUniform() < rate ? 0 : keep }
        return Tensor(shape: shape, buffer: buffer)
    }
}
