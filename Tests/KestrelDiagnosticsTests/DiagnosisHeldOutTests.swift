import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The held-out set (Tests/Fixtures/diagnosis-heldout, built by scripts/corpus/build_heldout_runs.py): real
/// Keras 3 runs on tasks the corpus lacks — binary (sigmoid or logits, accuracy and AUC), regression (MSE or
/// MAE on the targets' own scale), tiny iris/wine sets, 8x8 digits, ReduceLROnPlateau / LearningRateScheduler,
/// validation_freq > 1, CSVLogger files and `json.dump(history.history)` files — read the way
/// `kestrel diagnose FILE` reads them and judged with the corpus's own label → verdict mapping.
final class DiagnosisHeldOutTests: XCTestCase {
    /// One case of manifest.json.
    struct Case: Decodable {
        var file: String
        var task: String
        var label: String
        var built: String
    }

    /// Cases the diagnosis gets wrong from the log alone, each with why (Docs/DiagnosisCorpus.md repeats these).
    static let explainedMisses: [String: String] = [
        "bin-cancer-still-learning.csv": "SGD 0.003, 8 epochs: the loss falls in a straight line and is still 60.4 % of its first value (the under-trained rule's bar is 60 %); the log cannot tell a low learning rate from a short run, and the verdict names both",
        "digits-still-learning-sgd.csv": "SGD 0.01, 8 epochs: the loss is still 71 % of its first value, falling in a straight line; as above, under-trained and still learning look alike",
        "reg-syn-valfreq3-still-learning.csv": "validation_freq=3: the check reads the five validated epochs (val_loss 3 % lower over the last two, six epochs apart); per epoch the training loss falls 1.0 % and val_loss 0.5 %, at the still-learning rule's edge",
        "digits-collapsed-sgd.csv": "accuracy at 0.10 with a loss 1.7 × ln(10): from the log alone a settled accuracy whose loss is above its chance level cannot be told from an unstable run at a low accuracy (the corpus's kestrel-unstable-adam008.json would read as 3 classes); with --classes 10 it reads diverging",
        "digits-regularized-dropout.csv": "input Dropout 0.3 + Dropout 0.6: validation leads training accuracy by 0.126, which the log alone cannot tell from leakage; the headline says it is unsure and why, and with --dropout it reads early-stopped",
        "reg-syn-underfitting-linear.csv": "a linear model on a non-linear target: without an accuracy the log cannot tell a levelled-off loss from a good one (the loss is in the targets' units); the verdict says underfitting was not judged",
        "reg-syn100-underfitting-linear-mae.csv": "as above, targets on scale 100 and MAE loss",
    ]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/diagnosis-heldout")
    }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }

    /// (case, log, diagnosis) for every case, read and diagnosed as `kestrel diagnose FILE` does.
    static func results() throws -> [(Case, TrainingLog, Diagnosis)] {
        try cases().map { item in
            let log = try TrainingLogReader.read(contentsOf: directory.appendingPathComponent(item.file))
            return (item, log, CurveAnalyzer().diagnose(log))
        }
    }

    func testTheHeldOutSetCoversOtherTasksAndFormats() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        XCTAssertEqual(Set(cases.map(\.task)), ["binary", "multiclass", "regression"])
        XCTAssertTrue(cases.contains { $0.file.hasSuffix(".json") } && cases.contains { $0.file.hasSuffix(".csv") })
        for label in Set(cases.map(\.label)) {
            XCTAssertNotNil(DiagnosisCorpusTests.acceptedVerdicts[label], label)
        }
    }

    func testEveryCaseGetsTheVerdictOfItsCharacter() throws {
        try CorpusJudging.assertVerdictsMatchLabels(try Self.judged(), explainedMisses: Self.explainedMisses)
    }

    func testNoSentenceContradictsTheHeldOutLogs() throws {
        CorpusJudging.assertNoContradictions(try Self.judged())
    }

    /// The held-out matrix in Docs/DiagnosisCorpus.md is the measured one (regenerate with
    /// KESTREL_WRITE_CORPUS_DOC=1 swift test --filter DiagnosisHeldOutTests).
    func testTheDocumentedHeldOutMatrixIsTheMeasuredOne() throws {
        try CorpusJudging.assertDocumentHolds(try Self.confusionTable(), marker: "held-out matrix")
    }

    /// The results as `CorpusJudging` takes them.
    static func judged() throws -> [CorpusJudging.Judged] {
        try results().map { (file: $0.0.file, label: $0.0.label, log: $0.1, diagnosis: $0.2) }
    }

    /// Rows: expected label; columns: verdict; then per-task accuracy.
    static func confusionTable() throws -> String {
        let results = try results()
        let accepted = DiagnosisCorpusTests.acceptedVerdicts
        let labels = Set(results.map(\.0.label)).sorted()
        let verdicts = Verdict.allCases.filter { verdict in results.contains { $0.2.verdict == verdict } }
        var lines = ["| expected \\ verdict | " + verdicts.map(\.rawValue).joined(separator: " | ") + " | right |",
                     "|---|" + verdicts.map { _ in "---:" }.joined(separator: "|") + "|---:|"]
        for label in labels {
            let row = results.filter { $0.0.label == label }
            let right = row.filter { accepted[label]?.contains($0.2.verdict) == true }.count
            let cells = verdicts.map { verdict in
                let count = row.filter { $0.2.verdict == verdict }.count
                return count == 0 ? "·" : (accepted[label]?.contains(verdict) == true ? "**\(count)**" : "\(count)")
            }
            lines.append("| \(label) | " + cells.joined(separator: " | ") + " | \(right)/\(row.count) |")
        }
        for task in ["binary", "multiclass", "regression"] {
            let subset = results.filter { $0.0.task == task }
            let right = subset.filter { accepted[$0.0.label]?.contains($0.2.verdict) == true }.count
            lines.append("")
            lines.append("\(task): \(right) of \(subset.count) right.")
        }
        return lines.joined(separator: "\n")
    }
}
