import Foundation
import KestrelTensor

/// Keras's `keras.datasets.imdb`: the 50,000 reviews as word-index sequences from the files Keras
/// downloads (`imdb.npz`, `imdb_word_index.json`, in `~/.keras/datasets/`), encoded exactly as
/// `imdb.load_data` encodes them — shuffled with NumPy's `RandomState(seed)`, each review starting with
/// `startChar` (1), word indices shifted by `indexFrom` (3, so 3 is the most frequent word), words
/// outside `skipTop..<numWords` replaced by `oovChar` (2), reviews of `maxlen` words or more dropped.
public enum KerasIMDB {
    /// One split: a word-index sequence and a 0/1 label per review.
    public struct Split: Sendable, Equatable {
        /// The reviews as word indices.
        public var sequences: [[Int]]
        /// 1 for a positive review, 0 for a negative one.
        public var labels: [Int]
    }

    /// Where Keras keeps its downloads: `$KERAS_HOME/datasets` or `~/.keras/datasets`.
    public static var kerasDatasetsFolder: String {
        let home = ProcessInfo.processInfo.environment["KERAS_HOME"] ?? (NSHomeDirectory() + "/.keras")
        return home + "/datasets"
    }

    /// `imdb.load_data(path, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)`.
    /// Throws a `DataError` naming the file and the fix when it is missing, empty or damaged.
    public static func loadData(path: String? = nil, numWords: Int? = nil, skipTop: Int = 0, maxlen: Int? = nil, seed: UInt32 = 113,
                                startChar: Int? = 1, oovChar: Int? = 2, indexFrom: Int = 3) throws -> (train: Split, test: Split) {
        if let numWords, numWords < 1 { throw DataError.invalidArgument("numWords", "must be positive, got \(numWords)") }
        if let maxlen, maxlen < 1 { throw DataError.invalidArgument("maxlen", "must be positive, got \(maxlen)") }
        guard skipTop >= 0, indexFrom >= 0 else { throw DataError.invalidArgument("skipTop", "skipTop and indexFrom must not be negative") }
        let file = path ?? kerasDatasetsFolder + "/imdb.npz"
        guard InputFile.kind(of: file) != .missing else {
            throw DataError("\(file): no such file; download it with Keras (keras.datasets.imdb.load_data()) or from https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz")
        }
        let data = try InputFile.read(file, expected: "Keras's imdb.npz", limit: 1 << 30)
        let archive = try NPZArchive(bytes: [UInt8](data), source: file)
        func member(_ name: String) throws -> [UInt8] {
            guard let bytes = archive.members[name] else { throw DataError.corruptFile(file, "it has no \(name).npy member, so it is not Keras's imdb.npz") }
            return bytes
        }
        var train = Split(sequences: try objectArray(try member("x_train"), source: "\(file) (x_train.npy)"),
                          labels: try integers(try member("y_train"), source: "\(file) (y_train.npy)"))
        var test = Split(sequences: try objectArray(try member("x_test"), source: "\(file) (x_test.npy)"),
                         labels: try integers(try member("y_test"), source: "\(file) (y_test.npy)"))
        guard train.sequences.count == train.labels.count, test.sequences.count == test.labels.count else {
            throw DataError.corruptFile(file, "the number of reviews and labels differ")
        }
        var generator = NumPyRandomState(seed: seed)
        for split in [0, 1] {
            var order = Array(0..<(split == 0 ? train : test).labels.count)
            generator.shuffle(&order)
            if split == 0 { train = reorder(train, order) } else { test = reorder(test, order) }
        }
        func shift(_ split: Split) -> Split {
            var result = split
            result.sequences = split.sequences.map { words in (startChar.map { [$0] } ?? []) + words.map { $0 + indexFrom } }
            if let maxlen {
                let kept = result.sequences.indices.filter { result.sequences[$0].count < maxlen }
                result = Split(sequences: kept.map { result.sequences[$0] }, labels: kept.map { result.labels[$0] })
            }
            return result
        }
        train = shift(train)
        test = shift(test)
        if let maxlen, train.sequences.isEmpty || test.sequences.isEmpty {
            throw DataError.invalidArgument("maxlen", "no review is shorter than \(maxlen) words; increase maxlen")
        }
        let limit = numWords ?? ((train.sequences + test.sequences).compactMap { $0.max() }.max() ?? 0)
        func clip(_ split: Split) -> Split {
            var result = split
            result.sequences = split.sequences.map { words in
                if let oovChar { return words.map { (skipTop..<limit).contains($0) ? $0 : oovChar } }
                return words.filter { (skipTop..<limit).contains($0) }
            }
            return result
        }
        return (clip(train), clip(test))
    }

    /// `imdb.get_word_index()`: word → rank (1 = most frequent), from `imdb_word_index.json`.
    public static func wordIndex(path: String? = nil) throws -> [String: Int] {
        let file = path ?? kerasDatasetsFolder + "/imdb_word_index.json"
        guard InputFile.kind(of: file) != .missing else {
            throw DataError("\(file): no such file; download it with Keras (keras.datasets.imdb.get_word_index()) or from https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json")
        }
        let data = try InputFile.read(file, expected: "Keras's imdb_word_index.json", limit: 256 << 20)
        guard !data.isEmpty else { throw DataError("\(file): is empty; download it again") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DataError.corruptFile(file, "it is not a JSON object of words and their indices")
        }
        var index: [String: Int] = [:]
        for (word, value) in object {
            guard let number = value as? Int, number >= 0 else { throw DataError.corruptFile(file, "the index of '\(word)' is not a non-negative integer") }
            index[word] = number
        }
        return index
    }

    /// The tutorial's `multi_hot_sequences(sequences, dimension)`: 1 at every index a sequence holds (below `dimension`).
    public static func multiHot(_ sequences: [[Int]], dimension: Int) throws -> Tensor {
        guard dimension > 0 else { throw DataError.invalidArgument("dimension", "must be positive, got \(dimension)") }
        let (count, overflow) = sequences.count.multipliedReportingOverflow(by: dimension)
        guard !overflow, count <= Int(Int32.max) else {
            throw DataError.invalidArgument("dimension", "\(sequences.count) sequences × \(dimension) is more values than a tensor holds; pass a smaller dimension (the vocabulary size)")
        }
        var values = [Float](repeating: 0, count: count)
        for (row, words) in sequences.enumerated() {
            for word in words where word >= 0 && word < dimension { values[row * dimension + word] = 1 }
        }
        return try Tensor(shape: [sequences.count, dimension], scalars: values)
    }

    private static func reorder(_ split: Split, _ order: [Int]) -> Split {
        Split(sequences: order.map { split.sequences[$0] }, labels: order.map { split.labels[$0] })
    }

    /// The sequences of an object-dtype `.npy` member.
    static func objectArray(_ bytes: [UInt8], source: String) throws -> [[Int]] {
        let (descr, start) = try header(bytes, source: source)
        guard descr == "|O" else { throw DataError.corruptFile(source, "it holds \(descr) values, not the object array of sequences Keras's imdb.npz has") }
        return try NumPyObjectArrayPickle.sequences(bytes[start...], source: source)
    }

    /// The integers of a numeric `.npy` member.
    static func integers(_ bytes: [UInt8], source: String) throws -> [Int] {
        let array: NPYFile
        do { array = try NPYFile(bytes: bytes, name: source) } catch { throw DataError("\(error)") }
        return try array.values.map { value in
            guard value.isFinite, value == value.rounded(), abs(value) < 16_777_216 else { throw DataError.corruptFile(source, "a label is not an integer") }
            return Int(value)
        }
    }

    /// The `descr` of a `.npy` header and where its data starts.
    private static func header(_ bytes: [UInt8], source: String) throws -> (String, Int) {
        guard bytes.count >= 12, bytes.prefix(6) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else {
            throw DataError.corruptFile(source, "it is not a .npy array (no \\x93NUMPY magic)")
        }
        let (length, start) = bytes[6] == 1 ? (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
            : (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24, 12)
        guard bytes.count >= start + length else { throw DataError.corruptFile(source, "the .npy header is cut") }
        let text = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        guard let range = text.range(of: "'descr': '") else { throw DataError.corruptFile(source, "the .npy header has no descr") }
        let descr = text[range.upperBound...].prefix { $0 != "'" }
        return (String(descr), start + length)
    }
}
