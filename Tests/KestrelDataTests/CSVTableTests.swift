import Foundation
import KestrelTensor
import XCTest
@testable import KestrelData

/// `CSVTable.read` (pandas' `read_csv` as the Keras tutorials call it) and the table operations, on
/// hand-written files whose parsed values are known; hostile files (binary, huge lines, empty, bad gzip).
final class CSVTableTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func write(_ text: String, _ name: String = "data.csv") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private static let autoMPGNames = ["MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year", "Origin"]
    /// Four lines in auto-mpg.data's layout: whitespace-aligned numbers, a tab, the quoted car name; one '?'.
    private static let autoMPGLines = """
        18.0   8   307.0      130.0      3504.      12.0   70  1\t"chevrolet chevelle malibu"
        25.0   4   98.00      ?          2046.      19.0   71  1\t"ford pinto"
        26.0   4   97.00      46.00      1835.      20.5   70  2\t"volkswagen 1131 deluxe sedan"
        24.0   4   113.0      95.00      2372.      15.0   70  3\t"toyota corona mark ii"

        """

    func testReadsAutoMPGLayoutLikePandasAndDropsMissingRows() throws {
        let path = try write(Self.autoMPGLines, "auto-mpg.data")
        let raw = try CSVTable.read(path, columnNames: Self.autoMPGNames, naValues: ["?"], comment: "\t", separator: .whitespace)
        XCTAssertEqual(raw.rowCount, 4)
        XCTAssertEqual(raw.columnNames, Self.autoMPGNames)
        XCTAssertNil(try raw.column("Horsepower")[1])
        XCTAssertThrowsError(try raw.tensor()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("auto-mpg.data, line 2, column 'Horsepower'"), message)
            XCTAssertTrue(message.contains("dropMissing()"), message)
        }
        let clean = try raw.dropMissing()
        XCTAssertEqual(clean.rowCount, 3)
        XCTAssertEqual(clean.lineNumbers, [1, 3, 4])
        let tensor = try clean.tensor(columns: ["MPG", "Horsepower", "Origin"])
        XCTAssertEqual(tensor.shape, [3, 3])
        XCTAssertEqual(tensor.scalars, [18, 130, 1, 26, 46, 2, 24, 95, 3])
        // The car name is a column too when the tab is not a comment: quoted, spaces inside kept.
        let withNames = try CSVTable.read(path, columnNames: Self.autoMPGNames + ["Car"], naValues: ["?"], separator: .whitespace)
        XCTAssertEqual(try withNames.column("Car")[2], "volkswagen 1131 deluxe sedan")
    }

    func testOneHotMapAndPopAsTheRegressionTutorial() throws {
        let path = try write(Self.autoMPGLines, "auto-mpg.data")
        var table = try CSVTable.read(path, columnNames: Self.autoMPGNames, naValues: ["?"], comment: "\t", separator: .whitespace).dropMissing()
        table = try table.mapping("Origin", ["1": "USA", "2": "Europe", "3": "Japan"])
        table = try table.oneHot(columns: ["Origin"], prefix: "", separator: "")
        XCTAssertEqual(table.columnNames, ["MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year", "Europe", "Japan", "USA"])
        XCTAssertEqual(try table.tensor(columns: ["Europe", "Japan", "USA"]).scalars, [0, 0, 1, 1, 0, 0, 0, 1, 0])
        let (features, labels) = try table.popping("MPG")
        XCTAssertEqual(labels.shape, [3, 1])
        XCTAssertEqual(labels.scalars, [18, 26, 24])
        XCTAssertFalse(features.columnNames.contains("MPG"))
        let prefixed = try CSVTable(columnNames: ["c"], columns: [["b", "a", nil]]).oneHot(columns: ["c"])
        XCTAssertEqual(prefixed.columnNames, ["c_a", "c_b"])
        XCTAssertEqual(try prefixed.tensor().scalars, [0, 1, 1, 0, 0, 0])
    }

    func testSampleSplitsAllRowsOnceAndIsSeeded() throws {
        let table = try CSVTable(columnNames: ["x"], columns: [(0..<50).map { String($0) }])
        let (train, test) = try table.sample(fraction: 0.8, seed: 0)
        XCTAssertEqual(train.rowCount, 40)
        XCTAssertEqual(test.rowCount, 10)
        XCTAssertEqual(Set(try train.numbers("x") + test.numbers("x")), Set((0..<50).map(Float.init)))
        XCTAssertEqual(try table.sample(fraction: 0.8, seed: 0).sample, train)
        XCTAssertNotEqual(try table.sample(fraction: 0.8, seed: 1).sample, train)
        let stats = table.describe()
        XCTAssertEqual(stats[0].mean, 24.5, accuracy: 1e-12)
        XCTAssertEqual(stats[0].std, (50.0 * 51 / 12).squareRoot(), accuracy: 1e-9)  // sample std of 0…49
    }

    func testSampleDrawsTheRowsPandasDrawsForTheSameSeed() throws {
        // numpy 2.4.6: np.random.RandomState(seed).choice(n, round(0.8 * n), replace=False), which pandas'
        // DataFrame.sample(frac=0.8, random_state=seed) takes.
        let expected: [(rows: Int, seed: UInt64, sample: [Float])] = [
            (10, 0, [2, 8, 4, 9, 1, 6, 7, 3]), (7, 42, [0, 1, 5, 2, 4, 3])]
        for (rows, seed, sample) in expected {
            let table = try CSVTable(columnNames: ["x"], columns: [(0..<rows).map { String($0) }])
            let (drawn, rest) = try table.sample(fraction: 0.8, seed: seed)
            XCTAssertEqual(try drawn.numbers("x"), sample, "rows \(rows), seed \(seed)")
            XCTAssertEqual(try rest.numbers("x"), (0..<rows).map(Float.init).filter { !sample.contains($0) }, "the rest in file order")
        }
        let table392 = try CSVTable(columnNames: ["x"], columns: [(0..<392).map { String($0) }])
        XCTAssertEqual(Array(try table392.sample(fraction: 0.8, seed: 0).sample.numbers("x").prefix(6)), [144, 280, 68, 372, 328, 255])
        // Python's round(2.5) == 2: five rows at frac 0.5 give 2, not 3.
        XCTAssertEqual(try CSVTable(columnNames: ["x"], columns: [["1", "2", "3", "4", "5"]]).sample(fraction: 0.5, seed: 0).sample.rowCount, 2)
        XCTAssertThrowsError(try table392.sample(fraction: 0.8, seed: 1 << 32)) { error in
            XCTAssertTrue("\(error)".contains("seed"), "\(error)")
        }
    }

    func testHeaderQuotesEmptyFieldsAndCRLF() throws {
        let path = try write("a,\"b, with comma\",c\r\n1,\"2\",\r\n\r\n\"4\"\"\",5,6\r\n")
        let table = try CSVTable.read(path)
        XCTAssertEqual(table.columnNames, ["a", "b, with comma", "c"])
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertNil(try table.column("c")[0], "an empty field is missing, as in pandas")
        XCTAssertEqual(try table.column("a")[1], "4\"")
        XCTAssertEqual(table.lineNumbers, [2, 4])
        XCTAssertThrowsError(try table.tensor(columns: ["a"])) { error in
            XCTAssertTrue("\(error)".contains("line 4, column 'a': '4\"' is not a number"), "\(error)")
        }
        let selected = try CSVTable.read(path, useColumns: ["c", "a"])
        XCTAssertEqual(selected.columnNames, ["a", "c"], "usecols keeps the file's order")
    }

    func testGzipHeaderlessMaxRowsAndConcatenatedMembers() throws {
        let rows = (0..<3000).map { row in (0..<29).map { String(Float(row * 29 + $0) / 8) }.joined(separator: ",") }
        let half = rows.count / 2
        let bytes = Gzip.compress(Array((rows[..<half].joined(separator: "\n") + "\n").utf8))
            + Gzip.compress(Array((rows[half...].joined(separator: "\n") + "\n").utf8))
        let url = folder.appendingPathComponent("HIGGS.csv.gz")
        try Data(bytes).write(to: url)
        let all = try CSVTable.read(url.path, header: false)
        XCTAssertEqual(all.rowCount, 3000)
        XCTAssertEqual(all.columnNames.first, "0")
        XCTAssertEqual(all.columnNames.count, 29)
        let tensor = try all.tensor()
        XCTAssertEqual(tensor.scalars[2999 * 29 + 28], Float(2999 * 29 + 28) / 8)
        let first = try CSVTable.read(url.path, header: false, maxRows: 1100)
        XCTAssertEqual(first.rowCount, 1100)
        XCTAssertEqual(try first.tensor().scalars.last, Float(1099 * 29 + 28) / 8)
        // truncated gzip: an error naming the file, not a crash
        let truncated = folder.appendingPathComponent("cut.csv.gz")
        try Data(bytes.prefix(bytes.count / 3)).write(to: truncated)
        XCTAssertThrowsError(try CSVTable.read(truncated.path, header: false)) { error in
            XCTAssertTrue("\(error)".contains("cut.csv.gz"), "\(error)")
        }
    }

    func testMaxRowsStopsReadingSoTheRestOfAHugeFileIsNeverTouched() throws {
        // 10 good rows, then 1 MiB with a NUL byte and no line break: reading it would throw (binary, too long)
        var bytes = Array("a,b\n".utf8) + (0..<10).flatMap { Array("\($0),\($0 * 2)\n".utf8) }
        bytes += [UInt8](repeating: 0, count: 1 << 20)
        let path = folder.appendingPathComponent("huge.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let table = try CSVTable.read(path, maxRows: 10)
        XCTAssertEqual(try table.numbers("b"), (0..<10).map { Float($0 * 2) })
        XCTAssertThrowsError(try CSVTable.read(path, maxRows: 11)) { XCTAssertTrue("\($0)".contains("binary file"), "\($0)") }
    }

    func testHostileFilesThrowClearErrors() throws {
        // empty file
        XCTAssertThrowsError(try CSVTable.read(try write("", "empty.csv"))) { XCTAssertTrue("\($0)".contains("is empty"), "\($0)") }
        // names given on an empty file: zero rows
        XCTAssertEqual(try CSVTable.read(try write("", "empty2.csv"), columnNames: ["a", "b"]).rowCount, 0)
        // binary file
        var binary = [UInt8](repeating: 7, count: 100)
        binary[50] = 0
        let binaryPath = folder.appendingPathComponent("model.bin").path
        try Data(binary).write(to: URL(fileURLWithPath: binaryPath))
        XCTAssertThrowsError(try CSVTable.read(binaryPath)) { XCTAssertTrue("\($0)".contains("binary file"), "\($0)") }
        // invalid UTF-8
        let latin = folder.appendingPathComponent("latin1.csv")
        try Data([0x61, 0x0a, 0xe9, 0x0a]).write(to: latin)
        XCTAssertThrowsError(try CSVTable.read(latin.path)) { XCTAssertTrue("\($0)".contains("line 2 is not UTF-8"), "\($0)") }
        // a huge line stops at the limit
        let huge = try write("a,b\n" + String(repeating: "9", count: 5000) + ",1\n", "huge.csv")
        XCTAssertThrowsError(try CSVTable.read(huge, maxLineLength: 1000)) { XCTAssertTrue("\($0)".contains("longer than 1000 bytes"), "\($0)") }
        // an unclosed quote
        XCTAssertThrowsError(try CSVTable.read(try write("a\n\"open\n", "quote.csv"))) { XCTAssertTrue("\($0)".contains("never closed"), "\($0)") }
        // ragged rows
        XCTAssertThrowsError(try CSVTable.read(try write("a,b\n1,2\n3,4,5\n", "ragged.csv"))) { error in
            XCTAssertTrue("\(error)".contains("line 3 has 3 fields but the table has 2 columns"), "\(error)")
        }
        // missing file, folder, unknown column, out-of-range number
        XCTAssertThrowsError(try CSVTable.read(folder.appendingPathComponent("nope.csv").path)) { XCTAssertTrue("\($0)".contains("no such file")) }
        XCTAssertThrowsError(try CSVTable.read(folder.path)) { XCTAssertTrue("\($0)".contains("is a folder")) }
        let table = try CSVTable.read(try write("a\n1e39\n", "big.csv"))
        XCTAssertThrowsError(try table.tensor(columns: ["z"])) { XCTAssertTrue("\($0)".contains("no column 'z'; the columns are 'a'")) }
        XCTAssertThrowsError(try table.tensor()) { XCTAssertTrue("\($0)".contains("outside Float32's range"), "\($0)") }
        XCTAssertThrowsError(try CSVTable.read(try write("a\n1\n", "neg.csv"), maxRows: -1))
    }

    /// Old Mac files end lines with a lone `\r`: they were read as one line (a lone `\r` was dropped).
    /// `\n`, `\r\n` and `\r` now each end a line, mixed too; inside quotes they are kept and counted once.
    func testCarriageReturnNewlineAndMixedLineEndsReadAlike() throws {
        let rows = ["a,b,c", "1,\"x\",3", "", "4,5,6", "7,8,9"]
        for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
            let table = try CSVTable.read(try write(rows.joined(separator: end) + end, "\(name).csv"))
            XCTAssertEqual(table.columnNames, ["a", "b", "c"], name)
            XCTAssertEqual(table.rowCount, 3, name)
            XCTAssertEqual(try table.numbers("c"), [3, 6, 9], name)
            XCTAssertEqual(table.lineNumbers, [2, 4, 5], name)
        }
        let mixed = try CSVTable.read(try write("a,b\r1,2\r\n3,4\n5,6\r", "mixed.csv"))
        XCTAssertEqual(try mixed.numbers("b"), [2, 4, 6])
        XCTAssertEqual(mixed.lineNumbers, [2, 3, 4])
        // Quoted line breaks stay in the field and count as one line each; a \r\n split across chunks is one line end.
        let quoted = try CSVTable.read(try write("a,b\r\"one\r\ntwo\rthree\",1\r2,3\r", "quoted.csv"))
        XCTAssertEqual(try quoted.column("a"), ["one\r\ntwo\rthree", "2"])
        XCTAssertEqual(quoted.lineNumbers, [2, 5])
        // Whitespace-separated files too (auto-mpg.data saved on an old Mac).
        let spaced = try CSVTable.read(try write("18.0 8\r25.0 4\r", "mpg.data"), columnNames: ["MPG", "Cylinders"], separator: .whitespace)
        XCTAssertEqual(try spaced.numbers("Cylinders"), [8, 4])
        let headerless = try CSVTable.read(try write("1,2\r3,4", "headerless.csv"), header: false)
        XCTAssertEqual(headerless.rowCount, 2)
    }

    /// A FIFO would block the open for ever and /dev/zero never ends: both are named for what they are.
    func testAFIFOADeviceAndAFolderAreNamedNotReadForEver() throws {
        let fifo = folder.appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try CSVTable.read(fifo)) { XCTAssertTrue("\($0)".contains("'\(fifo)' is not a regular file but a FIFO (named pipe)"), "\($0)") }
        XCTAssertThrowsError(try CSVTable.read("/dev/zero")) { XCTAssertTrue("\($0)".contains("character device"), "\($0)") }
        XCTAssertThrowsError(try Tensor(npyFile: fifo)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try Tensor(npyFile: "/dev/zero")) { XCTAssertTrue("\($0)".contains("character device"), "\($0)") }
        XCTAssertThrowsError(try Tensor(npyFile: folder.path)) { XCTAssertTrue("\($0)".contains("is a folder"), "\($0)") }
        XCTAssertThrowsError(try loadImg(fifo)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try KerasIMDB.loadData(path: "/dev/zero")) { XCTAssertTrue("\($0)".contains("character device"), "\($0)") }
        XCTAssertThrowsError(try KerasIMDB.wordIndex(path: fifo)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try AclImdbArchive.extract(fifo, to: folder.path)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        // A sparse file of a terabyte named like an image was read until memory ran out: refused from its size.
        let huge = folder.appendingPathComponent("huge.png").path
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: nil))
        XCTAssertEqual(truncate(huge, 1 << 40), 0)
        XCTAssertThrowsError(try loadImg(huge)) { XCTAssertTrue("\($0)".contains("huge.png: reading this 1024.0 GB file needs about"), "\($0)") }
        // A FIFO among the text files of a class folder (textDatasetFromDirectory) is named, not waited on.
        let texts = folder.appendingPathComponent("texts/pos")
        try FileManager.default.createDirectory(at: texts, withIntermediateDirectories: true)
        try Data("fine".utf8).write(to: texts.appendingPathComponent("a.txt"))
        XCTAssertEqual(mkfifo(texts.appendingPathComponent("b.txt").path, 0o600), 0)
        XCTAssertThrowsError(try textDatasetFromDirectory(folder.appendingPathComponent("texts").path)) {
            XCTAssertTrue("\($0)".contains("b.txt' is not a regular file but a FIFO"), "\($0)")
        }
    }
}
