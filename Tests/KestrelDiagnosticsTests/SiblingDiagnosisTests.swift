import Foundation
import XCTest
@testable import KestrelDiagnostics

/// Underfitting read beside sibling runs (Tests/Fixtures/diagnosis-siblings, real Keras runs built by
/// scripts/corpus/build_sibling_runs.py): on a noisy task whose best possible accuracy is about 0.72, the
/// Bayes-optimal and the well-regularised models must not be called underfitting although their accuracy is
/// below 0.75; on a task with an interaction, logistic regression, which a larger sibling beats by far,
/// must still be.
final class SiblingDiagnosisTests: XCTestCase {
    struct Run: Decodable {
        var study: String
        var file: String
        var label: String
        var parameters: Int
        var built: String
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/diagnosis-siblings")
    }

    static func runs() throws -> [(Run, TrainingLog)] {
        let runs = try JSONDecoder().decode([Run].self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        return try runs.map { ($0, try TrainingLogReader.read(contentsOf: directory.appendingPathComponent($0.file))) }
    }

    static var options: DiagnosisOptions {
        var options = DiagnosisOptions()
        options.monitor = "val_binary_crossentropy"
        return options
    }

    /// Runs another rule misreads, each with why; for them only "not underfitting" is checked. (The
    /// unregularised 256×3 MLP was one, read as a train/inference mismatch, until the mismatch rule compared
    /// validation with an untrained model's loss rather than with the first epoch's training loss.)
    static let explainedMisses: [String: String] = [:]

    static func accepted(_ label: String) -> Set<Verdict> {
        switch label {
        case "underfitting": return [.underfitting]
        case "overfitting": return [.overfitting, .earlyStopped]
        case "healthy": return [.goodFit, .earlyStopped, .stillLearning]
        default: return Set(Verdict.allCases).subtracting([.underfitting])
        }
    }

    /// Each run diagnosed beside the other models of its study, with their sizes.
    func testEachRunGetsItsLabelBesideItsSiblings() throws {
        let all = try Self.runs()
        XCTAssertTrue(all.contains { $0.0.label == "underfitting" } && all.contains { $0.0.label == "healthy" })
        for (run, log) in all {
            let siblings = all.filter { $0.0.study == run.study && $0.0.file != run.file }
                .map { SiblingRun(name: $0.0.file, log: $0.1, parameterCount: $0.0.parameters) }
            let diagnosis = CurveAnalyzer(options: Self.options).diagnose(log, siblings: siblings, parameterCount: run.parameters)
            let accepted = Self.explainedMisses[run.file] == nil ? Self.accepted(run.label) : Self.accepted("any")
            XCTAssertTrue(accepted.contains(diagnosis.verdict),
                          "\(run.file) (\(run.label); \(run.built)): \(diagnosis.verdict.rawValue) — \(diagnosis.headline) \(diagnosis.evidence)")
            if diagnosis.verdict == .underfitting {
                XCTAssertFalse(diagnosis.headline.hasPrefix("Possibly"), "beside siblings the verdict is not a hint: \(diagnosis.headline)")
            }
            XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log, options: Self.options), [], run.file)
        }
    }

    /// `MultiRunAnalyzer.compare` (the study reports and `kestrel compare`) diagnoses each variant beside the
    /// others, without sizes.
    func testAComparisonOfTheStudyReadsTheSame() throws {
        let all = try Self.runs()
        for study in Set(all.map(\.0.study)) {
            let members = all.filter { $0.0.study == study }
            let comparison = try MultiRunAnalyzer(options: Self.options).compare(variants: members.map { ($0.0.file, [$0.1]) })
            for (run, _) in members {
                let verdict = try XCTUnwrap(comparison.variants.first { $0.name == run.file }?.summary.diagnoses.first?.verdict)
                let accepted = Self.explainedMisses[run.file] == nil ? Self.accepted(run.label) : Self.accepted("any")
                XCTAssertTrue(accepted.contains(verdict), "\(run.file): \(verdict.rawValue)")
            }
        }
    }

    /// The mismatch rule's "never better than untrained": the 256×3 MLP learns so much in its first epoch that
    /// its best val_loss (0.565) is 96 % of that epoch's training loss (0.590), but only 82 % of ln 2, the loss
    /// of an untrained binary classifier, and below the first epoch's training loss itself; it overfits, read
    /// alone or with its two classes known. The corpus's real Keras BatchNormalization runs (validation loss
    /// never below 2.6× the first epoch's training loss, 1.5× ln 10) stay train/inference mismatches both ways.
    func testTheWideMLPOverfitsWhileRealBatchNormalizationRunsStayMismatches() throws {
        let (_, large) = try XCTUnwrap(try Self.runs().first { $0.0.file == "noisy-linear/large.csv" })
        for facts in [ModelFacts.unknown, ModelFacts(classes: 2)] {
            let diagnosis = CurveAnalyzer(options: Self.options).diagnose(large, model: facts)
            XCTAssertEqual(diagnosis.verdict, .overfitting, "\(facts): \(diagnosis.headline)")
            XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: large, options: Self.options), [])
        }
        let corpus = try DiagnosisCorpusTests.cases().filter { $0.label == "bn_mismatch" && $0.source == "keras" }
        XCTAssertEqual(corpus.count, 3)
        for item in corpus {
            let log = try TrainingLogReader.read(contentsOf: DiagnosisCorpusTests.directory.appendingPathComponent(item.file))
            for facts in [ModelFacts.unknown, ModelFacts(hasBatchNormalization: true, classes: 10)] {
                let diagnosis = CurveAnalyzer().diagnose(log, model: facts)
                XCTAssertEqual(diagnosis.verdict, .trainInferenceMismatch, "\(item.file) \(facts): \(diagnosis.headline)")
                XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log), [], item.file)
                let expected = facts.classes == nil ? "of that first training loss" : "of the chance loss"
                XCTAssertTrue(diagnosis.evidence.contains { $0.contains(expected) }, "\(diagnosis.evidence)")
            }
        }
    }

    /// Alone, a run whose accuracy is below the fixed bars gets at most a hint that says it is one.
    func testAloneALowAccuracyIsOnlyAWeakHint() throws {
        for (run, log) in try Self.runs() {
            let diagnosis = CurveAnalyzer(options: Self.options).diagnose(log)
            guard diagnosis.verdict == .underfitting else { continue }
            XCTAssertTrue(diagnosis.headline.hasPrefix("Possibly underfitting (a weak hint"), "\(run.file): \(diagnosis.headline)")
            XCTAssertTrue(diagnosis.evidence.contains { $0.hasPrefix("This is a weak hint") }, run.file)
        }
    }

    /// Hand-made curves: a smaller sibling that does better is no evidence that more capacity would help
    /// (the verdict stays the single-run hint), and a run that fits its training data better than the sibling fits unseen data is not underfitting.
    func testOnlyALargerSiblingThatTheRunCannotMatchOnTrainingMakesItUnderfit() throws {
        func log(train: Double, validation: Double) throws -> TrainingLog {
            let epochs = 30
            let fall = (0..<epochs).map { exp(-Double($0) / 3) }
            return try TrainingLog(series: [
                "binary_crossentropy": fall.map { train + 0.2 * $0 },
                "val_binary_crossentropy": fall.map { validation + 0.2 * $0 },
                "accuracy": fall.map { 0.64 - 0.1 * $0 }, "val_accuracy": fall.map { 0.63 - 0.1 * $0 },
            ])
        }
        let weak = try log(train: 0.62, validation: 0.625)
        let strong = try log(train: 0.50, validation: 0.55)
        let analyzer = CurveAnalyzer(options: Self.options)
        let besideLarger = analyzer.diagnose(weak, siblings: [SiblingRun(name: "Large", log: strong, parameterCount: 10_000)], parameterCount: 500)
        XCTAssertEqual(besideLarger.verdict, .underfitting, besideLarger.headline)
        // Only a smaller sibling: nothing is known about capacity, so at most the weak single-run hint.
        let besideSmaller = analyzer.diagnose(weak, siblings: [SiblingRun(name: "Small", log: strong, parameterCount: 100)], parameterCount: 500)
        XCTAssertTrue(besideSmaller.verdict != .underfitting || besideSmaller.headline.hasPrefix("Possibly"), besideSmaller.headline)
        // Fits its training data (0.50) better than the sibling's validation (0.53): a generalisation gap, not a lack of fit.
        let fitsTraining = try log(train: 0.50, validation: 0.60)
        let better = try log(train: 0.45, validation: 0.53)
        let gap = analyzer.diagnose(fitsTraining, siblings: [SiblingRun(name: "Other", log: better)])
        XCTAssertNotEqual(gap.verdict, .underfitting, gap.headline)
        // The best of its siblings is not underfitting, whatever its accuracy.
        let best = analyzer.diagnose(strong, siblings: [SiblingRun(name: "Weak", log: weak)])
        XCTAssertNotEqual(best.verdict, .underfitting, best.headline)
        XCTAssertTrue(best.evidence.contains { $0.contains("no model tried does clearly better") }, "\(best.evidence)")
    }
}
