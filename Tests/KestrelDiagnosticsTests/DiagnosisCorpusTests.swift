import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The labelled corpus (Tests/Fixtures/diagnosis-corpus, built by scripts/corpus/): every real
/// Keras CSVLogger file and Kestrel history read the way `kestrel diagnose FILE` reads it, its
/// verdict compared with the character it was built to have, and its sentences checked against its numbers.
final class DiagnosisCorpusTests: XCTestCase {
    /// One case of manifest.json.
    struct Case: Decodable {
        var file: String
        var source: String
        var label: String
        var built: String
    }

    /// The verdicts that count as right for each label (the one place the mapping is defined).
    static let acceptedVerdicts: [String: Set<Verdict>] = [
        "collapsed": [.collapsed],
        "diverged": [.diverging, .nanLoss],
        "unstable": [.unstable],
        "bn_mismatch": [.trainInferenceMismatch],
        // Regularised runs are healthy: any verdict of a healthy run, never under- or overfitting or leakage.
        "regularized": [.goodFit, .earlyStopped, .stillLearning],
        "early_stopped": [.earlyStopped],
        "converged": [.goodFit],
        "still_learning": [.stillLearning],
        "under_trained": [.underTrained],
        "underfitting": [.underfitting],
        "overfitting": [.overfitting],
        "leakage": [.leakageSuspected],
    ]

    /// Cases diagnosed wrongly on purpose-free grounds, each with why (Docs/DiagnosisCorpus.md repeats these).
    static let explainedMisses: [String: String] = [:]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/diagnosis-corpus")
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

    func testTheCorpusIsLargeAndCoversEveryLabel() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 60)
        XCTAssertEqual(Set(cases.map(\.label)), Set(Self.acceptedVerdicts.keys))
        XCTAssertEqual(Set(cases.map(\.source)), ["keras", "kestrel"])
    }

    func testEveryCaseGetsTheVerdictOfItsCharacter() throws {
        try CorpusJudging.assertVerdictsMatchLabels(try Self.judged(), explainedMisses: Self.explainedMisses)
    }

    func testNoSentenceContradictsTheCorpusLogs() throws {
        CorpusJudging.assertNoContradictions(try Self.judged())
    }

    /// The confusion matrix, as the Markdown table Docs/DiagnosisCorpus.md holds (regenerate with
    /// KESTREL_WRITE_CORPUS_DOC=1 swift test --filter DiagnosisCorpusTests).
    func testTheDocumentedConfusionMatrixIsTheMeasuredOne() throws {
        try CorpusJudging.assertDocumentHolds(try Self.confusionTable(), marker: "confusion matrix")
    }

    /// The results as `CorpusJudging` takes them.
    static func judged() throws -> [CorpusJudging.Judged] {
        try results().map { (file: $0.0.file, label: $0.0.label, log: $0.1, diagnosis: $0.2) }
    }

    /// Rows: expected label; columns: verdict; then per-source accuracy.
    static func confusionTable() throws -> String {
        let results = try results()
        let labels = acceptedVerdicts.keys.sorted()
        let verdicts = Verdict.allCases.filter { verdict in results.contains { $0.2.verdict == verdict } }
        var lines = ["| expected \\ verdict | " + verdicts.map(\.rawValue).joined(separator: " | ") + " | right |",
                     "|---|" + verdicts.map { _ in "---:" }.joined(separator: "|") + "|---:|"]
        for label in labels {
            let row = results.filter { $0.0.label == label }
            let right = row.filter { acceptedVerdicts[label]?.contains($0.2.verdict) == true }.count
            let cells = verdicts.map { verdict in
                let count = row.filter { $0.2.verdict == verdict }.count
                return count == 0 ? "·" : (acceptedVerdicts[label]?.contains(verdict) == true ? "**\(count)**" : "\(count)")
            }
            lines.append("| \(label) | " + cells.joined(separator: " | ") + " | \(right)/\(row.count) |")
        }
        for source in ["keras", "kestrel"] {
            let subset = results.filter { $0.0.source == source }
            let right = subset.filter { acceptedVerdicts[$0.0.label]?.contains($0.2.verdict) == true }.count
            lines.append("")
            lines.append("\(source): \(right) of \(subset.count) right.")
        }
        return lines.joined(separator: "\n")
    }
}
