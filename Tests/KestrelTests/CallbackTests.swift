import XCTest
@testable import Kestrel

/// Callbacks driven by scripted epoch logs: stopping epochs, learning-rate changes, files written.
final class CallbackTests: XCTestCase {
    private func scriptedModel() throws -> Sequential {
        let model = try Sequential { Dense(1, kernelInitializer: .zeros) }
        _ = try model(try Tensor.zeros([1, 1]))
        try model.compile(optimizer: Optimizer(name: "test", learningRate: 0.1), loss: Loss(name: "test"))
        return model
    }

    /// Feeds `values` under `key` as epoch logs until the model asks to stop; returns the stopping epoch.
    private func run(_ callback: Callback, on model: Model, key: String, values: [Double],
                     perEpoch: ((Int) throws -> Void)? = nil) throws -> Int? {
        callback.model = model
        model.stopTraining = false
        var logs: [String: Double] = [:]
        try callback.onTrainBegin(logs: &logs)
        var stopped: Int?
        for (epoch, value) in values.enumerated() {
            try perEpoch?(epoch)
            var epochLogs = [key: value]
            try callback.onEpochEnd(epoch, logs: &epochLogs)
            if model.stopTraining { stopped = epoch; break }
        }
        try callback.onTrainEnd(logs: &logs)
        return stopped
    }

    func testEarlyStoppingPatience() throws {
        let model = try scriptedModel()
        // Best at epoch 2 (0.5); epochs 3, 4, 5 do not improve → stop at epoch 5 with patience 3.
        let stop = try run(EarlyStopping(monitor: "val_loss", patience: 3), on: model, key: "val_loss",
                       values: [1.0, 0.8, 0.5, 0.6, 0.55, 0.7, 0.4])
        XCTAssertEqual(stop, 5)
    }

    func testEarlyStoppingMinDeltaAndMaxMode() throws {
        let model = try scriptedModel()
        // Improvements smaller than minDelta 0.01 do not count.
        let stop = try run(EarlyStopping(monitor: "val_accuracy", minDelta: 0.01, patience: 2), on: model,
                       key: "val_accuracy", values: [0.5, 0.6, 0.605, 0.609, 0.7])
        XCTAssertEqual(stop, 3)
    }

    func testEarlyStoppingBaselineStopsWhenNeverReached() throws {
        let model = try scriptedModel()
        // Improvements that stay above the baseline do not reset the wait (Keras 3 semantics).
        let values = [1.0, 0.9, 0.9, 0.9, 0.9]
        XCTAssertEqual(try run(EarlyStopping(monitor: "val_loss", patience: 2, baseline: 0.1), on: model,
                           key: "val_loss", values: values), 2)
        XCTAssertEqual(try run(EarlyStopping(monitor: "val_loss", patience: 2), on: model, key: "val_loss", values: values), 3)
    }

    func testEarlyStoppingStartFromEpoch() throws {
        let model = try scriptedModel()
        let stop = try run(EarlyStopping(monitor: "loss", patience: 1, startFromEpoch: 3), on: model,
                       key: "loss", values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(stop, 4)
    }

    func testRestoreBestWeightsAlsoWhenTrainingRunsToTheEnd() throws {
        let model = try scriptedModel()
        let kernel = model.layers[0].weights[0]
        let callback = EarlyStopping(monitor: "val_loss", patience: 10, restoreBestWeights: true)
        let stop = try run(callback, on: model, key: "val_loss", values: [0.9, 0.3, 0.8]) { epoch in
            try kernel.assign(Tensor(shape: [1, 1], scalars: [Float(epoch + 1)]))
        }
        XCTAssertNil(stop)
        XCTAssertEqual(callback.bestEpoch, 1)
        XCTAssertEqual(kernel.value.scalars, [2], "weights of the best epoch (epoch index 1) are restored")
    }

    func testReduceLROnPlateauFactorPatienceCooldownAndMinimum() throws {
        let model = try scriptedModel()
        let callback = try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, cooldown: 1, minLR: 0.02)
        callback.model = model
        var logs: [String: Double] = [:]
        callback.onTrainBegin(logs: &logs)
        var rates: [Double] = []
        for (epoch, value) in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0].enumerated() {
            var epochLogs = ["val_loss": value]
            try callback.onEpochEnd(epoch, logs: &epochLogs)
            rates.append(epochLogs["learning_rate"]!)
        }
        // Logged rate is the one used in that epoch (traced by hand through Keras 3.15's rule): reductions
        // after epochs 2, 4 and 6; the cooldown epoch counts towards the next patience window; clamped at 0.02.
        let expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02]
        for (rate, target) in zip(rates, expected) { XCTAssertEqual(rate, target, accuracy: 1e-6) }
        XCTAssertThrowsError(try ReduceLROnPlateau(factor: 1.5))
    }

    func testLearningRateSchedulerSetsAndLogsRate() throws {
        let model = try scriptedModel()
        let callback = LearningRateScheduler { epoch, rate in epoch < 1 ? rate : rate * 0.5 }
        callback.model = model
        var logs: [String: Double] = [:]
        for epoch in 0..<3 {
            try callback.onEpochBegin(epoch, logs: &logs)
            try callback.onEpochEnd(epoch, logs: &logs)
        }
        XCTAssertEqual(model.optimizer!.learningRate, 0.025, accuracy: 1e-7)
        XCTAssertEqual(logs["learning_rate"]!, 0.025, accuracy: 1e-7)
    }

    func testTerminateOnNaN() throws {
        let model = try scriptedModel()
        let callback = TerminateOnNaN()
        callback.model = model
        var logs = ["loss": 0.5]
        callback.onTrainBatchEnd(0, logs: &logs)
        XCTAssertFalse(model.stopTraining)
        logs = ["loss": .nan]
        callback.onTrainBatchEnd(1, logs: &logs)
        XCTAssertTrue(model.stopTraining)
        XCTAssertEqual(callback.terminatedAtBatch, 1)
    }

    func testCSVLoggerWritesKerasColumnsAndAppends() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logger = CSVLogger(path)
        var logs: [String: Double] = [:]
        try logger.onTrainBegin(logs: &logs)
        var epoch0 = ["loss": 0.5, "accuracy": 0.75, "val_loss": 0.625, "val_accuracy": 0.7]
        try logger.onEpochEnd(0, logs: &epoch0)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                       "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.7,0.625\n")
        let appender = CSVLogger(path, append: true)
        try appender.onTrainBegin(logs: &logs)
        var epoch1 = ["loss": 0.25, "accuracy": 1.0, "val_loss": 0.5, "val_accuracy": 0.8]
        try appender.onEpochEnd(1, logs: &epoch1)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                       "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.7,0.625\n1,1.0,0.25,0.8,0.5\n")
    }

    func testLambdaCallbackAndHistory() throws {
        var seen: [Int] = []
        let lambda = LambdaCallback(onEpochEnd: { epoch, _ in seen.append(epoch) })
        var logs = ["loss": 1.0]
        lambda.onEpochEnd(4, logs: &logs)
        XCTAssertEqual(seen, [4])
        let history = History()
        history.record(epoch: 0, logs: ["loss": 1.5, "val_loss": 2])
        history.record(epoch: 1, logs: ["loss": 0.5, "val_loss": 1])
        XCTAssertEqual(history["val_loss"], [2, 1])
        XCTAssertEqual(history.keys, ["loss", "val_loss"])
        XCTAssertEqual(history.csvText(), "epoch,loss,val_loss\n0,1.5,2.0\n1,0.5,1.0\n")
        let json = try JSONSerialization.jsonObject(with: history.jsonData()) as? [String: Any]
        XCTAssertEqual((json?["history"] as? [String: [Double]])?["loss"], [1.5, 0.5])
    }

    func testHistoryFilesLineUpKeysNotLoggedEveryEpoch() throws {
        // As with validationFreq: 2, val_loss is logged in epochs 1 and 3 only.
        let history = History()
        history.record(epoch: 0, logs: ["loss": 1.5])
        history.record(epoch: 1, logs: ["loss": 1.25, "val_loss": 2])
        history.record(epoch: 2, logs: ["loss": 1])
        history.record(epoch: 3, logs: ["loss": .nan, "val_loss": 1.5])
        XCTAssertEqual(history["val_loss"], [2, 1.5])  // Keras's History lists stay gap-free
        XCTAssertEqual(history.csvText(), "epoch,loss,val_loss\n0,1.5,NA\n1,1.25,2.0\n2,1.0,NA\n3,nan,1.5\n")
        let json = try JSONSerialization.jsonObject(with: history.jsonData()) as? [String: Any]
        let series = json?["history"] as? [String: [Any]]
        XCTAssertEqual(series?["val_loss"]?.count, 4)
        XCTAssertTrue(series?["val_loss"]?[0] is NSNull)
        XCTAssertEqual(series?["val_loss"]?[3] as? Double, 1.5)
        XCTAssertTrue(series?["loss"]?[3] is NSNull)
        XCTAssertEqual(json?["epoch"] as? [Int], [0, 1, 2, 3])
    }

    func testHistoryFilesAreByteIdenticalToBeforeTheLogTable() throws {
        // The expected bytes were written by main's HistoryFile (9b41c9c, before History wrapped a
        // TrainingLog) from the same table; a callback adds learning_rate from epoch 1 on.
        let history = History()
        history.record(epoch: 0, logs: ["loss": 1.5, "accuracy": 0.25])
        history.noteKeysLoggedByFit(["loss": 0, "accuracy": 0, "val_loss": 0].keys)
        history.record(epoch: 1, logs: ["loss": .nan, "accuracy": 0.5, "val_loss": 2, "learning_rate": 0.001])
        history.record(epoch: 2, logs: ["loss": 0.1, "accuracy": 0.75, "val_loss": .infinity, "learning_rate": 0.0005])
        XCTAssertEqual(Array(history.history.keys), ["accuracy", "loss", "val_loss", "learning_rate"])
        XCTAssertEqual(history.csvText(), "epoch,accuracy,learning_rate,loss,val_loss\n0,0.25,NA,1.5,NA\n1,0.5,0.001,nan,2.0\n2,0.75,0.0005,0.1,inf\n")
        let json = "{\n  \"epoch\" : [\n    0,\n    1,\n    2\n  ],\n  \"history\" : {\n    \"accuracy\" : [\n      0.25,\n      0.5,\n      0.75\n    ],\n"
            + "    \"learning_rate\" : [\n      null,\n      0.001,\n      0.0005\n    ],\n    \"loss\" : [\n      1.5,\n      null,\n      0.1\n    ],\n"
            + "    \"val_loss\" : [\n      null,\n      2,\n      null\n    ]\n  }\n}"
        XCTAssertEqual(String(decoding: try history.jsonData(), as: UTF8.self), json)
    }

    func testProgressLineFormat() {
        var lines: [String] = []
        let bar = ProgressBar(target: 391, verbose: 1, dynamic: false) { lines.append($0) }
        bar.update(391, logs: ["loss": 0.0191, "accuracy": 0.99384, "val_loss": 2.78512, "val_accuracy": 0.7118], finalize: true)
        XCTAssertEqual(lines.count, 1)
        let line = lines[0]
        XCTAssertTrue(line.hasPrefix("391/391 ━━━━━━━━━━━━━━━━━━━━ 0s "), line)
        XCTAssertTrue(line.hasSuffix("/step - accuracy: 0.9938 - loss: 0.0191 - val_accuracy: 0.7118 - val_loss: 2.7851\n"), line)
        XCTAssertEqual(ProgressFormatting.value(0.0004), "4.0000e-04")
        XCTAssertEqual(ProgressFormatting.timePerUnit(0.017), "17ms/step")
        XCTAssertEqual(ProgressFormatting.eta(75), "1:15")
        var verbose2: [String] = []
        let perEpoch = ProgressBar(target: 12, verbose: 2, dynamic: false) { verbose2.append($0) }
        perEpoch.update(5, logs: ["loss": 1])
        perEpoch.update(12, logs: ["loss": 1], finalize: true)
        XCTAssertEqual(verbose2.count, 1)
        XCTAssertTrue(verbose2[0].hasPrefix("12/12 - 0s - "), verbose2[0])
    }
}
