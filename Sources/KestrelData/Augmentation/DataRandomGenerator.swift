/// A small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64) for shuffling and augmentation.
public struct DataRandomGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var value = mixer
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
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

    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in `lower...upper` (returns `lower` when the bounds are equal).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower == upper ? lower : lower + (upper - lower) * Double(next() >> 11) * 0x1.0p-53
    }
}
