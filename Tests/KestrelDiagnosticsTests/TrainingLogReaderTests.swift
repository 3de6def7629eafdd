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
        XCTAssertEqual(log.series["loss"]?[2]?.isNaN, true, "a logged NaN stays NaN")
        XCTAssertEqual(log.series["val_loss"]?[1], .some(nil), "null is 'not logged'")
        XCTAssertTrue(log.values("val_loss")?[1].isNaN ?? false, "the analysis reads a gap as NaN")
    }

    func testCSVTellsALoggedNaNFromAMissingValue() throws {
        let log = try TrainingLogReader.parseCSV("epoch,loss,val_loss\n0,0.5,NA\n1,nan,0.75\n2,inf,\n")
        XCTAssertEqual(log.series["val_loss"], [nil, 0.75, nil])
        XCTAssertEqual(log.series["loss"]?[0], 0.5)
        XCTAssertEqual(log.series["loss"]?[1]?.isNaN, true)
        XCTAssertEqual(log.series["loss"]?[2], .infinity)
        XCTAssertEqual(HistoryFile.csv(log), "epoch,loss,val_loss\n0,0.5,NA\n1,nan,0.75\n2,inf,NA\n", "written back as read")
    }

    func testWriterRoundTripsThroughBothFormats() throws {
        var log = TrainingLog()
        log.append(epoch: 0, logs: ["loss": 1.5, "accuracy": 0.25])
        log.append(epoch: 1, logs: ["loss": 1.25, "accuracy": 0.5, "val_loss": 1.375])
        XCTAssertEqual(log.series["val_loss"], [nil, 1.375], "a metric first seen later is nil before")
        let fromJSON = try TrainingLogReader.parseJSON(try HistoryFile.json(log))
        let fromCSV = try TrainingLogReader.parseCSV(HistoryFile.csv(log))
        XCTAssertEqual(fromJSON, log)
        XCTAssertEqual(fromCSV, log)
        XCTAssertTrue(HistoryFile.csv(log).hasPrefix("epoch,accuracy,loss,val_loss\n0,0.25,1.5,NA\n"))
    }

    func testHistoryWithSparseValidationIsItsLog() throws {
        let history = History()
        history.record(epoch: 0, logs: ["loss": 1.5])
        history.record(epoch: 1, logs: ["loss": 1.25, "val_loss": 2])
        history.record(epoch: 2, logs: ["loss": .nan, "val_loss": .nan])
        let log = try TrainingLog(history: history)
        XCTAssertEqual(log, history.log)
        XCTAssertEqual(log.epochs, [0, 1, 2])
        XCTAssertEqual(log.series["val_loss"]?[0], .some(nil))
        XCTAssertEqual(log.series["val_loss"]?[2]?.isNaN, true)
        XCTAssertEqual(log.values("val_loss")?[1], 2)
        XCTAssertEqual(History(log: log).log, log, "a history made from a log holds the same table")
        XCTAssertEqual(History(log: log).csvText(), history.csvText())
        XCTAssertEqual(try History(log: log).jsonData(), try history.jsonData())
        let reread = try TrainingLogReader.parseJSON(try history.jsonData())
        XCTAssertEqual(reread.values("loss")?.prefix(2), [1.5, 1.25])
        XCTAssertEqual(reread.series["val_loss"]?.prefix(2), [nil, 2])
        XCTAssertEqual(try TrainingLogReader.parseCSV(history.csvText()).series["val_loss"]?[2]?.isNaN, true,
                       "the CSV keeps a logged NaN (the JSON writes it as null)")
    }

    func testCSVErrorsNameTheLine() {
        XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n0,0.5\n1,abc\n")) { error in
            XCTAssertEqual(error as? TrainingLogError, .invalidCSV(line: 3, reason: "'abc' in column 'loss' is not a number"))
        }
        XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n0,0.5,0.7\n")) { error in
            XCTAssertTrue("\(error)".contains("line 2"))
        }
    }

    /// `json.dump(history.history)` after `fit(validation_freq=2)`: 5 epochs, validation after epochs 2 and 4
    /// (1-based), so the two val_ values belong to rows 1 and 3.
    func testKerasHistoryJSONWithValidationFreqIsSpreadOverItsEpochs() throws {
        let text = #"{"loss": [1.0, 0.9, 0.8, 0.7, 0.6], "accuracy": [0.5, 0.6, 0.7, 0.75, 0.8], "val_loss": [0.95, 0.75], "val_accuracy": [0.55, 0.72]}"#
        let log = try TrainingLogReader.parseJSON(Data(text.utf8))
        XCTAssertEqual(log.count, 5)
        XCTAssertEqual(log.series["val_loss"], [nil, 0.95, nil, 0.75, nil])
        XCTAssertEqual(log.series["val_accuracy"], [nil, 0.55, nil, 0.72, nil])
        XCTAssertEqual(log.series["loss"], [1.0, 0.9, 0.8, 0.7, 0.6])
        // validation_freq=3 over 7 epochs: epochs 3 and 6.
        let three = try TrainingLogReader.parseJSON(Data(#"{"loss": [7, 6, 5, 4, 3, 2, 1], "val_loss": [5.5, 2.5]}"#.utf8))
        XCTAssertEqual(three.series["val_loss"], [nil, nil, 5.5, nil, nil, 2.5, nil])
    }

    func testKerasHistoryJSONWithUntellableValidationEpochsIsAnError() {
        // One value for 6 epochs: validation_freq 4, 5 or 6 (or a list) — which epoch cannot be told.
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": [6, 5, 4, 3, 2, 1], "val_loss": [3]}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("cannot be told"), "\(error)")
            XCTAssertTrue("\(error)".contains("'val_loss' has 1 values for 6 epochs"), "\(error)")
        }
        // val_ lists of different lengths.
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": [4, 3, 2, 1], "val_loss": [3, 1], "val_accuracy": [0.5]}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("other val_ lists have other lengths"), "\(error)")
        }
    }

    func testJSONErrorsAndUnequalLengths() {
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": [1, 2], "val_loss": [1, 2, 3]}"#.utf8))) { error in
            guard case .unequalLengths? = error as? TrainingLogError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(#"{"loss": [1, 2], "accuracy": [1]}"#.utf8))) { error in
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
