import XCTest
import Kestrel

/// Semantics a planted one-line bug used to slip past: which samples `validationSplit` holds out,
/// whether `fit(shuffle:)` reorders, and `ReduceLROnPlateau`'s cooldown.
final class TrainingSemanticsTests: XCTestCase {
    /// A model whose prediction is its input (kernel 1, no bias) and that never learns (SGD, rate 0).
    private func identityModel() throws -> Sequential {
        let model = try Sequential {
            Input(shape: [1])
            Dense(1, useBias: false, kernelInitializer: .ones)
        }
        try model.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        return model
    }

    func testValidationSplitHoldsOutTheLastSamplesBeforeShuffling() throws {
        // Targets are 0; inputs are 0 for the first 75 samples and 1 for the last 25, so the squared
        // error is 0 on the first part and 1 on the last.
        let x = try Tensor(shape: [100, 1], scalars: (0..<100).map { $0 < 75 ? 0 : 1 })
        let y = try Tensor.zeros([100, 1])
        for shuffle in [false, true] {
            let history = try identityModel().fit(x, y, epochs: 1, batchSize: 10, verbose: 0,
                                                  validationSplit: 0.25, shuffle: shuffle)
            XCTAssertEqual(history["loss"], [0], "the first 75% train (shuffle: \(shuffle))")
            XCTAssertEqual(history["val_loss"], [1], "the last 25% validate (shuffle: \(shuffle))")
        }
    }

    /// Records the inputs of every training batch.
    final class RecordingModel: Sequential, @unchecked Sendable {
        var seen: [Float] = []
        override func trainStep(_ batch: Batch) throws -> [String: Double] {
            seen += batch.x.scalars
            return try super.trainStep(batch)
        }
    }

    private func samplesInTrainingOrder(shuffle: Bool, epochs: Int) throws -> [Float] {
        let model = try RecordingModel {
            Input(shape: [1])
            Dense(1)
        }
        try model.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        let x = try Tensor(shape: [40, 1], scalars: (0..<40).map(Float.init))
        _ = try model.fit(x, try Tensor.zeros([40, 1]), epochs: epochs, batchSize: 4, verbose: 0, shuffle: shuffle)
        return model.seen
    }

    func testFitShufflesEveryEpochOnlyWhenAsked() throws {
        let ordered = (0..<40).map(Float.init)
        XCTAssertEqual(try samplesInTrainingOrder(shuffle: false, epochs: 2), ordered + ordered)
        Kestrel.setRandomSeed(5)
        let shuffled = try samplesInTrainingOrder(shuffle: true, epochs: 2)
        let (first, second) = (Array(shuffled[0..<40]), Array(shuffled[40...]))
        XCTAssertEqual(first.sorted(), ordered, "each epoch sees every sample once")
        XCTAssertEqual(second.sorted(), ordered)
        XCTAssertNotEqual(first, ordered, "shuffle: true reorders the samples")
        XCTAssertNotEqual(first, second, "each epoch has its own order")
    }

    func testReduceLROnPlateauWaitsOutItsCooldown() throws {
        let model = try identityModel()
        model.optimizer?.learningRate = 0.1
        let callback = try ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, cooldown: 3)
        callback.model = model
        var logs: [String: Double] = [:]
        try callback.onTrainBegin(logs: &logs)
        var rates: [Double] = []
        for epoch in 0..<9 {
            var epochLogs = ["loss": 1.0]
            try callback.onEpochEnd(epoch, logs: &epochLogs)
            rates.append(epochLogs["learning_rate"]!)
        }
        // Keras 3's rule traced by hand: a reduction after epoch 1, then three cooldown epochs (2–4,
        // the wait restarting at 0 in each), the next reduction after epoch 4, then after epoch 7.
        let expected = [0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]
        for (epoch, (rate, target)) in zip(rates, expected).enumerated() {
            XCTAssertEqual(rate, target, accuracy: 1e-7, "learning rate logged at epoch \(epoch)")
        }
    }
}
