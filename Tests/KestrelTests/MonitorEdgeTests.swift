import Foundation
import XCTest
@testable import Kestrel

/// Monitoring callbacks at the edges Keras users hit: the direction `mode: .auto` takes from the metric
/// itself, ties (Keras compares strictly), minDelta/baseline/cooldown/minLR boundaries, Keras's messages,
/// and the key order of `history.history` — each against Keras 3.15's behaviour.
final class MonitorEdgeTests: XCTestCase {
    /// A model compiled with `metrics` whose learning rate is 0.1.
    private func model(metrics: [Metric] = []) throws -> Sequential {
        let model = try Sequential { Dense(1, kernelInitializer: .zeros) }
        _ = try model(try Tensor.zeros([1, 1]))
        try model.compile(optimizer: Optimizer(name: "test", learningRate: 0.1), loss: Loss(name: "test"), metrics: metrics)
        return model
    }

    /// Feeds `values` under `key`; returns the learning rate logged at each epoch and the epoch training stopped at.
    private func drive(_ callback: Callback, _ model: Model, key: String, values: [Double]) throws -> (rates: [Double], stopped: Int?) {
        callback.model = model
        model.stopTraining = false
        var logs: [String: Double] = [:]
        try callback.onTrainBegin(logs: &logs)
        var rates: [Double] = []
        for (epoch, value) in values.enumerated() {
            var epochLogs = [key: value]
            try callback.onEpochEnd(epoch, logs: &epochLogs)
            rates.append(Double(model.optimizer?.learningRate ?? .nan))
            if model.stopTraining { return (rates, epoch) }
        }
        return (rates, nil)
    }

    // MARK: direction from the metric

    func testReduceLROnPlateauKeepsTheRateWhileAUCPrecisionOrRecallRise() throws {
        for metric: Metric in [try AUC(), Precision(), Recall()] {
            let model = try model(metrics: [metric])
            let callback = try ReduceLROnPlateau(monitor: "val_" + metric.name, factor: 0.5, patience: 1)
            let (rates, _) = try drive(callback, model, key: "val_" + metric.name, values: [0.60, 0.62, 0.65, 0.70, 0.72])
            XCTAssertEqual(rates, [0.1, 0.1, 0.1, 0.1, 0.1].map { Double(Float($0)) }, "\(metric.name) rises: Keras keeps 1e-1")
        }
    }

    func testTheMetricsDirectionWinsOverItsName() throws {
        final class Gap: Metric, @unchecked Sendable {
            override var direction: MetricDirection? { .down }
        }
        // "accuracy_gap" contains "acc", but the metric says lower is better: a falling value improves.
        let model = try model(metrics: [Gap(name: "accuracy_gap")])
        let stop = try drive(EarlyStopping(monitor: "val_accuracy_gap", patience: 1), model, key: "val_accuracy_gap",
                             values: [0.5, 0.4, 0.3, 0.2]).stopped
        XCTAssertNil(stop)
    }

    func testAMonitorNoMetricOrNameDecidesIsKerassError() throws {
        let model = try model()
        let callback = EarlyStopping(monitor: "val_wobble", patience: 1)
        XCTAssertThrowsError(try drive(callback, model, key: "val_wobble", values: [1, 2])) { error in
            XCTAssertTrue("\(error)".contains("mode: .max"), "\(error)")
        }
        // With an explicit mode it runs.
        XCTAssertEqual(try drive(EarlyStopping(monitor: "val_wobble", patience: 1, mode: .max), model, key: "val_wobble",
                                 values: [1, 0.5]).stopped, 1)
    }

    // MARK: ties

    func testSaveBestOnlyWritesNoFileForAValueThatTiesTheBest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tie-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = try model()
        let callback = try ModelCheckpoint(filepath: folder + "/{epoch:02d}.weights.h5", monitor: "val_loss", saveBestOnly: true,
                                           saveWeightsOnly: true)
        _ = try drive(callback, model, key: "val_loss", values: [0.5, 0.5, 0.4, 0.4])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        XCTAssertEqual(files, ["01.weights.h5", "03.weights.h5"], "ties (epochs 2 and 4) are not improvements")
    }

    func testEarlyStoppingTiesAndMinDeltaBoundaries() throws {
        let model = try model()
        // A tie never resets the wait: with patience 2 the third equal value stops.
        XCTAssertEqual(try drive(EarlyStopping(monitor: "val_loss", patience: 2), model, key: "val_loss",
                                 values: [1, 1, 1, 1]).stopped, 2)
        // An improvement of exactly minDelta does not count (0.75 + 0.25 < 1 is false); a larger one does.
        XCTAssertEqual(try drive(EarlyStopping(monitor: "val_loss", minDelta: 0.25, patience: 1), model, key: "val_loss",
                                 values: [1, 0.75]).stopped, 1)
        XCTAssertNil(try drive(EarlyStopping(monitor: "val_loss", minDelta: 0.25, patience: 1), model, key: "val_loss",
                               values: [1, 0.5]).stopped)
        // A negative minDelta is taken as its magnitude, as Keras's abs(min_delta).
        XCTAssertEqual(try drive(EarlyStopping(monitor: "val_loss", minDelta: -0.25, patience: 1), model, key: "val_loss",
                                 values: [1, 0.75]).stopped, 1)
    }

    func testEarlyStoppingBaselineTieDoesNotResetTheWait() throws {
        let model = try model()
        // 0.5 improves on the best but only ties the baseline: the wait is not reset, so the next epoch
        // without improvement (wait 3 ≥ patience 2) stops. Counting the tie as beating it would stop one epoch later.
        XCTAssertEqual(try drive(EarlyStopping(monitor: "val_loss", patience: 2, baseline: 0.5), model, key: "val_loss",
                                 values: [0.7, 0.5, 0.6, 0.6]).stopped, 2)
        // Beating the baseline resets it.
        XCTAssertNil(try drive(EarlyStopping(monitor: "val_loss", patience: 2, baseline: 0.5), model, key: "val_loss",
                               values: [0.7, 0.4, 0.3]).stopped)
    }

    func testReduceLROnPlateauTiesCooldownAndMinimum() throws {
        // A tie is no improvement: patience 2 reduces after two equal epochs; the cooldown epoch resets the wait but
        // counts towards the next window (Keras 3.15); 0.05 × 0.5 is clamped to minLR 0.04, and a rate equal to
        // minLR is not reduced again (Keras's strict old_lr > min_lr).
        let model = try model()
        let callback = try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, cooldown: 1, minLR: 0.04)
        let (rates, _) = try drive(callback, model, key: "val_loss", values: [1, 1, 1, 1, 1, 1, 1, 1])
        XCTAssertEqual(rates.map { Float($0) }, [0.1, 0.1, 0.05, 0.05, 0.04, 0.04, 0.04, 0.04])
        // At minLR nothing is reduced, so neither the cooldown nor the wait restarts: the wait keeps counting (3).
        XCTAssertEqual(try callback.stateDictionary()["wait"], .int(3))
        XCTAssertEqual(try callback.stateDictionary()["cooldownCounter"], .int(0))
        // An improvement of exactly minDelta is none either.
        let strict = try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1, minDelta: 0.25)
        XCTAssertEqual(try drive(strict, try self.model(), key: "val_loss", values: [1, 0.75]).rates.map { Float($0) }, [0.1, 0.05])
    }

    func testReduceLROnPlateauPrintsTheRateWithKerassDigits() throws {
        // Keras 3.15 (factor 0.5 from 1e-3, as measured): "... reducing learning rate to 0.0005000000237487257."
        let model = try model()
        model.optimizer?.learningRate = 0.001
        let callback = try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1)
        _ = try drive(callback, model, key: "val_loss", values: [1, 1])
        XCTAssertEqual(model.optimizer?.learningRate, Float(0.0005000000237487257))
        XCTAssertEqual(ReduceLROnPlateau.reductionMessage(epoch: 1, newRate: Double(Float(0.001)) * 0.5),
                       "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257.")
        XCTAssertEqual(PythonFloatText.repr(Double(Float(0.001)) * 0.1 * 0.1), "1.0000000474974514e-05")
        XCTAssertEqual(PythonFloatText.repr(0.0001), "0.0001")
        XCTAssertEqual(PythonFloatText.repr(100), "100.0")
        XCTAssertEqual(PythonFloatText.repr(1e16), "1e+16")
    }

    func testCheckpointNamesFormatTheFloat32ValueAsKeras() throws {
        // 63/80 = 0.7875: as a double "%.3f" gives 0.787; Keras logs the float32 0.787500024 and names the file 0.788.
        let name = try FilepathTemplate("{epoch:02d}-{val_accuracy:.3f}.keras").format(integers: ["epoch": 6], values: ["val_accuracy": 63.0 / 80])
        XCTAssertEqual(name, "06-0.788.keras")
    }

    // MARK: history key order

    func testHistoryKeysFollowKerassOrderWithLearningRateLast() throws {
        // Keras 3.15 with metrics [AUC(name="zeta"), "accuracy", Precision(name="beta")] and ReduceLROnPlateau printed
        // ['accuracy', 'beta', 'loss', 'val_accuracy', 'val_beta', 'val_loss', 'val_zeta', 'zeta', 'learning_rate'].
        let model = try Sequential {
            Input(shape: [2])
            Dense(1, activation: .sigmoid)
        }
        try model.compile(optimizer: .adam(), loss: .binaryCrossentropy,
                          metrics: [try AUC(name: "zeta"), BinaryAccuracy(name: "accuracy"), Precision(name: "beta")])
        let x = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0 % 5) / 4 })
        let y = try Tensor(shape: [8, 1], scalars: [0, 1, 0, 1, 1, 0, 1, 0])
        let history = try model.fit(x, y, epochs: 2, batchSize: 4, verbose: 0, validationSplit: 0.25,
                                    callbacks: [try ReduceLROnPlateau(monitor: "val_zeta", patience: 1)])
        XCTAssertEqual(history.history.keys, ["accuracy", "beta", "loss", "val_accuracy", "val_beta", "val_loss", "val_zeta", "zeta", "learning_rate"])
        XCTAssertTrue(history.history.description.hasPrefix("{'accuracy': ["), history.history.description)
        XCTAssertTrue(history.history.description.contains("], 'learning_rate': [0.0010000000474974513, "), history.history.description)
    }

    func testHistoryDictionaryPrintsAsPython() {
        // Keras logs float32 values: 0.6 prints as Python prints float(np.float32(0.6)).
        let history: HistoryDictionary = ["loss": [0.5, 0.25], "val_loss": [1, 0.6, 0.0000152587890625]]
        XCTAssertEqual(history.description, "{'loss': [0.5, 0.25], 'val_loss': [1.0, 0.6000000238418579, 1.52587890625e-05]}")
        XCTAssertEqual(history["loss"], [0.5, 0.25])
        XCTAssertNil(history["accuracy"])
    }

    // MARK: validationSplit rounding

    func testValidationSplitFloorsTheTrainingCount() throws {
        // 10 samples, split 0.25: 7.5 training samples → Keras floors to 7, so the last 3 validate.
        // Inputs are 0 for the first 7 and 1 for the last 3; the model predicts its input against targets 0.
        let model = try Sequential {
            Input(shape: [1])
            Dense(1, useBias: false, kernelInitializer: .ones)
        }
        try model.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        let x = try Tensor(shape: [10, 1], scalars: (0..<10).map { $0 < 7 ? 0 : 1 })
        let history = try model.fit(x, try Tensor.zeros([10, 1]), epochs: 1, batchSize: 10, verbose: 0, validationSplit: 0.25)
        XCTAssertEqual(history["loss"], [0], "7 training samples, all zeros")
        XCTAssertEqual(history["val_loss"], [1], "3 validation samples, all ones")
    }
}
