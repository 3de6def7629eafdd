import Foundation
@testable import KestrelData

/// Helpers that create temporary directories and small generated dataset files.
enum TestFiles {
    static func temporaryDirectory(_ name: String = #function) -> String {
        let path = NSTemporaryDirectory() + "kestrel-data-tests-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A deterministic pseudo-random byte pattern.
    static func pattern(count: Int, seed: Int = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed &* 17) ^ ($0 >> 3)) }
    }

    /// gzip'd IDX files for a tiny MNIST-shaped dataset, by file name.
    static func tinyMNISTFiles(train: Int = 6, test: Int = 3) -> [String: [UInt8]] {
        let trainImages = IDXFile(shape: [train, 28, 28], bytes: pattern(count: train * 784, seed: 1))
        let trainLabels = IDXFile(shape: [train], bytes: (0..<train).map { UInt8($0 % 10) })
        let testImages = IDXFile(shape: [test, 28, 28], bytes: pattern(count: test * 784, seed: 2))
        let testLabels = IDXFile(shape: [test], bytes: (0..<test).map { UInt8(9 - $0 % 10) })
        return [
            "train-images-idx3-ubyte.gz": Gzip.compress(trainImages.encoded()),
            "train-labels-idx1-ubyte.gz": Gzip.compress(trainLabels.encoded()),
            "t10k-images-idx3-ubyte.gz": Gzip.compress(testImages.encoded()),
            "t10k-labels-idx1-ubyte.gz": Gzip.compress(testLabels.encoded()),
        ]
    }

    /// An MNIST-like dataset whose published hashes are those of `files`.
    static func dataset(named name: String, files: [String: [UInt8]]) -> ImageClassificationDataset {
        func remote(_ fileName: String) -> RemoteFile {
            RemoteFile(name: fileName, baseURL: "http://127.0.0.1:9/unused/", sha256: FileDigest.sha256(of: files[fileName]!))
        }
        return ImageClassificationDataset(
            name: name,
            layout: .idx(trainImages: remote("train-images-idx3-ubyte.gz"), trainLabels: remote("train-labels-idx1-ubyte.gz"),
                         testImages: remote("t10k-images-idx3-ubyte.gz"), testLabels: remote("t10k-labels-idx1-ubyte.gz")),
            classNames: (0..<10).map(String.init))
    }
}
