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
        let backend = Device.current.backend
        let storage = try backend.makeStorage(checkedCount: elementCount(shape))
        backend.fill(storage, value: value)
        return Tensor(shape: shape, storage: storage)
    }

    /// Zeros shaped like `tensor`, on its device (its shape is known to be valid, so this cannot fail).
    public static func zeros(like tensor: Tensor) -> Tensor { filled(tensor.shape, value: 0, on: tensor.device) }

    /// Ones shaped like `tensor`, on its device.
    public static func ones(like tensor: Tensor) -> Tensor { filled(tensor.shape, value: 1, on: tensor.device) }

    /// `value` everywhere, shaped like `tensor`, on its device.
    public static func full(like tensor: Tensor, value: Float) -> Tensor {
        filled(tensor.shape, value: value, on: tensor.device)
    }

    /// A filled tensor on `device` for shapes already validated (taken from existing tensors or variables).
    static func filled(_ shape: [Int], value: Float, on device: Device) -> Tensor {
        let backend = device.backend
        let storage = backend.makeStorage(count: elementCount(shape))
        backend.fill(storage, value: value)
        return Tensor(shape: shape, storage: storage)
    }

    /// A tensor of `shape` (validated) on the current device filled with draws from `distribution`.
    private static func random(_ shape: [Int], _ distribution: RandomDistribution,
                               generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        let backend = Device.current.backend
        let storage = try backend.makeStorage(checkedCount: elementCount(shape))
        backend.random(storage, distribution, generator: &generator)
        return Tensor(shape: shape, storage: storage)
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
        let backend = Device.current.backend
        let storage = try backend.makeStorage(checkedCount: Int(steps))
        backend.arange(storage, start: start, step: step)
        return Tensor(shape: [storage.count], storage: storage)
    }

    /// Values from a normal distribution.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    generator: inout RandomGenerator) throws -> Tensor {
        try random(shape, .normal(mean: mean, standardDeviation: standardDeviation), generator: &generator)
    }

    /// Values from a normal distribution, redrawn when more than two standard deviations from the mean
    /// (Keras's `TruncatedNormal`).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       generator: inout RandomGenerator) throws -> Tensor {
        try random(shape, .truncatedNormal(mean: mean, standardDeviation: standardDeviation), generator: &generator)
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
        try random(shape, .uniform(low: low, width: high - low), generator: &generator)
    }

    /// A dropout mask: each element is 0 with probability `rate`, else `1 / (1 - rate)` (inverted dropout).
    public static func dropoutMask(_ shape: [Int], rate: Float, generator: inout RandomGenerator) throws -> Tensor {
        try validate(shape: shape)
        guard rate >= 0, rate < 1 else {
            throw KestrelError.invalidArgument("dropout rate must be in [0, 1), got \(rate).")
        }
        return try random(shape, .dropout(rate: rate, keep: 1 / (1 - rate)), generator: &generator)
    }
}
