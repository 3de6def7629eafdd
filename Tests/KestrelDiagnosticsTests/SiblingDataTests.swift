import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The sibling rule holds only for runs trained and validated on the same data: a run whose recorded data
/// (`TrainingLog.data`, written by `fit` on arrays into Kestrel's history JSON) visibly differ from its
/// sibling's is read without it, and the evidence and the comparison report say why.
final class SiblingDataTests: XCTestCase {
    static var options: DiagnosisOptions {
        var options = DiagnosisOptions()
        options.monitor = "val_binary_crossentropy"
        return options
    }

    /// A levelled-off run: training at `train`, validation at `validation` after a fall, with `data` recorded.
    static func log(train: Double, validation: Double, data: DataFingerprint?) throws -> TrainingLog {
        let fall = (0..<30).map { exp(-Double($0) / 3) }
        var log = try TrainingLog(series: [
            "binary_crossentropy": fall.map { train + 0.2 * $0 },
            "val_binary_crossentropy": fall.map { validation + 0.2 * $0 },
            "accuracy": fall.map { 0.64 - 0.1 * $0 }, "val_accuracy": fall.map { 0.63 - 0.1 * $0 },
        ])
        log.data = data
        return log
    }

    static let same = DataFingerprint(trainingSamples: 8000, validationSamples: 2000,
                                      trainingTargets: "00000000000000aa", validationTargets: "00000000000000bb")

    func testTheSiblingRuleAppliesOnTheSameDataAndIsRefusedOnOtherData() throws {
        let analyzer = CurveAnalyzer(options: Self.options)
        let weak = try Self.log(train: 0.62, validation: 0.625, data: Self.same)
        // Same data (also when only one side recorded it): the larger sibling's better value makes it underfitting.
        for siblingData in [Self.same, nil] {
            let strong = try Self.log(train: 0.50, validation: 0.55, data: siblingData)
            let diagnosis = analyzer.diagnose(weak, siblings: [SiblingRun(name: "Large", log: strong, parameterCount: 10_000)], parameterCount: 500)
            XCTAssertEqual(diagnosis.verdict, .underfitting, diagnosis.headline)
            XCTAssertFalse(diagnosis.headline.hasPrefix("Possibly"), diagnosis.headline)
            XCTAssertFalse(diagnosis.evidence.contains { $0.contains("other data") }, "\(diagnosis.evidence)")
        }
        // Other validation data (other count, or the same count with other targets): the sibling is left out, and the evidence says why.
        var otherCount = Self.same
        otherCount.validationSamples = 500
        var otherTargets = Self.same
        otherTargets.validationTargets = "00000000000000cc"
        for (siblingData, phrase) in [(otherCount, "2000 validation samples here, 500 there"), (otherTargets, "other validation targets")] {
            let strong = try Self.log(train: 0.50, validation: 0.55, data: siblingData)
            let diagnosis = analyzer.diagnose(weak, siblings: [SiblingRun(name: "Large", log: strong, parameterCount: 10_000)], parameterCount: 500)
            XCTAssertTrue(diagnosis.verdict != .underfitting || diagnosis.headline.hasPrefix("Possibly"), diagnosis.headline)
            XCTAssertTrue(diagnosis.evidence.contains { $0.contains("leaves out 'Large'") && $0.contains(phrase) }, "\(diagnosis.evidence)")
            XCTAssertTrue(diagnosis.evidence.contains { $0.contains("read from this run alone") }, "\(diagnosis.evidence)")
            XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: weak, options: Self.options), [])
        }
    }

    func testACompareOfVariantsOnOtherDataSaysSoAndDoesNotUseTheSiblingRule() throws {
        let analyzer = MultiRunAnalyzer(options: Self.options)
        let weak = try Self.log(train: 0.62, validation: 0.625, data: Self.same)
        let strong = try Self.log(train: 0.50, validation: 0.55, data: Self.same)
        let shared = try analyzer.compare(variants: [("Small", [weak]), ("Large", [strong])])
        XCTAssertEqual(shared.variants[0].summary.diagnoses.first?.verdict, .underfitting)
        XCTAssertEqual(shared.dataNotes, [])
        var other = Self.same
        other.trainingSamples = 4000
        let elsewhere = try Self.log(train: 0.50, validation: 0.55, data: other)
        let apart = try analyzer.compare(variants: [("Small", [weak]), ("Large", [elsewhere])])
        let verdict = try XCTUnwrap(apart.variants[0].summary.diagnoses.first)
        XCTAssertTrue(verdict.verdict != .underfitting || verdict.headline.hasPrefix("Possibly"), verdict.headline)
        let note = "'Small' and 'Large' were trained or validated on different data (8000 training samples in 'Small', 4000 in 'Large')"
        XCTAssertTrue(apart.sentences.contains { $0.hasPrefix(note) }, "\(apart.sentences)")
        XCTAssertTrue(TerminalReport.render(apart).contains(note))
    }

    /// The fingerprint travels through Kestrel's history JSON; a damaged one is an error naming the field.
    func testTheHistoryJSONKeepsTheDataAndRefusesADamagedOne() throws {
        let log = try Self.log(train: 0.5, validation: 0.55, data: Self.same)
        let read = try TrainingLogReader.parseJSON(try HistoryFile.json(log))
        XCTAssertEqual(read.data, Self.same)
        XCTAssertEqual(read, log)
        let damaged = [#""data": {"validation_samples": -3}"#, #""data": {"validation_samples": 2.5}"#,
                       #""data": {"training_targets_hash": "xyz"}"#, #""data": [1, 2]"#]
        for field in damaged {
            let text = #"{"epoch": [0, 1], "history": {"loss": [1.0, 0.5]}, "# + field + "}"
            XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(text.utf8)), field) { error in
                XCTAssertTrue(String(describing: error).contains("'data"), "\(error)")
            }
        }
        let plain = try TrainingLogReader.parseJSON(Data(#"{"epoch": [0, 1], "history": {"loss": [1.0, 0.5]}}"#.utf8))
        XCTAssertNil(plain.data)
    }
}
