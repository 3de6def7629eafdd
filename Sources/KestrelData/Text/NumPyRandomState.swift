/// NumPy's legacy `np.random.RandomState(seed)` (the Mersenne Twister MT19937 seeded by
/// `init_genrand`) as far as Keras's `index_directory` uses it: `shuffle` of a list, so that
/// `textDatasetFromDirectory(seed:)` lists, shuffles and splits files exactly as Keras does for the
/// same seed.
public struct NumPyRandomState: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// `np.random.RandomState(seed)` for a seed in 0..<2³² (NumPy refuses others).
    public init(seed: UInt32) {
        state[0] = seed
        for index in 1..<624 {
            let previous = state[index - 1]
            state[index] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(index)
        }
    }

    /// The next 32 random bits (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if position >= 624 { twist() }
        var value = state[position]
        position += 1
        value ^= value >> 11
        value ^= (value << 7) & 0x9D2C_5680
        value ^= (value << 15) & 0xEFC6_0000
        value ^= value >> 18
        return value
    }

    private mutating func twist() {
        for index in 0..<624 {
            let bits = (state[index] & 0x8000_0000) | (state[(index + 1) % 624] & 0x7FFF_FFFF)
            var next = state[(index + 397) % 624] ^ (bits >> 1)
            if bits & 1 != 0 { next ^= 0x9908_B0DF }
            state[index] = next
        }
        position = 0
    }

    /// NumPy's `random_interval(max)`: a uniform integer in 0...max by masked rejection.
    mutating func interval(_ maximum: UInt32) -> UInt32 {
        guard maximum > 0 else { return 0 }
        var mask = maximum
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= maximum { return value }
        }
    }

    /// `RandomState.shuffle(list)`: Fisher–Yates from the end, as NumPy's legacy shuffle.
    public mutating func shuffle<Element>(_ items: inout [Element]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, through: 1, by: -1) {
            let other = Int(interval(UInt32(truncatingIfNeeded: index)))
            items.swapAt(index, other)
        }
    }
}
