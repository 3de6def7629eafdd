import Foundation
import KestrelTensor

/// A small stand-in for `aclImdb_v1.tar.gz` in the same format (`aclImdb/{train,test}/{pos,neg}` and
/// `aclImdb/train/unsup` of `<id>_<rating>.txt` reviews with `<br />` breaks and punctuation), for tests
/// and demos where the real archive cannot be downloaded. Reviews are drawn from a fixed vocabulary in
/// which some words lean positive or negative, so a text classifier can learn something, but not everything.
public enum SyntheticAclImdb {
    private static let positive = ["great", "wonderful", "brilliant", "loved", "moving", "superb", "charming", "best", "enjoyed", "fun"]
    private static let negative = ["awful", "boring", "worst", "waste", "terrible", "dull", "poor", "hated", "mess", "stupid"]
    private static let neutral = ["the", "a", "movie", "film", "and", "of", "to", "was", "is", "it", "this", "plot", "acting", "story",
                                  "characters", "director", "scene", "ending", "music", "time", "really", "just", "but", "with",
                                  "cast", "script", "watch", "minutes", "actor", "role", "effects", "camera", "dialogue", "years"]

    /// The bytes of a `.tar.gz` holding `reviewsPerClass` reviews in each of train/pos, train/neg,
    /// train/unsup, test/pos and test/neg, drawn with `seed`.
    public static func archive(reviewsPerClass: Int, seed: UInt64 = 42) throws -> [UInt8] {
        guard reviewsPerClass > 0, reviewsPerClass <= 100_000 else {
            throw DataError.invalidArgument("reviewsPerClass", "must be in 1...100000, got \(reviewsPerClass)")
        }
        var generator = RandomGenerator(seed: seed)
        var files: [(path: String, contents: [UInt8])] = [("aclImdb/README", Array("Synthetic stand-in for the Large Movie Review Dataset.\n".utf8))]
        var identifier = 0
        for split in ["train", "test"] {
            for label in ["pos", "neg"] + (split == "train" ? ["unsup"] : []) {
                for _ in 0..<reviewsPerClass {
                    let rating = label == "pos" ? 7 + Int(generator.next() % 4) : label == "neg" ? 1 + Int(generator.next() % 4) : 0
                    let text = review(positive: label == "pos" ? true : label == "neg" ? false : nil, generator: &generator)
                    files.append(("aclImdb/\(split)/\(label)/\(identifier)_\(rating).txt", Array(text.utf8)))
                    identifier += 1
                }
            }
        }
        return Gzip.compress(try TarArchive.archive(files))
    }

    /// Writes `archive(reviewsPerClass:seed:)` to `path`.
    public static func write(to path: String, reviewsPerClass: Int, seed: UInt64 = 42) throws {
        try AtomicFile.write(try archive(reviewsPerClass: reviewsPerClass, seed: seed), to: path)
    }

    private static func review(positive isPositive: Bool?, generator: inout RandomGenerator) -> String {
        let sentences = 2 + Int(generator.next() % 5)
        var parts: [String] = []
        for sentence in 0..<sentences {
            var words: [String] = []
            for _ in 0..<(4 + Int(generator.next() % 9)) {
                let draw = generator.nextUniform()
                // A leaning word 1 time in 5; it agrees with the label 3 times in 4 (some reviews mislead).
                if draw < 0.2, let isPositive {
                    let agrees = generator.nextUniform() < 0.75
                    let pool = (isPositive == agrees) ? positive : negative
                    words.append(pool[Int(generator.next() % UInt64(pool.count))])
                } else {
                    words.append(neutral[Int(generator.next() % UInt64(neutral.count))])
                }
            }
            var text = words.joined(separator: " ")
            text = text.prefix(1).uppercased() + text.dropFirst()
            parts.append(text + (sentence % 3 == 2 ? "!" : "."))
            if sentence % 2 == 1 { parts.append("<br /><br />") }
        }
        return parts.joined(separator: " ")
    }
}
