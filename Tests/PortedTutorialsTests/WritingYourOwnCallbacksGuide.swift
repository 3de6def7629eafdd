import XCTest
import Kestrel

/// keras-io guides/writing_your_own_callbacks.py ("Writing your own callbacks"), typed as a newcomer would:
/// a callback that records every hook with its log keys, one that prints the running loss per batch,
/// early stopping at the minimum loss with the best weights put back, and a learning-rate scheduler that
/// sets `model.optimizer.learning_rate` in `on_epoch_begin`. Data: a synthetic stand-in of MNIST's shapes
/// (1,000 train, 1,000 test). The call order and log keys are those Keras 3.15.1 gives for the same calls
/// (`scripts/tutorial_reference/writing_your_own_callbacks.py`).
/// Lines that needed more than Swift spelling: 0.
final class WritingYourOwnCallbacksGuide: XCTestCase {
    // keras: def get_model():
    // keras:     model = keras.Sequential()
    // keras:     model.add(keras.layers.Dense(1))
    // keras:     model.compile(
    // keras:         optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
    // keras:         loss="mean_squared_error",
    // keras:         metrics=["mean_absolute_error"],
    // keras:     )
    // keras:     return model
    func getModel() throws -> Sequential {
        let model = try Sequential()
        try model.add(Dense(1))
        try model.compile(
            optimizer: RMSprop(learningRate: 0.1),
            loss: "mean_squared_error",
            metrics: ["mean_absolute_error"]
        )
        return model
    }

    /// The guide's data: MNIST flattened to 784 floats in 0…1, the first 1,000 of each split.
    func loadGuideData() throws -> (Tensor, Tensor, Tensor, Tensor) {
        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, yTest)) = try TutorialData.loadData(train: 1000, test: 1000, shape: [28, 28])
        // keras: x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
        xTrain = try xTrain.reshaped([-1, 784]).astype("float32") / 255.0
        // keras: x_test = x_test.reshape(-1, 784).astype("float32") / 255.0
        xTest = try xTest.reshaped([-1, 784]).astype("float32") / 255.0
        // keras: x_train = x_train[:1000]
        xTrain = try xTrain[..<1000]
        // keras: y_train = y_train[:1000]
        yTrain = try yTrain[..<1000]
        // keras: x_test = x_test[:1000]
        xTest = try xTest[..<1000]
        // keras: y_test = y_test[:1000]
        yTest = try yTest[..<1000]
        return (xTrain, yTrain, xTest, yTest)
    }

    // keras: class CustomCallback(keras.callbacks.Callback):
    // keras:     def on_train_begin(self, logs=None):
    // keras:         keys = list(logs.keys())
    // keras:         print("Starting training; got log keys: {}".format(keys))
    // keras:     ... (every other hook likewise)
    final class CustomCallback: Callback {
        var events: [String] = []

        func record(_ hook: String, _ logs: [String: Double], index: Int? = nil) {
            let keys = logs.keys.sorted()
            events.append(index.map { "\(hook) \($0) \(keys)" } ?? "\(hook) \(keys)")
            print(index.map { "\(hook) \($0); got log keys: \(keys)" } ?? "\(hook); got log keys: \(keys)")
        }

        override func onTrainBegin(logs: inout [String: Double]) throws { record("on_train_begin", logs) }
        override func onTrainEnd(logs: inout [String: Double]) throws { record("on_train_end", logs) }
        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws { record("on_epoch_begin", logs, index: epoch) }
        override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws { record("on_epoch_end", logs, index: epoch) }
        override func onTestBegin(logs: inout [String: Double]) throws { record("on_test_begin", logs) }
        override func onTestEnd(logs: inout [String: Double]) throws { record("on_test_end", logs) }
        override func onPredictBegin(logs: inout [String: Double]) throws { record("on_predict_begin", logs) }
        override func onPredictEnd(logs: inout [String: Double]) throws { record("on_predict_end", logs) }
        override func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) throws { record("on_train_batch_begin", logs, index: batch) }
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws { record("on_train_batch_end", logs, index: batch) }
        override func onTestBatchBegin(_ batch: Int, logs: inout [String: Double]) throws { record("on_test_batch_begin", logs, index: batch) }
        override func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) throws { record("on_test_batch_end", logs, index: batch) }
        override func onPredictBatchBegin(_ batch: Int, logs: inout [String: Double]) throws { record("on_predict_batch_begin", logs, index: batch) }
        override func onPredictBatchEnd(_ batch: Int, logs: inout [String: Double]) throws { record("on_predict_batch_end", logs, index: batch) }
    }

    func testCallbackMethodsAreCalledInKerasOrderWithKerasLogKeys() throws {
        let (xTrain, yTrain, xTest, yTest) = try loadGuideData()
        // keras: model = get_model()
        let model = try getModel()
        let fitCallback = CustomCallback()
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=128,
        // keras:     epochs=1,
        // keras:     verbose=0,
        // keras:     validation_split=0.5,
        // keras:     callbacks=[CustomCallback()],
        // keras: )
        try model.fit(
            xTrain,
            yTrain,
            batchSize: 128,
            epochs: 1,
            verbose: 0,
            validationSplit: 0.5,
            callbacks: [fitCallback]
        )
        let metricKeys = "[\"loss\", \"mean_absolute_error\"]"
        let batches = (0..<4).flatMap { ["on_train_batch_begin \($0) []", "on_train_batch_end \($0) \(metricKeys)"] }
        let testBatches = (0..<4).flatMap { ["on_test_batch_begin \($0) []", "on_test_batch_end \($0) \(metricKeys)"] }
        let epochKeys = "[\"loss\", \"mean_absolute_error\", \"val_loss\", \"val_mean_absolute_error\"]"
        XCTAssertEqual(fitCallback.events,
                       ["on_train_begin []", "on_epoch_begin 0 []"] + batches + ["on_test_begin []"] + testBatches
                       + ["on_test_end \(metricKeys)", "on_epoch_end 0 \(epochKeys)", "on_train_end \(epochKeys)"])

        let evaluateCallback = CustomCallback()
        // keras: res = model.evaluate(
        // keras:     x_test, y_test, batch_size=128, verbose=0, callbacks=[CustomCallback()]
        // keras: )
        let res = try model.evaluate(xTest, yTest, batchSize: 128, verbose: 0, callbacks: [evaluateCallback])
        XCTAssertEqual(res.count, 2)
        XCTAssertEqual(evaluateCallback.events,
                       ["on_test_begin []"]
                       + (0..<8).flatMap { ["on_test_batch_begin \($0) []", "on_test_batch_end \($0) \(metricKeys)"] }
                       + ["on_test_end \(metricKeys)"])

        let predictCallback = CustomCallback()
        // keras: res = model.predict(x_test, batch_size=128, callbacks=[CustomCallback()])
        let predictions = try model.predict(xTest, batchSize: 128, callbacks: [predictCallback])
        XCTAssertEqual(predictions.shape, [1000, 1])
        XCTAssertEqual(predictCallback.events.first, "on_predict_begin []")
        XCTAssertEqual(predictCallback.events.last, "on_predict_end []")
        XCTAssertEqual(predictCallback.events.filter { $0.hasPrefix("on_predict_batch_end") }.count, 8)
    }

    // keras: class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    // keras:     def on_train_batch_end(self, batch, logs=None):
    // keras:         print(
    // keras:             "Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"])
    // keras:         )
    // keras:     def on_test_batch_end(self, batch, logs=None):
    // keras:         print(
    // keras:             "Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"])
    // keras:         )
    // keras:     def on_epoch_end(self, epoch, logs=None):
    // keras:         print(
    // keras:             "The average loss for epoch {} is {:7.2f} "
    // keras:             "and mean absolute error is {:7.2f}.".format(
    // keras:                 epoch, logs["loss"], logs["mean_absolute_error"]
    // keras:             )
    // keras:         )
    final class LossAndErrorPrintingCallback: Callback {
        var trainBatchLosses: [Double] = []
        var epochLosses: [Double] = []

        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            print("Up to batch \(batch), the average loss is \(String(format: "%7.2f", logs["loss"]!)).")
            trainBatchLosses.append(logs["loss"]!)
        }

        override func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            print("Up to batch \(batch), the average loss is \(String(format: "%7.2f", logs["loss"]!)).")
        }

        override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
            print("The average loss for epoch \(epoch) is \(String(format: "%7.2f", logs["loss"]!)) "
                  + "and mean absolute error is \(String(format: "%7.2f", logs["mean_absolute_error"]!)).")
            epochLosses.append(logs["loss"]!)
        }
    }

    func testBatchLogsHoldTheRunningAverageOfTheEpoch() throws {
        let (xTrain, yTrain, _, _) = try loadGuideData()
        // keras: model = get_model()
        let model = try getModel()
        let callback = LossAndErrorPrintingCallback()
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=128,
        // keras:     epochs=2,
        // keras:     verbose=0,
        // keras:     callbacks=[LossAndErrorPrintingCallback()],
        // keras: )
        let history = try model.fit(
            xTrain,
            yTrain,
            batchSize: 128,
            epochs: 2,
            verbose: 0,
            callbacks: [callback]
        )
        // 1,000 rows in batches of 128: 8 batches an epoch; the last batch's log is the epoch's average.
        XCTAssertEqual(callback.trainBatchLosses.count, 16)
        XCTAssertEqual(callback.epochLosses, history.history["loss"]!)
        XCTAssertEqual(callback.trainBatchLosses[7], callback.epochLosses[0])
        XCTAssertEqual(callback.trainBatchLosses[15], callback.epochLosses[1])
    }

    // keras: class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    // keras:     def __init__(self, patience=0):
    // keras:         super().__init__()
    // keras:         self.patience = patience
    // keras:         self.best_weights = None
    // keras:     def on_train_begin(self, logs=None):
    // keras:         self.wait = 0
    // keras:         self.stopped_epoch = 0
    // keras:         self.best = np.inf
    // keras:     def on_epoch_end(self, epoch, logs=None):
    // keras:         current = logs.get("loss")
    // keras:         if np.less(current, self.best):
    // keras:             self.best = current
    // keras:             self.wait = 0
    // keras:             self.best_weights = self.model.get_weights()
    // keras:         else:
    // keras:             self.wait += 1
    // keras:             if self.wait >= self.patience:
    // keras:                 self.stopped_epoch = epoch
    // keras:                 self.model.stop_training = True
    // keras:                 print("Restoring model weights from the end of the best epoch.")
    // keras:                 self.model.set_weights(self.best_weights)
    // keras:     def on_train_end(self, logs=None):
    // keras:         if self.stopped_epoch > 0:
    // keras:             print(f"Epoch {self.stopped_epoch + 1}: early stopping")
    final class EarlyStoppingAtMinLoss: Callback {
        let patience: Int
        var bestWeights: [Tensor]?
        var wait = 0
        var stoppedEpoch = 0
        var best = Double.infinity
        var bestEpoch = -1

        init(patience: Int = 0) {
            self.patience = patience
            super.init()
        }

        override func onTrainBegin(logs: inout [String: Double]) throws {
            wait = 0
            stoppedEpoch = 0
            best = .infinity
        }

        override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
            let current = logs["loss"]!
            if current < best {
                best = current
                wait = 0
                bestWeights = model!.getWeights()
                bestEpoch = epoch
            } else {
                wait += 1
                if wait >= patience {
                    stoppedEpoch = epoch
                    model!.stopTraining = true
                    print("Restoring model weights from the end of the best epoch.")
                    try model!.setWeights(bestWeights!)
                }
            }
        }

        override func onTrainEnd(logs: inout [String: Double]) throws {
            if stoppedEpoch > 0 {
                print("Epoch \(stoppedEpoch + 1): early stopping")
            }
        }
    }

    func testEarlyStoppingAtMinLossStopsAfterPatienceAndRestoresTheBestWeights() throws {
        let (xTrain, yTrain, _, _) = try loadGuideData()
        // keras: model = get_model()
        let model = try getModel()
        let callback = EarlyStoppingAtMinLoss(patience: 2)
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=64,
        // keras:     epochs=30,
        // keras:     verbose=0,
        // keras:     callbacks=[LossAndErrorPrintingCallback(), EarlyStoppingAtMinLoss()],
        // keras: )
        let history = try model.fit(
            xTrain,
            yTrain,
            batchSize: 64,
            epochs: 30,
            verbose: 0,
            callbacks: [LossAndErrorPrintingCallback(), callback]
        )
        let losses = history.history["loss"]!
        // RMSprop at 0.1 on a linear model of 784 inputs oscillates, so the loss stops falling well
        // before epoch 30: training ends `patience` epochs after the best epoch, as the guide's run does.
        XCTAssertLessThan(losses.count, 30)
        XCTAssertEqual(callback.stoppedEpoch, losses.count - 1)
        XCTAssertEqual(callback.stoppedEpoch, callback.bestEpoch + 2)
        XCTAssertEqual(losses.min(), callback.best)
        // The weights now are those at the end of the best epoch.
        for (restored, best) in zip(model.getWeights(), callback.bestWeights!) {
            XCTAssertEqual(restored.scalars, best.scalars)
        }
    }

    // keras: class CustomLearningRateScheduler(keras.callbacks.Callback):
    // keras:     def __init__(self, schedule):
    // keras:         super().__init__()
    // keras:         self.schedule = schedule
    // keras:     def on_epoch_begin(self, epoch, logs=None):
    // keras:         if not hasattr(self.model.optimizer, "learning_rate"):
    // keras:             raise ValueError('Optimizer must have a "learning_rate" attribute.')
    // keras:         lr = self.model.optimizer.learning_rate
    // keras:         scheduled_lr = self.schedule(epoch, lr)
    // keras:         self.model.optimizer.learning_rate = scheduled_lr
    // keras:         print(f"\nEpoch {epoch}: Learning rate is {float(np.array(scheduled_lr))}.")
    final class CustomLearningRateScheduler: Callback {
        let schedule: (Int, Float) -> Float
        var ratesSeen: [Float] = []

        init(_ schedule: @escaping (Int, Float) -> Float) {
            self.schedule = schedule
            super.init()
        }

        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
            let lr = model!.optimizer!.learningRate
            let scheduledLR = schedule(epoch, lr)
            model!.optimizer!.learningRate = scheduledLR
            print("\nEpoch \(epoch): Learning rate is \(scheduledLR).")
            ratesSeen.append(scheduledLR)
        }
    }

    // keras: LR_SCHEDULE = [
    // keras:     # (epoch to start, learning rate) tuples
    // keras:     (3, 0.05),
    // keras:     (6, 0.01),
    // keras:     (9, 0.005),
    // keras:     (12, 0.001),
    // keras: ]
    static let lrSchedule: [(Int, Float)] = [
        // (epoch to start, learning rate) tuples
        (3, 0.05),
        (6, 0.01),
        (9, 0.005),
        (12, 0.001),
    ]

    // keras: def lr_schedule(epoch, lr):
    // keras:     if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
    // keras:         return lr
    // keras:     for i in range(len(LR_SCHEDULE)):
    // keras:         if epoch == LR_SCHEDULE[i][0]:
    // keras:             return LR_SCHEDULE[i][1]
    // keras:     return lr
    static func lrSchedule(epoch: Int, lr: Float) -> Float {
        if epoch < lrSchedule[0].0 || epoch > lrSchedule[lrSchedule.count - 1].0 {
            return lr
        }
        for i in 0..<lrSchedule.count {
            if epoch == lrSchedule[i].0 {
                return lrSchedule[i].1
            }
        }
        return lr
    }

    func testCustomLearningRateSchedulerSetsTheOptimizersRateEachEpoch() throws {
        let (xTrain, yTrain, _, _) = try loadGuideData()
        // keras: model = get_model()
        let model = try getModel()
        let scheduler = CustomLearningRateScheduler(Self.lrSchedule)
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=64,
        // keras:     epochs=15,
        // keras:     verbose=0,
        // keras:     callbacks=[
        // keras:         LossAndErrorPrintingCallback(),
        // keras:         CustomLearningRateScheduler(lr_schedule),
        // keras:     ],
        // keras: )
        let history = try model.fit(
            xTrain,
            yTrain,
            batchSize: 64,
            epochs: 15,
            verbose: 0,
            callbacks: [
                LossAndErrorPrintingCallback(),
                scheduler,
            ]
        )
        XCTAssertEqual(history.history["loss"]!.count, 15)
        let expected: [Float] = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.001, 0.001, 0.001]
        XCTAssertEqual(scheduler.ratesSeen, expected)
        XCTAssertEqual(model.optimizer!.learningRate, 0.001)
        // As in Keras 3.15.1, History holds only the loss and metrics (no `learning_rate` key).
        XCTAssertEqual(history.keys, ["loss", "mean_absolute_error"])
        XCTAssertTrue(history.history["loss"]!.allSatisfy { $0.isFinite })
    }
}
