extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        full(shape, value: 0)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor {
        full(shape, value: 1)
    }

    /// A tensor filled with `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
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
        let buffer = TensorBuffer(count: count)
        for index in 0..<count { buffer.pointer[index] = start + Float(index) * step }
        return Tensor(shape: [count], buffer: buffer)
    }

    /// Values from a normal distribution.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    generator: inout RandomGenerator) -> Tensor {
        let buffer = TensorBuffer(count: elementCount(shape))
        for index in 0..<buffer.count { buffer.pointer[index] = mean + standardDeviation * generator.nextNormal() }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// Values from a normal distribution, redrawn when more than two standard deviations from the mean
    /// (Keras's `TruncatedNormal`).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       generator: inout RandomGenerator) -> Tensor {
        let buffer = TensorBuffer(count: elementCount(shape))
        for index in 0..<buffer.count {
            var sample = generator.nextNormal()
            while Swift.abs(sample) > 2 { sample = generator.nextNormal() }
            buffer.pointer[index] = mean + standardDeviation * sample
        }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// Values uniformly distributed in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     generator: inout RandomGenerator) -> Tensor {
        let buffer = TensorBuffer(count: elementCount(shape))
        let width = high - low
        for index in 0..<buffer.count { buffer.pointer[index] = low + width * generator.nextUniform() }
        return Tensor(shape: shape, buffer: buffer)
    }

    /// A dropout mask: each element is 0 with probability `rate`, else `1 / (1 - rate)` (inverted dropout).
    public static func dropoutMask(_ shape: [Int], rate: Float, generator: inout RandomGenerator) throws -> Tensor {
        guard rate >= 0, rate < 1 else {
            throw KestrelError.invalidArgument("dropout rate must be in [0, 1), got \(rate).")
        }
        let buffer = TensorBuffer(count: elementCount(shape))
        let keep = 1 / (1 - rate)
        for index in 0..<buffer.count { buffer.pointer[index] = generator.nextUniform() < rate ? 0 : keep }
        return Tensor(shape: shape, buffer: buffer)
    }
}
