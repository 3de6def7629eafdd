import XCTest
@testable import KestrelDiagnostics

final class EarlyStoppingSimulationTests: XCTestCase {
    func testKerasRuleByHand() {
        // best 0.5 at index 2; indices 3, 4 do not improve → wait 2 < 3; index 5 improves by 0.01.
        let values = [1.0, 0.7, 0.5, 0.6, 0.55, 0.49, 0.5, 0.52, 0.53, 0.6]
        let plain = EarlyStoppingSimulation.simulate(values: values, monitor: "val_loss", orientation: .minimize, patience: 3)
        XCTAssertEqual(plain.bestEpoch, 5)
        XCTAssertEqual(plain.stoppedEpoch, 8)
        XCTAssertEqual(plain.epochsSaved, 1)
        // With min_delta 0.02 the 0.49 is no real improvement over 0.5: stop at index 5.
        let strict = EarlyStoppingSimulation.simulate(values: values, monitor: "val_loss", orientation: .minimize,
                                                      patience: 3, minDelta: 0.02)
        XCTAssertEqual(strict.bestEpoch, 2)
        XCTAssertEqual(strict.stoppedEpoch, 5)
    }

    func testMaximizeAndNeverStopping() {
        let rising = [0.5, 0.6, 0.7, 0.8]
        let simulation = EarlyStoppingSimulation.simulate(values: rising, monitor: "val_accuracy", orientation: .maximize, patience: 2)
        XCTAssertNil(simulation.stoppedEpoch)
        XCTAssertEqual(simulation.bestEpoch, 3)
        XCTAssertEqual(simulation.epochsSaved, 0)
    }

    func testOrientationInference() {
        XCTAssertEqual(MetricOrientation.inferred(for: "val_loss"), .minimize)
        XCTAssertEqual(MetricOrientation.inferred(for: "val_sparse_categorical_accuracy"), .maximize)
        XCTAssertEqual(MetricOrientation.inferred(for: "mae"), .minimize)
        XCTAssertEqual(MetricOrientation.inferred(for: "auc"), .maximize)
    }
}
