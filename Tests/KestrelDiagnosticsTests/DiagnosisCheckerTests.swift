import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The contradiction checker: it must catch false claims, and find none in thousands of generated
/// histories of every character (noise, lengths 1…200, NaN and infinities).
final class DiagnosisCheckerTests: XCTestCase {
    typealias Generator = VerdictConsistencyTests.Generator

    enum Character: CaseIterable {
        case collapsed, exploded, growing, nanLoss, infinite, oscillating, mismatch, regularized, leakage
        case earlyStopped, converged, stillLearning, underTrained, underfitting, overfitting, flat
    }

    /// A history of `character` with `epochs` rows and multiplicative noise of relative size `noise`.
    static func history(_ character: Character, epochs: Int, noise: Double, _ random: inout Generator) -> TrainingLog {
        var loss: [Double] = [], validation: [Double] = [], accuracy: [Double] = [], validationAccuracy: [Double] = []
        func jitter() -> Double { 1 + noise * (random.next() * 2 - 1) }
        let start = random.uniform(0.8...2.5)
        let rate = random.uniform(0.7...0.97)
        let best = max(1, epochs / 3)
        for index in 0..<epochs {
            let t = Double(index)
            let decay = start * pow(rate, t)
            var (l, v, a, va) = (decay * jitter(), decay * 1.05 * jitter(), 1 - 0.5 * pow(rate, t), 0.98 - 0.5 * pow(rate, t))
            switch character {
            case .collapsed: (l, v, a, va) = (2.3026 * jitter(), 2.3026 * jitter(), 0.1 + 0.01 * (random.next() - 0.5), 0.1 + 0.01 * (random.next() - 0.5))
            case .exploded: (l, v, a, va) = (index == 0 ? 2.2e7 : 2.31 * jitter(), 2.31 * jitter(), 0.1, 0.1)
            case .growing: (l, v) = (start * pow(1.5, t) * jitter(), start * pow(1.6, t) * jitter())
            case .nanLoss: if index >= epochs / 2 { (l, v) = (.nan, .nan) }
            case .infinite: if index == epochs - 1 { v = .infinity }
            case .oscillating: (l, v) = (0.8 * (1 + (index % 2 == 0 ? 0.3 : -0.3)) * jitter(), 0.9 * (1 + (index % 2 == 0 ? -0.3 : 0.3)) * jitter())
            case .mismatch: (v, va) = (start * (3 + t) * jitter(), 0.12 + 0.02 * random.next())
            case .regularized: (l, v, a, va) = (decay * 1.3 + 0.3, decay + 0.25, 0.8 - 0.4 * pow(rate, t), 0.86 - 0.4 * pow(rate, t))
            case .leakage: (a, va) = (0.4 + 0.1 * (1 - pow(rate, t)), 0.75 + 0.05 * (1 - pow(rate, t)))
            case .earlyStopped, .overfitting:
                let limit = character == .earlyStopped ? max(1, epochs - 3) : best
                if index > limit { v = start * pow(rate, Double(limit)) * (1 + 0.04 * Double(index - limit)) * jitter() }
            case .converged: (l, v) = (0.3 + decay * 0.1 * jitter(), 0.33 + decay * 0.1 * jitter())
            case .stillLearning: break
            case .underTrained: (l, v, a, va) = (2.3 - 0.01 * t * jitter(), 2.28 - 0.01 * t * jitter(), 0.12 + 0.01 * t, 0.12 + 0.01 * t)
            case .underfitting: (l, v, a, va) = (1.2 + 0.01 * jitter(), 1.21 + 0.01 * jitter(), 0.45, 0.44)
            case .flat: (l, v, a, va) = (0.5, 0.5, 0.8, 0.8)
            }
            loss.append(l); validation.append(v); accuracy.append(min(1, a)); validationAccuracy.append(min(1, va))
        }
        // Now and then a metric that was not logged in some epoch, or a column missing altogether.
        if epochs > 3, random.next() < 0.1 { validation[random.integer(1...(epochs - 2))] = .nan }
        var series = ["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy]
        if random.next() < 0.1 { series["val_loss"] = nil; series["val_accuracy"] = nil }
        if random.next() < 0.1 { series["accuracy"] = nil; series["val_accuracy"] = nil }
        return SyntheticLogs.log(series)
    }

    func testNoSentenceContradictsThousandsOfGeneratedHistories() {
        var random = Generator(state: 20)
        var checked = 0
        for character in Character.allCases {
            for _ in 0..<200 {
                let epochs = random.next() < 0.2 ? random.integer(1...6) : random.integer(1...200)
                let noise = [0, 0.002, 0.02, 0.1][random.integer(0...3)]
                let log = Self.history(character, epochs: epochs, noise: noise, &random)
                let facts = random.next() < 0.3
                    ? ModelFacts(hasDropout: random.next() < 0.5, hasBatchNormalization: random.next() < 0.5, hasAugmentation: false,
                                 l2: 0, classes: 10, stepsPerEpoch: random.integer(5...500), learningRate: 0.01)
                    : .unknown
                let diagnosis = CurveAnalyzer().diagnose(log, model: facts)
                let problems = DiagnosisChecker.contradictions(in: diagnosis, log: log)
                XCTAssertEqual(problems, [], "\(character) \(epochs) epochs, noise \(noise): \(diagnosis.verdict) \(diagnosis.evidence)")
                if character == .nanLoss, epochs >= 2, log.series["loss"]?.contains(where: { $0?.isNaN == true }) == true {
                    XCTAssertEqual(diagnosis.verdict, .nanLoss)
                }
                if character == .exploded, epochs >= 3, log.contains("accuracy") {
                    XCTAssertEqual(diagnosis.verdict, .diverging, "\(diagnosis.evidence)")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 3200)
    }

    func testTheCheckerCatchesANumberThatIsNotInTheLog() throws {
        let log = SyntheticLogs.overfitting()
        var diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log), [])
        let index = try XCTUnwrap(diagnosis.claims.firstIndex { if case .value = $0.quantity { return true } else { return false } })
        diagnosis.claims[index].value += 0.1
        XCTAssertFalse(DiagnosisChecker.contradictions(in: diagnosis, log: log).isEmpty)
    }

    func testTheCheckerCatchesTheIssuesGapBelowAThresholdItExceeds() {
        // "The accuracy gap … is 0.068 at epoch 12, below the 0.050 threshold."
        let accuracy = Array(repeating: 0.9, count: 12), validation = Array(repeating: 0.9, count: 11) + [0.832]
        let log = SyntheticLogs.log(["accuracy": accuracy, "val_accuracy": validation])
        let diagnosis = Diagnosis(verdict: .goodFit, headline: "", evidence: ["The accuracy gap (accuracy − val_accuracy) is 0.068 at epoch 12, below the 0.050 threshold."],
                                  suggestions: [], epochCount: 12)
        var claimed = diagnosis
        claimed.claims = [EvidenceClaim(sentence: 0, quantity: .difference(minuend: "accuracy", subtrahend: "val_accuracy", row: 11),
                                        value: 0.068, relation: .below, threshold: 0.05, rule: .accuracyGap)]
        let problems = DiagnosisChecker.contradictions(in: claimed, log: log)
        XCTAssertTrue(problems.contains { $0.contains("is below 0.05, which is false") }, "\(problems)")
        // Without any claim, the numbers the sentence quotes are unbacked.
        XCTAssertTrue(DiagnosisChecker.contradictions(in: diagnosis, log: log).contains { $0.contains("quotes 0.068") })
    }

    func testTheCheckerCatchesAWorseningClaimOnFallingValues() {
        // "val_loss worsening over the last 4 epochs" for 0.965, 0.967, 0.936, 0.914.
        let validation = [1.2, 1.0, 0.85, 0.9, 0.965, 0.967, 0.936, 0.914]
        let log = SyntheticLogs.log(["val_loss": validation, "loss": validation.map { $0 * 0.8 }])
        var diagnosis = Diagnosis(verdict: .overfitting, headline: "", evidence: ["val_loss is still worsening over the last 4 epochs."], suggestions: [], epochCount: 8)
        diagnosis.claims = [EvidenceClaim(sentence: 0, quantity: .slope(metric: "val_loss", from: 4, to: 7), value: 0.01, relation: .above, threshold: 0),
                            EvidenceClaim(sentence: 0, quantity: .stated(name: "window"), value: 4)]
        XCTAssertFalse(DiagnosisChecker.contradictions(in: diagnosis, log: log).isEmpty)
        // What the analyzer itself says about that log holds up.
        let real = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(DiagnosisChecker.contradictions(in: real, log: log), [], "\(real.evidence)")
        XCTAssertFalse(real.evidence.joined().contains("still worsening"), "\(real.evidence)")
    }

    func testTheCheckerCatchesAThresholdThatIsNotTheRules() throws {
        let log = SyntheticLogs.overfitting()
        var diagnosis = CurveAnalyzer().diagnose(log)
        let index = try XCTUnwrap(diagnosis.claims.firstIndex { $0.rule == .accuracyGap && $0.threshold == 0.05 })
        diagnosis.claims[index].threshold = 0.04
        XCTAssertTrue(DiagnosisChecker.contradictions(in: diagnosis, log: log).contains { $0.contains("accuracyGap rule") })
    }

    func testEveryThresholdASentenceQuotesIsStatedInTheFooter() {
        let options = DiagnosisOptions()
        let footer = HTMLReport(log: SyntheticLogs.overfitting(), diagnosis: CurveAnalyzer().diagnose(SyntheticLogs.overfitting())).footer()
        for statement in options.ruleStatements {
            XCTAssertTrue(footer.contains(XMLEscape.text(statement)), statement)
        }
        // The overfitting rule reads the same in the sentence and in the footer: 5 % for 3 epochs.
        XCTAssertTrue(footer.contains("at least 5% worse than its best for at least 3 epochs"), footer)
        let sentence = CurveAnalyzer().diagnose(SyntheticLogs.overfitting()).evidence.joined()
        XCTAssertTrue(sentence.contains("at least 5% above its lowest") && sentence.contains("at least 3 count as overfitting"), sentence)
    }
}
