import Foundation

/// The learned part of a `TextVectorization` vocabulary (special tokens excluded) and, for tf-idf,
/// each entry's inverse document frequency; built by `adapt` with Keras's ordering.
struct TextVocabulary: Sendable {
    /// The learned tokens, most frequent first.
    private(set) var tokens: [[UInt8]] = []
    /// Each token's position in `tokens`.
    private(set) var positions: [[UInt8]: Int] = [:]
    /// The idf weight of each learned token (empty unless tf-idf).
    var idfWeights: [Float] = []

    init() {}

    /// The vocabulary of `tokens` in the order given.
    init(tokens: [[UInt8]]) throws {
        self.tokens = tokens
        for (position, token) in tokens.enumerated() {
            guard positions.updateValue(position, forKey: token) == nil else {
                throw KestrelError.invalidArgument("vocabulary: the token '\(String(decoding: token, as: UTF8.self))' appears twice; each token must be listed once.")
            }
        }
    }

    /// Keras's `finalize_state`: tokens by count descending, ties by their bytes descending
    /// (`np.lexsort((tokens, counts))[::-1]`), at most `limit`; with `documentCounts`, the idf weights
    /// `log(1 + documents / (1 + df))` computed in double precision, as TensorFlow divides int64 counts.
    static func learned(counts: [[UInt8]: Int], documentCounts: [[UInt8]: Int]?, documents: Int, limit: Int?) throws -> TextVocabulary {
        var entries = counts.filter { !$0.key.isEmpty && $0.key != Array("[UNK]".utf8) }.map { ($0.key, $0.value) }
        entries.sort { left, right in
            left.1 != right.1 ? left.1 > right.1 : right.0.lexicographicallyPrecedes(left.0)
        }
        if let limit { entries = Array(entries.prefix(Swift.max(limit, 0))) }
        var vocabulary = try TextVocabulary(tokens: entries.map(\.0))
        if let documentCounts {
            vocabulary.idfWeights = entries.map { entry in
                Float(Foundation.log(1 + Double(documents) / (1 + Double(documentCounts[entry.0] ?? 0))))
            }
        }
        return vocabulary
    }
}
