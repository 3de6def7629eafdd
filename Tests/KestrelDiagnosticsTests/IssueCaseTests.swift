import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The failures issue #20 lists, each as a log of its shape: the verdict, its evidence and its first cure.
final class IssueCaseTests: XCTestCase {
    private func assertConsistent(_ diagnosis: Diagnosis, _ log: TrainingLog, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log), [], file: file, line: line)
    }

    func testLearningRateThreeCollapsesToChanceFromTheLogAlone() {
        // SGD 3.0 on the Fashion-MNIST MLP: loss 7.3 in epoch 1, then flat at 2.33, accuracy 0.10.
        let loss = [7.3, 2.331, 2.329, 2.334, 2.330, 2.332, 2.328, 2.331]
        let accuracy = [0.101, 0.099, 0.100, 0.098, 0.102, 0.100, 0.099, 0.101]
        let log = SyntheticLogs.log(["loss": loss, "accuracy": accuracy, "val_loss": [2.31, 2.33, 2.32, 2.33, 2.31, 2.32, 2.33, 2.32],
                                     "val_accuracy": [0.1, 0.098, 0.102, 0.1, 0.099, 0.101, 0.1, 0.1]])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .collapsed, diagnosis.headline)
        XCTAssertTrue(diagnosis.headline.contains("learning rate is most likely too high"), diagnosis.headline)
        XCTAssertEqual(diagnosis.suggestions.first?.kind, .lowerLearningRate)
        XCTAssertTrue(diagnosis.suggestions[0].text.hasPrefix("Lower the learning rate"))
        XCTAssertFalse(diagnosis.suggestions.contains { $0.kind == .biggerModel })
        assertConsistent(diagnosis, log)
    }

    func testALossThatExplodesOnceThenSitsAtChanceIsDiverging() {
        // SGD 2.0: loss 2.2e7 in epoch 1, then accuracy 0.10.
        let loss = [2.2e7, 2.35, 2.31, 2.30, 2.32, 2.31]
        let accuracy = [0.1, 0.1, 0.099, 0.101, 0.1, 0.1]
        let log = SyntheticLogs.log(["loss": loss, "accuracy": accuracy, "val_loss": Array(repeating: 2.303, count: 6), "val_accuracy": accuracy])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .diverging, diagnosis.headline)
        XCTAssertEqual(diagnosis.suggestions.first?.kind, .lowerLearningRate)
        assertConsistent(diagnosis, log)
    }

    func testValidationLossQuarterAboveItsBestIsNotWithinNoise() {
        // Adam 0.05: val_loss ends 25 % above its best after bouncing.
        let validation = [0.9, 0.62, 0.55, 0.5, 0.56, 0.51, 0.58, 0.52, 0.625]
        let loss = [1.2, 0.7, 0.62, 0.6, 0.61, 0.59, 0.6, 0.6, 0.61]
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertNotEqual(diagnosis.verdict, .goodFit, "\(diagnosis.evidence)")
        XCTAssertFalse(diagnosis.evidence.joined().contains("(noise)"), "\(diagnosis.evidence)")
        XCTAssertTrue(diagnosis.evidence.contains { $0.contains("+25%") && $0.contains("more than 5% worse") }, "\(diagnosis.evidence)")
        XCTAssertEqual(diagnosis.verdict, .unstable)
        XCTAssertEqual(diagnosis.suggestions.first?.kind, .lowerLearningRate)
        assertConsistent(diagnosis, log)
    }

    func testANoisyPlateauIsUnstableNotStillLearning() {
        // Adam 0.05 on another seed: val_accuracy bouncing around 0.53 while the training loss stalls.
        let validationAccuracy = [0.45, 0.52, 0.58, 0.49, 0.56, 0.50, 0.57, 0.48, 0.55, 0.53]
        let accuracy = [0.45, 0.52, 0.54, 0.55, 0.54, 0.55, 0.56, 0.55, 0.55, 0.56]
        let loss = [1.6, 1.3, 1.25, 1.24, 1.26, 1.24, 1.25, 1.23, 1.25, 1.24]
        let validation = [1.4, 1.3, 1.15, 1.4, 1.2, 1.35, 1.18, 1.42, 1.22, 1.21]
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .unstable, "\(diagnosis.evidence)")
        XCTAssertFalse(diagnosis.headline.contains("Still learning"))
        assertConsistent(diagnosis, log)
    }

    func testBatchNormalizationCollapseIsATrainInferenceMismatch() {
        // val_accuracy 0.13 with val_loss 2.3 → 13.2 while training learns; the model has Dropout,
        // augmentation, L2 and EarlyStopping already, so those are not the cure.
        let loss = [1.9, 1.2, 0.9, 0.75, 0.66, 0.6, 0.55, 0.5]
        let accuracy = [0.35, 0.6, 0.68, 0.73, 0.76, 0.78, 0.8, 0.82]
        let validation = [2.3, 3.1, 4.6, 6.0, 7.9, 9.5, 11.4, 13.2]
        let validationAccuracy = [0.10, 0.11, 0.12, 0.10, 0.13, 0.11, 0.12, 0.13]
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy])
        for facts in [ModelFacts.unknown, ModelFacts(hasDropout: true, hasBatchNormalization: true, hasAugmentation: true, l2: 1e-4,
                                                     classes: 10, stepsPerEpoch: 8, batchNormalizationMomentum: 0.99)] {
            let diagnosis = CurveAnalyzer().diagnose(log, model: facts)
            XCTAssertEqual(diagnosis.verdict, .trainInferenceMismatch, "\(diagnosis.evidence)")
            XCTAssertFalse(diagnosis.suggestions.contains { [.dropout, .dataAugmentation, .l2Regularization, .earlyStopping].contains($0.kind) })
            XCTAssertEqual(diagnosis.suggestions.first?.kind, .moreStepsPerEpoch)
            assertConsistent(diagnosis, log)
        }
        let known = CurveAnalyzer().diagnose(log, model: ModelFacts(hasBatchNormalization: true, stepsPerEpoch: 8, batchNormalizationMomentum: 0.99))
        XCTAssertTrue(known.evidence.contains { $0.contains("8 steps per epoch") && $0.contains("momentum 0.990") && $0.contains("92.3%") }, "\(known.evidence)")
    }

    func testDropoutInflatedTrainingLossIsNotUnderfitting() {
        let loss = [1.1, 0.8, 0.7, 0.65, 0.62, 0.6, 0.59, 0.585, 0.58, 0.578]
        let validation = [0.7, 0.55, 0.49, 0.46, 0.45, 0.44, 0.438, 0.437, 0.436, 0.436]
        let accuracy = [0.6, 0.7, 0.74, 0.76, 0.77, 0.78, 0.785, 0.787, 0.79, 0.79]
        let validationAccuracy = [0.75, 0.8, 0.82, 0.83, 0.84, 0.845, 0.846, 0.847, 0.848, 0.848]
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy])
        let diagnosis = CurveAnalyzer().diagnose(log, model: ModelFacts(hasDropout: true, hasAugmentation: false, l2: 0))
        XCTAssertFalse([.underfitting, .overfitting, .leakageSuspected].contains(diagnosis.verdict), "\(diagnosis.verdict) \(diagnosis.evidence)")
        XCTAssertTrue(diagnosis.evidence.contains { $0.contains("expected with Dropout") && $0.contains("neither overfitting nor underfitting") }, "\(diagnosis.evidence)")
        assertConsistent(diagnosis, log)
    }

    func testValidationAboveTrainingWithoutDropoutNamesEpochAveraging() {
        let accuracy = [0.5, 0.62, 0.68, 0.72, 0.75, 0.77]
        let validationAccuracy = [0.6, 0.67, 0.71, 0.745, 0.77, 0.79]
        let loss = [1.4, 1.0, 0.85, 0.77, 0.71, 0.67]
        let validation = [1.1, 0.9, 0.8, 0.73, 0.69, 0.66]
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": validationAccuracy])
        let diagnosis = CurveAnalyzer().diagnose(log, model: ModelFacts(hasDropout: false, hasAugmentation: false, l2: 0))
        let sentence = diagnosis.evidence.first { $0.contains("is above accuracy") } ?? ""
        XCTAssertTrue(sentence.contains("has no Dropout or augmentation") && sentence.contains("average over an epoch"), sentence)
        XCTAssertFalse(sentence.contains("usual with Dropout"), sentence)
        assertConsistent(diagnosis, log)
    }

    func testLogisticRegressionAtATinyLearningRateIsToldToRaiseIt() {
        // Learning rate 1e-4: the loss falls in a slow straight line.
        let loss = (0..<10).map { 2.34 - 0.03 * Double($0) }
        let validation = (0..<10).map { 2.30 - 0.029 * Double($0) }
        let accuracy = (0..<10).map { 0.15 + 0.018 * Double($0) }
        let log = SyntheticLogs.log(["loss": loss, "val_loss": validation, "accuracy": accuracy, "val_accuracy": accuracy.map { $0 + 0.01 }])
        let diagnosis = CurveAnalyzer().diagnose(log, model: ModelFacts(learningRate: 1e-4))
        XCTAssertEqual(diagnosis.verdict, .underTrained, "\(diagnosis.evidence)")
        XCTAssertEqual(diagnosis.suggestions.first?.kind, .higherLearningRate)
        XCTAssertTrue(diagnosis.suggestions[0].text.contains("learning rate 0.001 instead of 0.0001"), diagnosis.suggestions[0].text)
        assertConsistent(diagnosis, log)
    }

    func testASingleLuckyEpochIsNotTheBestTheRuleMeasuresFrom() {
        // The moving median ignores a one-epoch dip: 6.5 % above that dip is within 5 % of the smoothed best.
        let validation = [1.0, 0.8, 0.7, 0.6] + Array(repeating: 0.639, count: 8)
        let log = SyntheticLogs.log(["loss": [1.0, 0.7, 0.55, 0.45, 0.4, 0.36, 0.33, 0.31, 0.3, 0.3, 0.3, 0.3], "val_loss": validation])
        let diagnosis = CurveAnalyzer().diagnose(log)
        XCTAssertTrue(diagnosis.evidence.contains { $0.contains("single dip") && $0.contains("0.639") }, "\(diagnosis.evidence)")
        assertConsistent(diagnosis, log)
    }

    func testOneRuleForTheRiseReadsTheSameEverywhere() {
        // 6.5 % above the best for 4 epochs is overfitting; 3 % above for 4 epochs is within noise.
        func log(_ above: Double) -> TrainingLog {
            let validation = [1.0, 0.8, 0.6, 0.6] + Array(repeating: 0.6 * (1 + above), count: 4)
            return SyntheticLogs.log(["loss": [1.0, 0.7, 0.55, 0.45, 0.4, 0.36, 0.33, 0.31], "val_loss": validation])
        }
        let full = { () -> CurveAnalyzer in
            var options = DiagnosisOptions()
            options.earlyStoppedMaximumTail = 0
            return CurveAnalyzer(options: options)
        }()
        let above = full.diagnose(log(0.065))
        XCTAssertEqual(above.verdict, .overfitting, "\(above.evidence)")
        XCTAssertTrue(above.evidence[0].contains("+6.5%"), above.evidence[0])
        let within = full.diagnose(log(0.03))
        XCTAssertNotEqual(within.verdict, .overfitting, "\(within.evidence)")
        XCTAssertTrue(within.evidence[0].contains("within 5% of its best"), within.evidence[0])
        assertConsistent(above, log(0.065))
        assertConsistent(within, log(0.03))
    }
}
