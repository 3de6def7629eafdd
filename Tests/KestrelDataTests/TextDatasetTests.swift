import Foundation
import XCTest
@testable import KestrelData
import KestrelTensor

/// `textDatasetFromDirectory`, NumPy's `RandomState` shuffle, the text file limits and the aclImdb
/// archive reader, against Keras 3 (`scripts/fixtures/make_keras_text_fixtures.py` → Tests/Fixtures/keras/text/text.json).
final class TextDatasetTests: XCTestCase {
    private func fixture() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/text/text.json")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-text-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder
    }

    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func testNumPyRandomStateShuffleMatchesNumPy() throws {
        let shuffles = try XCTUnwrap(try fixture()["numpy_shuffles"] as? [String: [Int]])
        XCTAssertEqual(shuffles.count, 4)
        for (seed, expected) in shuffles {
            var items = Array(0..<1000)
            var generator = NumPyRandomState(seed: try XCTUnwrap(UInt32(seed)))
            generator.shuffle(&items)
            XCTAssertEqual(Array(items.prefix(40)), expected, "seed \(seed)")
        }
    }

    /// The folder Keras indexed: pos 7, neg 6, unsure 2 files, a nested Z.TXT and a skip.md in each.
    private func makeKerasFolder() throws -> String {
        let folder = try temporaryFolder()
        for (label, count) in [("pos", 7), ("neg", 6), ("unsure", 2)] {
            for index in 0..<count { try write("\(label) \(index)", to: "\(folder)/\(label)/\(index)_\(label).txt") }
            try write("\(label) upper", to: "\(folder)/\(label)/nested/Z.TXT")
            try write("not text", to: "\(folder)/\(label)/skip.md")
        }
        return folder
    }

    /// The text each fixture path holds in `makeKerasFolder`.
    private func content(_ relative: String) -> String {
        let parts = relative.split(separator: "/")
        if parts.count == 3 { return "\(parts[0]) upper" }
        let stem = parts[1].dropLast(4).split(separator: "_")
        return "\(stem[1]) \(stem[0])"
    }

    func testFileOrderShuffleAndSplitMatchKeras() throws {
        let keras = try XCTUnwrap(try fixture()["index_directory"] as? [String: Any])
        let folder = try makeKerasFolder()
        let all = try textDatasetFromDirectory(folder, batchSize: 4, shuffle: false)
        XCTAssertEqual(all.classNames, try XCTUnwrap(keras["class_names"] as? [String]))
        XCTAssertEqual(all.texts, try XCTUnwrap(keras["unshuffled"] as? [String]).map(content))
        let training = try textDatasetFromDirectory(folder, batchSize: 4, seed: 42, validationSplit: 0.2, subset: .training)
        let validation = try textDatasetFromDirectory(folder, batchSize: 4, seed: 42, validationSplit: 0.2, subset: .validation)
        XCTAssertEqual(training.texts, try XCTUnwrap(keras["training"] as? [String]).map(content))
        XCTAssertEqual(validation.texts, try XCTUnwrap(keras["validation"] as? [String]).map(content))
        let labels = try XCTUnwrap(keras["labels"] as? [Int])
        XCTAssertEqual(training.classIndices, Array(labels.prefix(15)))
        XCTAssertEqual(validation.classIndices, Array(labels.suffix(3)))
        // Batches of strings with int labels, the last one short.
        let batches = Array(training)
        XCTAssertEqual(batches.map(\.texts.count), [4, 4, 4, 3])
        XCTAssertEqual(batches[0].labels?.scalars, labels.prefix(4).map(Float.init))
        XCTAssertEqual(training.batchCount, 4)
    }

    func testLabelModesAndMapToTensorDataset() throws {
        let folder = try temporaryFolder()
        for (label, words) in [("neg", ["bad", "awful"]), ("pos", ["good", "great", "fine"])] {
            for (index, word) in words.enumerated() { try write(word, to: "\(folder)/\(label)/\(index).txt") }
        }
        let binary = try textDatasetFromDirectory(folder, labelMode: .binary, batchSize: 2, shuffle: false)
        XCTAssertEqual(try binary.labels(0..<5)?.shape, [5, 1])
        XCTAssertEqual(try binary.labels(0..<5)?.scalars, [0, 0, 1, 1, 1])
        let categorical = try textDatasetFromDirectory(folder, labelMode: .categorical, shuffle: false)
        XCTAssertEqual(try categorical.labels(1..<3)?.scalars, [1, 0, 0, 1])
        let unlabelled = try textDatasetFromDirectory(folder, labelMode: nil, shuffle: false)
        XCTAssertNil(unlabelled.classIndices)
        XCTAssertNil(Array(unlabelled).first?.labels)
        // map: one row per text, labels follow, batched.
        let dataset = try binary.map { texts in try Tensor(shape: [texts.count, 1], scalars: texts.map { Float($0.count) }) }
        let elements = Array(dataset)
        XCTAssertEqual(elements.map(\.xShape), [[2, 1], [2, 1], [1, 1]])
        XCTAssertEqual(elements.flatMap(\.x), [3, 5, 4, 5, 4])
        XCTAssertEqual(elements.flatMap(\.y), [0, 0, 1, 1, 1])
        try write("meh", to: "\(folder)/unsure/0.txt")
        XCTAssertThrowsError(try textDatasetFromDirectory(folder, labelMode: .binary)) { error in
            XCTAssertTrue("\(error)".contains("binary needs exactly 2 classes"), "\(error)")
        }
    }

    func testBadArgumentsThrowNamingThem() throws {
        let folder = try makeKerasFolder()
        let cases: [(String, () throws -> TextDataset)] = [
            ("validationSplit", { try textDatasetFromDirectory(folder, seed: 1, validationSplit: 1.5, subset: .training) }),
            ("subset", { try textDatasetFromDirectory(folder, validationSplit: 0.2) }),
            ("seed", { try textDatasetFromDirectory(folder, validationSplit: 0.2, subset: .training) }),
            ("batchSize", { try textDatasetFromDirectory(folder, batchSize: 0) }),
            ("classNames", { try textDatasetFromDirectory(folder, classNames: ["pos", "nope"]) }),
            ("no such directory", { try textDatasetFromDirectory(folder + "/missing") }),
        ]
        for (expected, make) in cases {
            XCTAssertThrowsError(try make(), expected) { error in XCTAssertTrue("\(error)".contains(expected), "\(error)") }
        }
    }

    func testEmptyBinaryNonUTF8AndHugeFiles() throws {
        let folder = try temporaryFolder()
        try write("", to: "\(folder)/a/empty.txt")
        try write("fine", to: "\(folder)/b/ok.txt")
        let dataset = try textDatasetFromDirectory(folder, shuffle: false)
        XCTAssertEqual(dataset.texts, ["", "fine"], "an empty file is the empty string, as in Keras")

        try Data([0x68, 0x69, 0x00, 0x01]).write(to: URL(fileURLWithPath: "\(folder)/b/binary.txt"))
        XCTAssertThrowsError(try textDatasetFromDirectory(folder, shuffle: false)) { error in
            XCTAssertTrue("\(error)".contains("binary.txt: holds a NUL byte"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: "\(folder)/b/binary.txt")
        try Data([0x68, 0xC3, 0x28]).write(to: URL(fileURLWithPath: "\(folder)/b/latin.txt"))
        XCTAssertThrowsError(try textDatasetFromDirectory(folder, shuffle: false)) { error in
            XCTAssertTrue("\(error)".contains("latin.txt: is not valid UTF-8"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: "\(folder)/b/latin.txt")

        // A file over the limit is refused unless maxLength reads its start (cut back to a whole character).
        let long = String(repeating: "é", count: 40)  // 80 bytes, one line
        try write(long, to: "\(folder)/b/long.txt")
        XCTAssertThrowsError(try TextFileLimits.read("\(folder)/b/long.txt", maxLength: nil, largest: 64)) { error in
            XCTAssertTrue("\(error)".contains("long.txt: is larger than 64 bytes, too large for one text sample; pass maxLength"), "\(error)")
        }
        XCTAssertEqual(try TextFileLimits.read("\(folder)/b/long.txt", maxLength: 7), "ééé")
        XCTAssertEqual(try textDatasetFromDirectory(folder, maxLength: 5, shuffle: false).texts, ["", "éé", "fine"])
    }

    /// A same-format aclImdb archive: train/{pos,neg,unsup}, test/{pos,neg}, plus members that must be ignored.
    static func aclImdbArchive(reviewsPerClass: Int) throws -> [UInt8] {
        var files: [(path: String, contents: [UInt8])] = [("aclImdb/README", Array("read me".utf8)), ("aclImdb/imdb.vocab", Array("the\n".utf8))]
        for split in ["train", "test"] {
            for label in ["pos", "neg"] + (split == "train" ? ["unsup"] : []) {
                for index in 0..<reviewsPerClass {
                    files.append(("aclImdb/\(split)/\(label)/\(index)_7.txt", Array("\(label) review \(index) <br />".utf8)))
                }
            }
        }
        files.append(("aclImdb/train/pos/../../../escape.txt", Array("evil".utf8)))
        files.append(("/tmp/absolute.txt", Array("evil".utf8)))
        return Gzip.compress(try TarArchive.archive(files))
    }

    func testAclImdbArchiveIsExtractedWithoutUnsupAndHostileMembers() throws {
        let folder = try temporaryFolder()
        let archive = "\(folder)/aclImdb_v1.tar.gz"
        try Data(try TextDatasetTests.aclImdbArchive(reviewsPerClass: 3)).write(to: URL(fileURLWithPath: archive))
        let summary = try AclImdbArchive.extract(archive, to: "\(folder)/out")
        XCTAssertEqual(summary.counts, ["train/pos": 3, "train/neg": 3, "test/pos": 3, "test/neg": 3])
        XCTAssertEqual(summary.skippedUnsupervised, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/out/aclImdb/train/unsup"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/escape.txt"))
        let train = try textDatasetFromDirectory("\(folder)/out/aclImdb/train", batchSize: 2, shuffle: false)
        XCTAssertEqual(train.classNames, ["neg", "pos"])
        XCTAssertEqual(train.texts.first, "neg review 0 <br />")
    }

    func testDamagedArchivesThrowNamingTheFile() throws {
        let folder = try temporaryFolder()
        let cases: [(String, [UInt8], String)] = [
            ("empty.tar.gz", [], "is empty"),
            ("garbage.tar.gz", Array(repeating: 0x41, count: 2000), "cannot be opened"),
            ("other.tar.gz", Gzip.compress(try TarArchive.archive([("x/y.txt", Array("z".utf8))])), "holds no aclImdb"),
            ("cut.tar.gz", Array(try TextDatasetTests.aclImdbArchive(reviewsPerClass: 40).prefix(300)), "cut.tar.gz"),
        ]
        for (name, bytes, expected) in cases {
            let path = "\(folder)/\(name)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try AclImdbArchive.extract(path, to: "\(folder)/out-\(name)"), name) { error in
                XCTAssertTrue("\(error)".contains(name) && "\(error)".contains(expected), "\(name): \(error)")
            }
        }
        XCTAssertThrowsError(try AclImdbArchive.extract("\(folder)/missing.tar.gz", to: folder)) { error in
            XCTAssertTrue("\(error)".contains("no such file; download https://ai.stanford.edu"), "\(error)")
        }
    }

    /// An extraction that stopped half-way (a truncated download) left the reviews already written in
    /// `aclImdb/`, so a rerun — or `textDatasetFromDirectory` — took the partial set for the whole one. The
    /// reviews are now staged in a hidden folder and moved into place only when the archive has been read
    /// to its end: a failure leaves no `aclImdb` (or the previous complete one, untouched), and staging
    /// folders of killed runs are removed by the next extraction.
    func testAnExtractionCutShortLeavesNoPartialSetAndKeepsThePreviousOne() throws {
        let folder = try temporaryFolder()
        let whole = try TextDatasetTests.aclImdbArchive(reviewsPerClass: 40)
        let cut = "\(folder)/cut.tar.gz", good = "\(folder)/aclImdb_v1.tar.gz", out = "\(folder)/out"
        try Data(whole.prefix(whole.count * 6 / 10)).write(to: URL(fileURLWithPath: cut))
        try Data(whole).write(to: URL(fileURLWithPath: good))
        let files = FileManager.default
        func staged() -> [String] { ((try? files.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasPrefix(".aclImdb") } }
        func reviews(_ split: String) -> Int { ((try? files.contentsOfDirectory(atPath: "\(out)/aclImdb/\(split)")) ?? []).count }

        XCTAssertThrowsError(try AclImdbArchive.extract(cut, to: out)) { XCTAssertTrue("\($0)".contains("cut.tar.gz"), "\($0)") }
        XCTAssertFalse(files.fileExists(atPath: "\(out)/aclImdb"), "no partial set where a complete one is expected")
        XCTAssertEqual(staged(), [])

        XCTAssertEqual(try AclImdbArchive.extract(good, to: out).counts, ["train/pos": 40, "train/neg": 40, "test/pos": 40, "test/neg": 40])
        XCTAssertEqual(reviews("train/pos"), 40)
        XCTAssertThrowsError(try AclImdbArchive.extract(cut, to: out))
        XCTAssertEqual([reviews("train/pos"), reviews("train/neg"), reviews("test/pos"), reviews("test/neg")], [40, 40, 40, 40],
                       "the previous complete extraction is left as it was")
        XCTAssertEqual(staged(), [])

        // What a killed run leaves (its process gone) is removed by the next extraction and never read as the set.
        let abandoned = "\(out)/\(AclImdbArchive.stagingPrefix)999999999-dead/aclImdb/train/pos"
        try files.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(abandoned)/1_1.txt"))
        try files.removeItem(atPath: "\(out)/aclImdb/test/neg/0_7.txt")
        XCTAssertEqual(try AclImdbArchive.extract(good, to: out).counts["test/neg"], 40)
        XCTAssertEqual(staged(), [])
        XCTAssertEqual(reviews("test/neg"), 40, "a rerun replaces the set as a whole")
    }
}
