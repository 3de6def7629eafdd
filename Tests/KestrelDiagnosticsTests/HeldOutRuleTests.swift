import Foundation
import XCTest
@testable import KestrelDiagnostics

/// The rules the held-out set (Tests/Fixtures/diagnosis-heldout) showed wrong for a class of runs, on hand-made
/// logs whose numbers make each side of the rule plain.
final class HeldOutRuleTests: XCTestCase {
    let analyzer = CurveAnalyzer()

    /// Unscaled inputs into a logits classifier (the held-out breast-cancer run, rounded): the loss stays near
    /// 1e4–1e5 while the accuracy wobbles upward. A classifier's loss that large is a blown-up model.
    static let explodedClassifier: [String: [Double]] = [
        "loss": [142890, 116632, 111069, 75366, 58960, 90352, 71716, 37442, 58482, 55171],
        "accuracy": [0.47, 0.53, 0.54, 0.62, 0.65, 0.53, 0.60, 0.71, 0.60, 0.67],
        "val_loss": [267460, 84702, 195200, 21717, 151719, 147528, 16890, 131178, 43495, 10985],
        "val_accuracy": [0.38, 0.38, 0.62, 0.75, 0.38, 0.38, 0.82, 0.64, 0.43, 0.88],
    ]

    func testAClassifierWhoseLossIsStillExplodedIsDiverging() {
        let log = SyntheticLogs.log(Self.explodedClassifier)
        let diagnosis = analyzer.diagnose(log)
        XCTAssertEqual(diagnosis.verdict, .diverging, diagnosis.headline)
        XCTAssertTrue(diagnosis.headline.contains("still exploded"), diagnosis.headline)
        XCTAssertTrue(diagnosis.evidence.contains { $0.hasPrefix("loss is still 5.517e+04 at epoch 10, at least 1000") }, "\(diagnosis.evidence)")
        XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log), [])
    }

    func testTheSameLossWithoutAccuracyIsARegressionAndNotReadAsExploded() {
        // A regression logs no accuracy: a loss of 55171 can be a squared error in the targets' units.
        let series = Self.explodedClassifier.filter { !$0.key.contains("accuracy") }
        XCTAssertNotEqual(analyzer.diagnose(SyntheticLogs.log(series)).verdict, .diverging)
    }

    func testAClassifierWhoseLossEndsBelowTheExplodedLevelIsNotDivergingByThisRule() {
        var series = Self.explodedClassifier
        series["loss"]?[9] = 900
        XCTAssertNotEqual(analyzer.diagnose(SyntheticLogs.log(series)).verdict, .diverging)
    }

    /// A training loss that zigzags (a small training set with Dropout: noisy epoch averages) while val_loss
    /// falls every epoch.
    static func zigzag(validationBestAtTheEnd: Bool) -> [String: [Double]] {
        let epochs = 20
        let loss: [Double] = (0..<epochs).map { epoch in
            // No trend, ending on a rise: the training loss is not "still falling clearly", so the older
            // exemption (a model still learning) does not apply and only the monitor's progress can.
            let swing: Double = epoch % 2 == 0 ? -0.06 : 0.06
            return 0.3 + swing
        }
        var validation: [Double] = (0..<epochs).map { epoch in 0.5 * pow(0.97, Double(epoch)) }
        // Otherwise validation stops improving after epoch 13 (a few percent above its best from then on),
        // so the run is not one whose model keeps improving.
        if !validationBestAtTheEnd {
            for epoch in 13..<epochs { validation[epoch] = validation[12] * (1.02 + 0.001 * Double(epoch)) }
        }
        return ["loss": loss, "val_loss": validation]
    }

    func testTrainingLossSwingsWhileValidationImprovesEveryEpochAreNotUnstable() {
        let log = SyntheticLogs.log(Self.zigzag(validationBestAtTheEnd: true))
        let diagnosis = analyzer.diagnose(log)
        XCTAssertNotEqual(diagnosis.verdict, .unstable, diagnosis.headline)
        XCTAssertEqual(DiagnosisChecker.contradictions(in: diagnosis, log: log), [])
    }

    func testTrainingLossSwingsWithValidationPastItsBestStayUnstable() {
        let diagnosis = analyzer.diagnose(SyntheticLogs.log(Self.zigzag(validationBestAtTheEnd: false)))
        XCTAssertEqual(diagnosis.verdict, .unstable, diagnosis.headline)
    }
}
