import Foundation
import Kestrel
import XCTest
@testable import KestrelDiagnostics

/// History files whose epoch numbers used to trap `Int(Double)` in the reader.
final class HostileLogTests: XCTestCase {
    func testJSONEpochsOutsideIntAreAnError() {
        for epoch in ["1e19", "-1e30", "9223372036854775808", "1.5", "-1"] {
            let json = #"{"history": {"loss": [0.5]}, "epoch": [\#(epoch)]}"#
            XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(json.utf8)), epoch) { error in
                XCTAssertTrue("\(error)".contains("'epoch'"), "\(error)")
            }
        }
        XCTAssertEqual(try TrainingLogReader.parseJSON(Data(#"{"history": {"loss": [0.5]}, "epoch": [7]}"#.utf8)).epochs, [7])
    }

    func testCSVEpochsOutsideTheRangeAreAnError() {
        for epoch in ["9223372036854775807", "-3", "1e19"] {
            XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n\(epoch),0.5\n"), epoch)
        }
    }

    /// JSON nested a hundred thousand deep (a recursion bomb) in a history file or a Keras model config: an
    /// error, not a stack overflow.
    func testDeeplyNestedJSONIsAnErrorNotAStackOverflow() {
        for depth in [600, 100_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": \#(nested)}"#.utf8)), "\(depth)")
            XCTAssertThrowsError(try ModelSpecification(kerasJSON: Data(#"{"class_name": "Sequential", "config": {"layers": \#(nested)}}"#.utf8)), "\(depth)")
            let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(objects.utf8)), "\(depth)")
        }
    }

    /// CSVLogger files saved with old Mac (`\r`) or Windows (`\r\n`) line ends are read, and
    /// `CSVLogger(append: true)` continues them without a blank row (a `\r\n` file got one: Swift's
    /// `hasSuffix("\n")` is false for the one-character "\r\n", so another line break was added).
    func testCSVLogsWithCarriageReturnLineEndsAreReadAndContinued() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cr-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, end) in [("cr", "\r"), ("crlf", "\r\n"), ("lf", "\n")] {
            let url = folder.appendingPathComponent("\(name).csv")
            try Data(["epoch,loss,val_loss", "0,1.0,1.5", "1,0.5,1.25"].map { $0 + end }.joined().utf8).write(to: url)
            let log = try TrainingLogReader.read(contentsOf: url)
            XCTAssertEqual(log.epochs, [0, 1], name)
            XCTAssertEqual(log.series["val_loss"], [1.5, 1.25], name)
            let logger = CSVLogger(url.path, append: true)
            var logs: [String: Double] = [:]
            try logger.onTrainBegin(logs: &logs)
            var epoch = ["loss": 0.25, "val_loss": 1.0]
            try logger.onEpochEnd(2, logs: &epoch)
            let continued = try TrainingLogReader.read(contentsOf: url)
            XCTAssertEqual(continued.epochs, [0, 1, 2], name)
            XCTAssertEqual(continued.series["loss"], [1.0, 0.5, 0.25], name)
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertFalse(text.contains("\n\n") || text.contains("\r\n\n") || text.contains("\r\r"), "\(name): a blank row in \(text.debugDescription)")
        }
    }

    /// A training log that is a FIFO blocked `Data(contentsOf:)` for ever, and /dev/zero was read until
    /// memory ran out; both, and a folder, are named for what they are (CSVLogger's append too).
    func testNonRegularLogFilesAreNamedNotReadForEver() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-fifo-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("log.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        for (url, expected) in [(fifo, "it is not a regular file but a FIFO (named pipe)"), (URL(fileURLWithPath: "/dev/zero"), "it is not a regular file but a character device"),
                                (folder, "it is a folder")] {
            XCTAssertThrowsError(try TrainingLogReader.read(contentsOf: url)) { error in
                XCTAssertEqual("\(error)".hasPrefix("Cannot read the training log '\(url.path)': \(expected)"), true, "\(error)")
            }
        }
        var logs: [String: Double] = [:]
        XCTAssertThrowsError(try CSVLogger(fifo.path, append: true).onTrainBegin(logs: &logs)) { error in
            XCTAssertTrue("\(error)".contains("CSVLogger(append: true): '\(fifo.path)' is not a regular file but a FIFO"), "\(error)")
        }
    }
}

/// Logs with values near Double's limits: the figure's pixel coordinates overflowed `Int` and trapped
/// `kestrel plot`, `diagnose --report` and `compare`.
final class HostileLogValueTests: XCTestCase {
    func testHugeLoggedValuesDrawAFigure() throws {
        let log = try TrainingLogReader.parseCSV("epoch,loss,val_loss\n0,1e300,-1e300\n1,1.7e308,-1.7e308\n2,5e-324,1\n")
        let svg = log.figure().svg
        XCTAssertTrue(svg.hasPrefix("<") && svg.contains("</svg>"), String(svg.prefix(200)))
        XCTAssertEqual(SVGWriter.number(1e19), "1000000")
        XCTAssertEqual(SVGWriter.number(-1e300), "-1000000")
        XCTAssertEqual(SVGWriter.number(12.34), "12.3")
        XCTAssertEqual(SVGWriter.number(.infinity), "0")
    }

    func testConfusionMatrixLabelsThatAreNotClassIndicesAreAnError() throws {
        let model = try Sequential { Input(shape: [1]); Dense(2, activation: .softmax) }
        XCTAssertThrowsError(try ConfusionMatrix(model: model, x: Tensor(shape: [2, 1], scalars: [1, 2]), y: Tensor(shape: [2], scalars: [0, .nan]))) { error in
            XCTAssertTrue("\(error)".contains("`y`"), "\(error)")
        }
    }
}

/// A log of very many epochs: the curves are thinned to what the chart's pixel columns can show (the PNG
/// of a 200,000-epoch CSV took the rasteriser minutes).
final class HostileLogLengthTests: XCTestCase {
    func testThinningKeepsFirstLowestHighestAndLastOfACrowdedColumn() {
        let points: [(x: Double, y: Double)] = [(0.1, 5), (0.2, 1), (0.3, 9), (0.4, 3), (0.5, 4), (1.2, 7)]
        let thinned = PolylineThinning.thinned(points)
        XCTAssertEqual(thinned.map(\.x), [0.1, 0.2, 0.3, 0.5, 1.2])
        XCTAssertEqual(thinned.map(\.y), [5, 1, 9, 4, 7])
        let sparse: [(x: Double, y: Double)] = (0..<50).map { (Double($0) * 1.5, Double($0 % 7)) }
        XCTAssertEqual(PolylineThinning.thinned(sparse).map(\.y), sparse.map(\.y))
    }

    func testAHundredThousandEpochsDrawAsManyPointsAsTheChartHasColumns() throws {
        var csv = "epoch,loss,val_loss\n"
        for epoch in 0..<100_000 { csv += "\(epoch),\(1 + Double(epoch % 97) / 97),\(2 + Double(epoch % 89) / 89)\n" }
        let svg = try TrainingLogReader.parseCSV(csv).figure().svg
        let lineCommands = svg.components(separatedBy: "L").count - 1
        XCTAssertLessThan(lineCommands, 20_000)
        XCTAssertGreaterThan(lineCommands, 1_000)
    }
}
