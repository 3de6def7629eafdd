import KestrelTensor

/// The seedable generator for shuffling and augmentation: KestrelTensor's `RandomGenerator`
/// (xoshiro256**) plus the derived-stream and uniform-range helpers the data pipeline needs.
public struct DataRandomGenerator: RandomNumberGenerator, Sendable {
    private var base: RandomGenerator

    public init(seed: UInt64) {
        base = RandomGenerator(seed: seed)
    }

    /// A generator seeded from the system's entropy.
    public init() {
        self.init(seed: UInt64.random(in: 0...UInt64.max))
    }

    /// An independent stream derived from `seed` and the `indices` (epoch, batch…), reproducible regardless of thread timing.
    public init(seed: UInt64, indices: Int...) {
        var combined = seed
        for index in indices { combined = (combined ^ UInt64(bitPattern: Int64(index))) &* 0x100_0000_01B3 &+ 0x9E37_79B9 }
        self.init(seed: combined)
    }

    public mutating func next() -> UInt64 { base.next() }

    /// Uniform in `lower...upper` (returns `lower` when the bounds are equal).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower == upper ? lower : lower + (upper - lower) * Double(next() >> 11) * 0x1.0p-53
    }
}
