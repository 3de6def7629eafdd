import Synchronization

/// The one seedable pseudo-random generator of the package (xoshiro256**, seeded through SplitMix64),
/// used for tensors (initialisers, dropout) and data (shuffling, augmentation) alike.
///
/// The same seed gives the same sequence on every machine, which makes weight initialisation,
/// shuffling and dropout reproducible; `state` captures the position in the sequence so that a
/// resumed run (`BackupAndRestore`) continues it exactly.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Two generators are equal when they will draw the same sequence.
    public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool { lhs.state == rhs.state }

    /// The generator's position in its sequence, to save and later restore with `init(state:)`.
    public var state: RandomGeneratorState {
        RandomGeneratorState(words: [words.0, words.1, words.2, words.3])
    }

    /// A generator that continues exactly where the one `state` was taken from stood.
    public init(state: RandomGeneratorState) throws {
        guard state.words.count == 4, state.words.contains(where: { $0 != 0 }) else {
            throw KestrelError.invalidData("A random generator state needs four words, not all zero; got \(state.words.count) word(s). The saved state is damaged.")
        }
        words = (state.words[0], state.words[1], state.words[2], state.words[3])
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

    /// Uniform in `lower...upper` (returns `lower` when the bounds are equal).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower == upper ? lower : lower + (upper - lower) * Double(next() >> 11) * 0x1.0p-53
    }

    /// Makes a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        words = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(words.1 &* 5, 7) &* 9
        let shifted = words.1 << 17
        words.2 ^= words.0
        words.3 ^= words.1
        words.1 ^= words.2
        words.0 ^= words.3
        words.2 ^= shifted
        words.3 = rotate(words.3, 45)
        return result
    }

    /// A uniform value in [0, 1).
    @inline(__always)
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// A standard normal value (Box–Muller).
    public mutating func nextNormal() -> Float {
        var u1 = nextUniform()
        while u1 <= Float.leastNormalMagnitude { u1 = nextUniform() }
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// The process-wide seed source: `seed(_:)` makes everything that draws from it reproducible.
public enum GlobalRandom {
    private static let generator = Mutex(RandomGenerator(seed: UInt64.random(in: 0...UInt64.max)))

    /// Resets the global sequence (Keras's `keras.utils.set_random_seed`).
    public static func seed(_ seed: UInt64) {
        generator.withLock { $0 = RandomGenerator(seed: seed) }
    }

    /// A new independent generator whose seed is drawn from the global sequence.
    public static func makeGenerator() -> RandomGenerator {
        RandomGenerator(seed: generator.withLock { $0.next() })
    }

    /// A fresh 64-bit seed drawn from the global sequence.
    public static func nextSeed() -> UInt64 {
        generator.withLock { $0.next() }
    }

    /// The global sequence's current position (saved by `BackupAndRestore`).
    public static var state: RandomGeneratorState { generator.withLock { $0.state } }

    /// Puts the global sequence back at a saved position.
    public static func restore(_ state: RandomGeneratorState) throws {
        let restored = try RandomGenerator(state: state)
        generator.withLock { $0 = restored }
    }
}

/// A `RandomGenerator`'s position: its four state words, written as hexadecimal strings in JSON
/// so that no 64-bit value loses precision.
public struct RandomGeneratorState: Codable, Sendable, Equatable {
    /// The xoshiro256** state words.
    public var words: [UInt64]

    /// A state from its four words.
    public init(words: [UInt64]) { self.words = words }

    /// Reads the four words as hexadecimal strings (JSON numbers cannot hold 64-bit words exactly).
    public init(from decoder: Decoder) throws {
        let texts = try decoder.singleValueContainer().decode([String].self)
        words = try texts.map { text in
            guard let word = UInt64(text, radix: 16) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a hexadecimal 64-bit word"))
            }
            return word
        }
    }

    /// Writes the four words as hexadecimal strings.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(words.map { String($0, radix: 16) })
    }
}

#if canImport(Glibc)
import Glibc
#endif
