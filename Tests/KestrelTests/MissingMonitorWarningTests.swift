import XCTest
@testable import Kestrel

/// Keras warns when a monitoring callback's metric is never logged (a typo, or `val_loss` without
/// validation data); Kestrel does the same, once per `fit`, whatever `verbose` is.
final class MissingMonitorWarningTests: XCTestCase {
    private func fit(_ callbacks: [Callback], validationSplit: Double) throws {
        Kestrel.setRandomSeed(1)
        let model = try Sequential {
            Input(shape: [2])
            Dense(1)
        }
        try model.compile(optimizer: .sgd(learningRate: 0.01), loss: .meanSquaredError)
        let x = try Tensor(shape: [10, 2], scalars: (0..<20).map { Float($0) / 20 })
        let y = try Tensor(shape: [10, 1], scalars: (0..<10).map { Float($0) / 10 })
        _ = try model.fit(x, y, epochs: 3, batchSize: 5, verbose: 0, validationSplit: validationSplit, callbacks: callbacks)
    }

    func testTypoInTheMonitorIsReportedWithTheAvailableMetrics() throws {
        let stopping = EarlyStopping(monitor: "val_los", patience: 1)
        let plateau = try ReduceLROnPlateau(monitor: "val_los", patience: 1)
        try fit([stopping, plateau], validationSplit: 0.2)
        XCTAssertEqual(stopping.missingMonitorWarning,
                       "Early stopping conditioned on metric `val_los` which is not available. Available metrics are: loss,val_loss")
        XCTAssertEqual(plateau.missingMonitorWarning?.hasPrefix("Learning rate reduction is conditioned on metric `val_los` which is not available. Available metrics are: "), true)
    }

    func testValidationMonitorWithoutValidationDataWarns() throws {
        let stopping = EarlyStopping(monitor: "val_loss", patience: 1)
        try fit([stopping], validationSplit: 0)
        XCTAssertEqual(stopping.missingMonitorWarning,
                       "Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss")
    }

    func testAvailableMonitorGivesNoWarning() throws {
        let stopping = EarlyStopping(monitor: "val_loss", patience: 1)
        try fit([stopping], validationSplit: 0.2)
        XCTAssertNil(stopping.missingMonitorWarning)
    }
}
