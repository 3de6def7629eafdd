/// Deterministic mutations of a seed input for the fuzz tests: bit flips, interesting bytes and
/// 32-bit integers, truncation, deletion, duplication and, for text, numbers swapped for extremes.
struct Mutator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    private static let interestingBytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x30, 0x37, 0x20]
    private static let interestingWords: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF, 0x1_0000]

    /// `bytes` with one to four random mutations.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        for _ in 0...below(4) {
            guard !output.isEmpty else { return [UInt8(truncatingIfNeeded: next())] }
            let position = below(output.count)
            switch below(7) {
            case 0: output[position] ^= 1 << UInt8(below(8))
            case 1: output[position] = Mutator.interestingBytes[below(Mutator.interestingBytes.count)]
            case 2: output[position] = UInt8(truncatingIfNeeded: next())
            case 3:
                let word = Mutator.interestingWords[below(Mutator.interestingWords.count)]
                for offset in 0..<4 where position + offset < output.count {
                    output[position + offset] = UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * offset))
                }
            case 4: output.removeSubrange(position...)
            case 5: output.removeSubrange(position..<Swift.min(output.count, position + 1 + below(64)))
            default:
                let end = Swift.min(output.count, position + 1 + below(64))
                output.insert(contentsOf: output[position..<end], at: below(output.count))
            }
        }
        return output
    }

    private static let extremeNumbers = ["1e19", "-1e30", "9223372036854775808", "9223372036854775807", "-1", "0",
                                         "3037000500", "4294967295", "NaN", "inf", "1e-45", "2.5", "65536"]

    /// `text` with a number replaced by an extreme one, or with its bytes mutated.
    mutating func mutate(text: String) -> String {
        if below(2) == 0 {
            var characters = Array(text)
            let digits = characters.indices.filter { characters[$0].isNumber }
            if let start = digits.isEmpty ? nil : digits[below(digits.count)] {
                var end = start
                while end + 1 < characters.count, characters[end + 1].isNumber || characters[end + 1] == "." { end += 1 }
                characters.replaceSubrange(start...end, with: Array(Mutator.extremeNumbers[below(Mutator.extremeNumbers.count)]))
                return String(characters)
            }
        }
        return String(decoding: mutate(Array(text.utf8)), as: UTF8.self)
    }
}

/// What one fuzz target saw: cases run, those that ended in a thrown error and those that succeeded.
struct FuzzCounts: CustomStringConvertible {
    let format: String
    var cases = 0
    var errors = 0
    var successes = 0

    /// Runs `body` once; a thrown error must carry a message (a clean error), anything else is a success.
    mutating func run(_ body: () throws -> Void) -> String? {
        cases += 1
        do {
            try body()
            successes += 1
            return nil
        } catch {
            errors += 1
            let message = "\(error)"
            return message.isEmpty ? "\(format): an error without a message (\(type(of: error)))" : nil
        }
    }

    var description: String { "fuzz \(format): \(cases) cases, \(errors) clean errors, \(successes) successes, 0 crashes" }
}
