import Foundation
import XCTest
@testable import KestrelData

/// `KerasIMDB.loadData` against Keras 3's `imdb.load_data` on a small file of imdb.npz's layout
/// (`scripts/fixtures/make_keras_imdb_fixtures.py` → Tests/Fixtures/keras/text/imdb_small.npz, imdb.json),
/// and the restricted pickle reader on hostile input.
final class KerasIMDBTests: XCTestCase {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras/text")

    func testLoadDataMatchesKeras() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("imdb.json"))
        let cases = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 4)
        let path = Self.folder.appendingPathComponent("imdb_small.npz").path
        for item in cases {
            let args = try XCTUnwrap(item["args"] as? [String: Any])
            let noStart = args.keys.contains("start_char"), noOOV = args.keys.contains("oov_char")
            let (train, test) = try KerasIMDB.loadData(path: path, numWords: args["num_words"] as? Int, skipTop: args["skip_top"] as? Int ?? 0,
                                                       maxlen: args["maxlen"] as? Int, seed: UInt32(args["seed"] as? Int ?? 113),
                                                       startChar: noStart ? nil : 1, oovChar: noOOV ? nil : 2, indexFrom: args["index_from"] as? Int ?? 3)
            XCTAssertEqual(train.sequences, try XCTUnwrap(item["x_train"] as? [[Int]]), "x_train \(args)")
            XCTAssertEqual(train.labels, try XCTUnwrap(item["y_train"] as? [Int]), "y_train \(args)")
            XCTAssertEqual(test.sequences, try XCTUnwrap(item["x_test"] as? [[Int]]), "x_test \(args)")
            XCTAssertEqual(test.labels, try XCTUnwrap(item["y_test"] as? [Int]), "y_test \(args)")
        }
        let hot = try KerasIMDB.multiHot([[1, 3, 3], [0, 9]], dimension: 4)
        XCTAssertEqual(hot.scalars, [0, 1, 0, 1, 1, 0, 0, 0])
    }

    func testHostileFilesThrowNamingThem() throws {
        let folder = NSTemporaryDirectory() + "kestrel-imdb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try KerasIMDB.loadData(path: "\(folder)/imdb.npz")) { XCTAssertTrue("\($0)".contains("no such file; download it with Keras")) }
        try Data().write(to: URL(fileURLWithPath: "\(folder)/empty.npz"))
        XCTAssertThrowsError(try KerasIMDB.loadData(path: "\(folder)/empty.npz")) { XCTAssertTrue("\($0)".contains("empty.npz: is empty")) }
        try Data(repeating: 7, count: 500).write(to: URL(fileURLWithPath: "\(folder)/junk.npz"))
        XCTAssertThrowsError(try KerasIMDB.loadData(path: "\(folder)/junk.npz")) { XCTAssertTrue("\($0)".contains("junk.npz")) }
        // A pickle that names another global (os.system) is refused before anything runs.
        let header = Array("\u{93}NUMPY".unicodeScalars.map { UInt8($0.value) }) + [1, 0, 4, 0] + Array("{}  ".utf8)
        let evil = header + [0x80, 0x02] + Array("cos\nsystem\n".utf8) + [0x2E]
        XCTAssertThrowsError(try KerasIMDB.objectArray(evil, source: "evil.npy")) { error in
            XCTAssertTrue("\(error)".contains("evil.npy"), "\(error)")
        }
        let evilArray = Array("\u{93}NUMPY".unicodeScalars.map { UInt8($0.value) }) + [1, 0, 16, 0] + Array("{'descr': '|O'} ".utf8)
        XCTAssertThrowsError(try KerasIMDB.objectArray(evilArray + [0x80, 0x02] + Array("cos\nsystem\n".utf8) + [0x2E], source: "evil.npy")) { error in
            XCTAssertTrue("\(error)".contains("refuses the global os.system"), "\(error)")
        }
        // A truncated stream and an unknown opcode are errors, not crashes.
        XCTAssertThrowsError(try KerasIMDB.objectArray(evilArray + [0x80, 0x02, 0x4A, 1], source: "cut.npy")) { XCTAssertTrue("\($0)".contains("ends inside")) }
        XCTAssertThrowsError(try KerasIMDB.objectArray(evilArray + [0x80, 0x02, 0x69], source: "op.npy")) { XCTAssertTrue("\($0)".contains("opcode 0x69")) }
        try Data("{\"the\": 1, \"bad\": \"x\"}".utf8).write(to: URL(fileURLWithPath: "\(folder)/index.json"))
        XCTAssertThrowsError(try KerasIMDB.wordIndex(path: "\(folder)/index.json")) { XCTAssertTrue("\($0)".contains("'bad'")) }
        try Data("{\"the\": 1, \"and\": 2}".utf8).write(to: URL(fileURLWithPath: "\(folder)/good.json"))
        XCTAssertEqual(try KerasIMDB.wordIndex(path: "\(folder)/good.json"), ["the": 1, "and": 2])
    }
}
