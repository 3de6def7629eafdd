import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// The bridges between Kestrel's training loop and the diagnostics.
final class IntegrationTests: XCTestCase {
    func testOverfittingMonitorWarnsOnceAndCanStopTraining() throws {
        let model = try Sequential { Dense(1) }
        let monitor = OverfittingMonitor(stopTraining: true, verbose: false)
        monitor.model = model
        var logs: [String: Double] = [:]
        monitor.onTrainBegin(logs: &logs)
        // val_loss falls to epoch 4, then climbs steadily while training loss keeps falling.
        let validation = [1.0, 0.8, 0.65, 0.6, 0.62, 0.66, 0.71, 0.77, 0.84, 0.92]
        var stoppedAt: Int?
        for (epoch, value) in validation.enumerated() {
            var epochLogs = ["loss": 1.0 / Double(epoch + 1), "val_loss": value,
                             "accuracy": 0.6 + 0.04 * Double(epoch), "val_accuracy": 0.6]
            monitor.onEpochEnd(epoch, logs: &epochLogs)
            if model.stopTraining { stoppedAt = epoch; break }
        }
        XCTAssertNotNil(stoppedAt)
        XCTAssertEqual(monitor.detection?.verdict, .overfitting)
    }

    func testHistoryBecomesATrainingLogAndDiagnosis() throws {
        let history = History()
        for epoch in 0..<12 {
            history.record(epoch: epoch, logs: ["loss": 2.0 / Double(epoch + 1), "accuracy": 0.5 + 0.03 * Double(epoch)])
        }
        let log = try TrainingLog(history: history)
        XCTAssertEqual(log.count, 12)
        XCTAssertEqual(log.values("loss")?.first, 2.0)
        XCTAssertEqual(try history.diagnose().verdict, .cannotJudge)
    }

    func testConfusionMatrixFromAModel() throws {
        // A fixed linear model that predicts class 1 whenever the first feature is positive.
        let model = try Sequential { Dense(2, activation: .softmax, kernelInitializer: .zeros) }
        _ = try model(try Tensor.zeros([1, 1]))
        try model.setWeights([Tensor(shape: [1, 2], scalars: [-1, 1]), Tensor([0, 0])])
        let x = try Tensor(shape: [4, 1], scalars: [-1, 2, 3, -4])
        let matrix = try ConfusionMatrix(model: model, x: x, y: Tensor(labels: [0, 1, 0, 0]))
        XCTAssertEqual(matrix.counts, [[2, 1], [0, 1]])
    }
}
