import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

final class TrainingLogReaderTests: XCTestCase {
    func testGoldenKerasCSVLoggerFile() throws {
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        XCTAssertEqual(log.count, 30)
        XCTAssertEqual(log.epochs, Array(0..<30))
        XCTAssertEqual(log.metricNames, ["accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"])
        XCTAssertEqual(log.values("loss")?.first, 0.936248242855072)
        XCTAssertEqual(log.values("val_loss")?[2], 0.7953741550445557)
        XCTAssertEqual(log.values("accuracy")?[2], 0.875)
        XCTAssertEqual(log.values("learning_rate")?.last, 0.000375000003259629)
        XCTAssertEqual(log.values("val_accuracy")?.last, 0.6474999785423279)
    }

    func testKerasHistoryJSONMatchesTheCSVOfTheSameRun() throws {
        let csv = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let json = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_history_overfit.json"))
        XCTAssertEqual(json.metricNames, csv.metricNames)
        for name in csv.metricNames {
            XCTAssertEqual(json.values(name), csv.values(name), name)
        }
    }

    func testKestrelHistoryJSONWithEpochsAndNulls() throws {
        let text = #"{"epoch": [3, 4, 5], "history": {"loss": [0.5, 0.4, NaN], "val_loss": [0.6, null, 0.55]}, "params": {"verbose": 1}}"#
        let log = try TrainingLogReader.parseJSON(Data(text.utf8))
        XCTAssertEqual(log.epochs, [3, 4, 5])
        XCTAssertEqual(log.values("loss")?[1], 0.4)
        XCTAssertTrue(log.values("loss")?[2].isNaN ?? false)
        XCTAssertTrue(log.values("val_loss")?[1].isNaN ?? false)
    }

    func testWriterRoundTripsThroughBothFormats() throws {
        var log = TrainingLog()
        log.append(epoch: 0, logs: ["loss": 1.5, "accuracy": 0.25])
        log.append(epoch: 1, logs: ["loss": 1.25, "accuracy": 0.5, "val_loss": 1.375])
        XCTAssertTrue(log.values("val_loss")?[0].isNaN ?? false, "a metric first seen later is back-filled with nan")
        let fromJSON = try TrainingLogReader.parseJSON(Data(try TrainingLogWriter.kestrelJSON(log).utf8))
        let fromCSV = try TrainingLogReader.parseCSV(TrainingLogWriter.csv(log))
        for reread in [fromJSON, fromCSV] {
            XCTAssertEqual(reread.epochs, [0, 1])
            XCTAssertEqual(reread.values("loss"), [1.5, 1.25])
            XCTAssertEqual(reread.values("val_loss")?[1], 1.375)
            XCTAssertTrue(reread.values("val_loss")?[0].isNaN ?? false)
        }
        XCTAssertTrue(TrainingLogWriter.csv(log).hasPrefix("epoch,accuracy,loss,val_loss\n0,0.25,1.5,NA\n"))
    }

    func testHistoryWithSparseValidationBecomesAnAlignedLog() throws {
        let history = History()
        history.record(epoch: 0, logs: ["loss": 1.5])
        history.record(epoch: 1, logs: ["loss": 1.25, "val_loss": 2])
        let log = try TrainingLog(history: history)
        XCTAssertEqual(log.epochs, [0, 1])
        XCTAssertTrue(log.values("val_loss")?[0].isNaN ?? false)
        XCTAssertEqual(log.values("val_loss")?[1], 2)
        let reread = try TrainingLogReader.parseJSON(try history.jsonData())
        XCTAssertEqual(reread.values("loss"), [1.5, 1.25])
        XCTAssertTrue(reread.values("val_loss")?[0].isNaN ?? false)
        XCTAssertEqual(reread.values("val_loss")?[1], 2)
    }

    func testCSVErrorsNameTheLine() {
        XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n0,0.5\n1,abc\n")) { error in
            XCTAssertEqual(error as? TrainingLogError, .invalidCSV(line: 3, reason: "'abc' in column 'loss' is not a number"))
        }
        XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n0,0.5,0.7\n")) { error in
            XCTAssertTrue("\(error)".contains("line 2"))
        }
    }

    func testJSONErrorsAndUnequalLengths() {
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": [1, 2], "val_loss": [1]}"#.utf8))) { error in
            guard case .unequalLengths? = error as? TrainingLogError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": "high"}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("'loss' must be a list of numbers"))
        }
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data("[1, 2".utf8)))
    }

    func testReadRejectsMissingAndUnknownFiles() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/kestrel/log.csv")
        XCTAssertThrowsError(try TrainingLogReader.read(contentsOf: missing)) { error in
            XCTAssertEqual("\(error)", "Cannot read the training log '/nonexistent/kestrel/log.csv': no such file.")
        }
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-diag-\(UUID().uuidString).txt")
        try "hello world\n".write(to: other, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: other) }
        XCTAssertThrowsError(try TrainingLogReader.read(contentsOf: other)) { error in
            guard case .unrecognisedFormat? = error as? TrainingLogError else { return XCTFail("\(error)") }
        }
    }
}
