import Foundation
import XCTest
@testable import KestrelDiagnostics

/// Property test: thousands of generated histories of known shape, and for each the verdict must
/// agree with the shape and no sentence may contradict the numbers it quotes.
final class VerdictConsistencyTests: XCTestCase {
    /// SplitMix64: a tiny seeded generator so every run of the test sees the same histories.
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        mutating func uniform(_ range: ClosedRange<Double>) -> Double { range.lowerBound + next() * (range.upperBound - range.lowerBound) }
        mutating func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() * Double(range.count)) % range.count }
    }

    enum Shape: CaseIterable { case rising, plateaued, earlyStopped, oscillating, diverging, nanLoss }

    /// One history of `shape`; `patience` is the early-stopped run's patience.
    static func history(_ shape: Shape, _ random: inout Generator) -> (log: TrainingLog, patience: Int) {
        let epochs = random.integer(10...40)
        let start = random.uniform(0.8...2.5)
        let noise = random.uniform(0...0.002)
        func jitter() -> Double { 1 + noise * (random.next() * 2 - 1) }
        var loss: [Double] = [], validation: [Double] = []
        var patience = 3
        switch shape {
        case .rising:
            // Far from converged: both losses still fall ≥ 3 % per epoch at the end.
            let rate = random.uniform(0.90...0.95)
            for i in 0..<epochs {
                loss.append(start * pow(rate, Double(i)) * jitter())
                validation.append(start * 1.05 * pow(rate + 0.01, Double(i)) * jitter())
            }
        case .plateaued:
            let floor = random.uniform(0.2...0.5)
            let scale = random.uniform(0.8...1.5)
            for i in 0..<max(epochs, 15) {
                let decay = exp(-Double(i) / scale)
                loss.append((floor + (start - floor) * decay) * jitter())
                validation.append((floor * 1.06 + (start - floor) * decay) * jitter())
            }
        case .earlyStopped:
            // val_loss improves, then fails to beat its best for `patience` epochs (the run stopped there).
            patience = random.integer(3...6)
            let rate = random.uniform(0.88...0.95)
            let improving = max(3, epochs - patience)
            for i in 0..<(improving + patience) {
                loss.append(start * pow(rate, Double(i)) * jitter())
                let improvingValue = start * 1.05 * pow(rate + 0.02, Double(i)) * jitter()
                validation.append(i < improving ? improvingValue : validation[improving - 1] * (1 + random.uniform(0.001...0.02)))
            }
        case .oscillating:
            let level = random.uniform(0.6...1.2), swing = random.uniform(0.2...0.4)
            for i in 0..<epochs {
                loss.append(level * (1 + (i % 2 == 0 ? swing : -swing)))
                validation.append(level * 1.1 * (1 + (i % 2 == 0 ? -swing : swing)))
            }
        case .diverging:
            let turn = random.integer(1...4), growth = random.uniform(1.5...20)
            for i in 0..<epochs {
                let value = i < turn ? start * pow(0.9, Double(i)) : start * pow(0.9, Double(turn)) * pow(growth, Double(i - turn + 1))
                loss.append(min(value, 3e19))
                validation.append(min(value * 1.1, 3e19))
            }
        case .nanLoss:
            let broken = random.integer(0...(epochs - 1))
            for i in 0..<epochs {
                loss.append(i >= broken ? .nan : start * pow(0.9, Double(i)))
                validation.append(i >= broken ? .nan : start * 1.05 * pow(0.9, Double(i)))
            }
        }
        let accuracy = loss.map { $0.isFinite ? max(0.1, min(0.99, 1 - $0 / 3)) : Double.nan }
        // Validation accuracy 0.02 below training: a gap under the 0.05 threshold, so only the losses decide.
        let validationAccuracy = zip(accuracy, validation).map { $1.isFinite ? max(0.1, $0 - 0.02) : Double.nan }
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy])
        return (log, patience)
    }

    func testNoVerdictContradictsTheHistoryItReads() throws {
        var random = Generator(state: 15)
        var checked = 0
        for shape in Shape.allCases {
            for _ in 0..<350 {
                let (log, patience) = Self.history(shape, &random)
                var options = DiagnosisOptions()
                options.earlyStoppingPatience = shape == .earlyStopped ? patience : 3
                let diagnosis = CurveAnalyzer(options: options).diagnose(log)
                let context = "\(shape): \(diagnosis.verdict) — \(diagnosis.headline) \(diagnosis.evidence) \(log.series)"
                switch shape {
                // Still improving ≥ 3 % per epoch: still learning, or under-trained when it has not slowed down yet.
                case .rising: XCTAssertTrue([.stillLearning, .underTrained].contains(diagnosis.verdict), context)
                case .plateaued: XCTAssertEqual(diagnosis.verdict, .goodFit, context)
                case .earlyStopped:
                    // Early-stopped, good fit, overfitting, or (a weak model) low accuracy — never "still learning".
                    XCTAssertTrue([.earlyStopped, .goodFit, .overfitting, .underfitting].contains(diagnosis.verdict), context)
                    XCTAssertFalse(diagnosis.headline.contains("Still learning"), context)
                case .oscillating: XCTAssertEqual(diagnosis.verdict, .unstable, context)
                case .diverging: XCTAssertEqual(diagnosis.verdict, .diverging, context)
                case .nanLoss: XCTAssertEqual(diagnosis.verdict, .nanLoss, context)
                }
                try assertConsistent(diagnosis, log: log, patience: options.earlyStoppingPatience, context: context)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 2100)
    }

    /// The facts every sentence may quote, checked against the log.
    private func assertConsistent(_ diagnosis: Diagnosis, log: TrainingLog, patience: Int, context: String) throws {
        let loss = try XCTUnwrap(log.series["loss"]).map { $0 ?? .nan }, validation = try XCTUnwrap(log.series["val_loss"]).map { $0 ?? .nan }
        let sentences = [diagnosis.headline] + diagnosis.evidence + diagnosis.suggestions.map(\.text)
        let finiteValidation = validation.enumerated().filter { $0.element.isFinite }
        let best = finiteValidation.min { $0.element < $1.element }?.offset
        let epochsSinceBest = best.map { validation.count - 1 - $0 }
        let brokenDown = loss.contains { !$0.isFinite }
        XCTAssertEqual(diagnosis.verdict == .nanLoss, brokenDown, context)
        if diagnosis.headline.contains("Still learning") || diagnosis.suggestions.contains(where: { $0.kind == .moreEpochs }) {
            // "Still learning / train more" only while the validation loss is still setting new bests.
            XCTAssertLessThan(try XCTUnwrap(epochsSinceBest), patience, context)
            XCTAssertLessThan(SeriesStatistics.slope(Array(loss.suffix(5))), 0, context)
        }
        if sentences.contains(where: { $0.contains("val_loss is at its best in the last epoch") }) {
            XCTAssertEqual(best, validation.count - 1, context)
        }
        if sentences.contains(where: { $0.hasPrefix("loss is still falling") }) {
            XCTAssertLessThan(SeriesStatistics.slope(Array(loss.suffix(5))), 0, context)
        }
        if diagnosis.verdict == .overfitting, let climb = diagnosis.validationClimb, let best, let last = finiteValidation.last {
            XCTAssertEqual(climb, last.element - validation[best], accuracy: 1e-12, context)
            if diagnosis.headline.contains("worsened") { XCTAssertGreaterThan(climb, 0, context) }
        }
        if diagnosis.verdict == .diverging {
            XCTAssertTrue(sentences.contains { $0.contains("learning rate is too high") }, context)
            XCTAssertFalse(diagnosis.suggestions.contains { $0.kind == .moreEpochs }, context)
        }
        if diagnosis.verdict == .goodFit {
            XCTAssertFalse(diagnosis.suggestions.contains { $0.kind == .moreEpochs }, context)
        }
    }

    // MARK: cases from the issue

    func testEarlyStoppedRunIsNotStillLearning() {
        // val_loss best at epoch 7, then 3 epochs without improvement (+1.8 %): EarlyStopping(patience: 3) ended it.
        let validation = [1.0, 0.8, 0.66, 0.57, 0.51, 0.47, 0.45, 0.452, 0.455, 0.458]
        let loss = [1.1, 0.8, 0.62, 0.5, 0.42, 0.36, 0.31, 0.27, 0.24, 0.21]
        let diagnosis = CurveAnalyzer().diagnose(SyntheticLogs.log(["loss": loss, "val_loss": validation]))
        // Issue #20: a run that ended 3 epochs after its best, right after improving, reads as early-stopped (was "good fit").
        XCTAssertEqual(diagnosis.verdict, .earlyStopped, diagnosis.headline)
        XCTAssertFalse(diagnosis.headline.contains("Still learning"))
        XCTAssertFalse(diagnosis.suggestions.contains { $0.kind == .moreEpochs })
    }

    func testEpochsStudyFortyEpochRunHasConverged() throws {
        // The last epochs of `kestrel fit --model "flatten, dense 64 relu, dense 10 softmax" --optimizer sgd
        // --learning-rate 0.02 --limit 10000 --epochs 40 --seed 3` (EpochsStudy's 40-epoch setup).
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("epochs-study-40.json"))
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .goodFit, "\(diagnosis.headline) \(diagnosis.evidence)")
        XCTAssertTrue(diagnosis.headline.contains("converged"), diagnosis.headline)
        let short = try TrainingLog(series: log.series.mapValues { Array($0.prefix(5)) })
        // Five epochs of a run that goes on improving: still learning (issue #20 split "still learning" from underfitting).
        XCTAssertTrue([.stillLearning, .underTrained].contains(CurveAnalyzer().diagnose(short).verdict))
    }

    func testHugeLearningRateIsDiverging() {
        // `kestrel fit --learning-rate 1e6`: loss 1.9e14 then ~6e5, accuracy at chance.
        let loss = [1.949e14, 901_567.7, 575_339.7, 585_957.0, 704_292.5, 773_279.1]
        let accuracy = [0.105, 0.1125, 0.1037, 0.1087, 0.1187, 0.0963]
        let log = SyntheticLogs.log(["loss": loss, "accuracy": accuracy, "val_loss": loss.map { $0 * 1.1 }, "val_accuracy": accuracy])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .diverging, diagnosis.headline)
        XCTAssertTrue(diagnosis.headline.hasPrefix("Diverging"), diagnosis.headline)
        XCTAssertEqual(diagnosis.suggestions.first?.kind, .lowerLearningRate)
    }

    func testNaNTestLossOverridesAGoodLookingCurve() {
        let diagnosis = CurveAnalyzer().diagnose(SyntheticLogs.goodFit(), holdout: HoldoutMetrics(loss: .nan, accuracy: 0.1))
        XCTAssertEqual(diagnosis.verdict, .nanLoss)
        XCTAssertTrue(diagnosis.headline.contains("test loss is nan"), diagnosis.headline)
        XCTAssertFalse(diagnosis.holdout.contains { $0.sentence.contains("no sign of overfitting") })
    }

    func testMissingFirstValidationValueIsNotABreakdown() {
        let log = SyntheticLogs.log(["loss": [1, 0.8, 0.7, 0.65, 0.6], "val_loss": [.nan, 0.9, 0.8, 0.75, 0.7]])
        XCTAssertNotEqual(CurveAnalyzer().diagnose(log).verdict, .nanLoss)
    }
}
