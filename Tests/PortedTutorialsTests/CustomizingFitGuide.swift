import XCTest
import Kestrel

/// keras-io guides/custom_train_step_in_tensorflow.py ("Customizing what happens in `fit()`"), typed as a
/// newcomer would: a `Model` subclass overriding `train_step` (gradients of `compute_loss`, `optimizer.apply`,
/// the metrics updated by hand), the lower-level one with its own loss function and metric trackers and
/// `compile(optimizer=…)` without a loss, and one overriding `test_step`. Data: the guide's own random arrays
/// (1,000 × 32 inputs, 1,000 × 1 targets), drawn from Kestrel's seeded generator.
/// Lines that needed more than Swift spelling: 2.
final class CustomizingFitGuide: XCTestCase {
    // keras: class CustomModel(keras.Model):
    // keras:     def train_step(self, data):
    // keras:         x, y = data
    // keras:         with tf.GradientTape() as tape:
    // keras:             y_pred = self(x, training=True)  # Forward pass
    // keras:             loss = self.compute_loss(y=y, y_pred=y_pred)
    // keras:         trainable_vars = self.trainable_variables
    // keras:         gradients = tape.gradient(loss, trainable_vars)
    // keras:         self.optimizer.apply(gradients, trainable_vars)
    // keras:         for metric in self.metrics:
    // keras:             if metric.name == "loss":
    // keras:                 metric.update_state(loss)
    // keras:             else:
    // keras:                 metric.update_state(y, y_pred)
    // keras:         return {m.name: m.result() for m in self.metrics}
    final class CustomModel: Model {
        var steps = 0

        override func trainStep(_ data: Batch) throws -> [String: Double] {
            let (x, y) = (data.x, data.y!)
            var yPred: Tensor?
            // beyond spelling: the tape is a closure that returns the loss, and hands back its gradients
            let trainableVars = trainableWeights
            let (loss, gradients) = try valueWithGradients(for: trainableVars) {
                yPred = try self(x, training: true)  // Forward pass
                return try computeLoss(y: y, yPred: yPred!)
            }
            try optimizer!.apply(gradients: gradients, to: trainableVars)
            for metric in metrics {
                if metric.name == "loss" {
                    try metric.updateState(loss)
                } else {
                    try metric.updateState(y, yPred!)
                }
            }
            steps += 1
            return Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.result()) })
        }
    }

    func testOverridingTrainStep() throws {
        Kestrel.setRandomSeed(42)
        // keras: inputs = keras.Input(shape=(32,))
        let inputs = Input(shape: [32])
        // keras: outputs = keras.layers.Dense(1)(inputs)
        let outputs = try Dense(1)(inputs)
        // keras: model = CustomModel(inputs, outputs)
        let model = try CustomModel(inputs: inputs, outputs: outputs)
        // keras: model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        try model.compile(optimizer: "adam", loss: "mse", metrics: ["mae"])
        // keras: x = np.random.random((1000, 32))
        let x = try Tensor.randomUniform([1000, 32])
        // keras: y = np.random.random((1000, 1))
        let y = try Tensor.randomUniform([1000, 1])
        // keras: model.fit(x, y, epochs=3)
        let history = try model.fit(x, y, epochs: 3)
        // 1,000 rows in batches of 32: 32 steps an epoch, each through the override.
        XCTAssertEqual(model.steps, 96)
        XCTAssertEqual(history.keys, ["loss", "mae"])
        let losses = history.history["loss"]!
        XCTAssertLessThan(losses[2], losses[0])
        // The logged loss is the running mean of the step losses: the mse of the trained model on the
        // data is close to the last epoch's mean (the weights move little within an epoch).
        let mse = try model.evaluate(x, y, verbose: 0)[0]
        XCTAssertEqual(mse, losses[2], accuracy: 0.25 * losses[2])
    }

    // keras: class CustomModel(keras.Model):
    // keras:     def __init__(self, *args, **kwargs):
    // keras:         super().__init__(*args, **kwargs)
    // keras:         self.loss_tracker = keras.metrics.Mean(name="loss")
    // keras:         self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
    // keras:         self.loss_fn = keras.losses.MeanSquaredError()
    // keras:     def train_step(self, data):
    // keras:         x, y = data
    // keras:         with tf.GradientTape() as tape:
    // keras:             y_pred = self(x, training=True)  # Forward pass
    // keras:             # Compute our own loss
    // keras:             loss = self.loss_fn(y, y_pred)
    // keras:         trainable_vars = self.trainable_variables
    // keras:         gradients = tape.gradient(loss, trainable_vars)
    // keras:         self.optimizer.apply(gradients, trainable_vars)
    // keras:         self.loss_tracker.update_state(loss)
    // keras:         self.mae_metric.update_state(y, y_pred)
    // keras:         return {
    // keras:             "loss": self.loss_tracker.result(),
    // keras:             "mae": self.mae_metric.result(),
    // keras:         }
    // keras:     @property
    // keras:     def metrics(self):
    // keras:         return [self.loss_tracker, self.mae_metric]
    final class LowerLevelModel: Model {
        // beyond spelling: Model already has a lossTracker, so the model's own tracker needs another name
        let ownLossTracker = Mean(name: "loss")
        let maeMetric = MeanAbsoluteErrorMetric(name: "mae")
        let lossFn = MeanSquaredError()
        var stepLosses: [Double] = []

        override var metrics: [Metric] {
            [ownLossTracker, maeMetric]
        }

        override func trainStep(_ data: Batch) throws -> [String: Double] {
            let (x, y) = (data.x, data.y!)
            var yPred: Tensor?
            let trainableVars = trainableWeights
            let (loss, gradients) = try valueWithGradients(for: trainableVars) {
                yPred = try self(x, training: true)  // Forward pass
                // Compute our own loss
                return try lossFn(y, yPred!)
            }
            try optimizer!.apply(gradients: gradients, to: trainableVars)
            try ownLossTracker.updateState(loss)
            try maeMetric.updateState(y, yPred!)
            stepLosses.append(Double(loss.scalars[0]))
            return [
                "loss": ownLossTracker.result(),
                "mae": maeMetric.result(),
            ]
        }
    }

    /// Records the loss the logs give at each epoch's first batch.
    final class FirstBatchLoss: Callback {
        var losses: [Double] = []
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            if batch == 0 { losses.append(logs["loss"]!) }
        }
    }

    func testOwnTrackersAreResetAtEachEpochAsKerasResetsTrackedMetrics() throws {
        Kestrel.setRandomSeed(5)
        // keras: inputs = keras.Input(shape=(32,))
        let inputs = Input(shape: [32])
        // keras: outputs = keras.layers.Dense(1)(inputs)
        let outputs = try Dense(1)(inputs)
        // keras: model = CustomModel(inputs, outputs)
        let model = try LowerLevelModel(inputs: inputs, outputs: outputs)
        // keras: # We don't pass a loss or metrics here.
        // keras: model.compile(optimizer="adam")
        try model.compile(optimizer: "adam")
        let x = try Tensor.randomUniform([1000, 32])
        let y = try Tensor.randomUniform([1000, 1])
        let firstBatch = FirstBatchLoss()
        // keras: # Just use `fit` as usual -- you can use callbacks, etc.
        // keras: model.fit(x, y, epochs=5)
        let history = try model.fit(x, y, epochs: 5, callbacks: [firstBatch])
        XCTAssertEqual(history.keys, ["loss", "mae"])
        XCTAssertEqual(model.stepLosses.count, 5 * 32)
        // Keras resets the metrics a model holds at each epoch's start: the first batch's logged loss is
        // that step's loss alone, and each epoch's loss is the mean of its own 32 step losses.
        for epoch in 0..<5 {
            let steps = Array(model.stepLosses[(epoch * 32)..<(epoch * 32 + 32)])
            XCTAssertEqual(firstBatch.losses[epoch], steps[0], accuracy: 1e-6)
            XCTAssertEqual(history.history["loss"]![epoch], steps.reduce(0, +) / 32, accuracy: 1e-6)
        }
        // The default step needs the loss that this compile left out, and says so.
        let plain = try Model(inputs: inputs, outputs: outputs)
        try plain.compile(optimizer: "adam")
        XCTAssertThrowsError(try plain.fit(x, y, epochs: 1, verbose: 0)) { error in
            XCTAssertTrue("\(error)".contains("compiled without one"), "\(error)")
        }
    }

    // keras: class CustomModel(keras.Model):
    // keras:     def test_step(self, data):
    // keras:         # Unpack the data
    // keras:         x, y = data
    // keras:         # Compute predictions
    // keras:         y_pred = self(x, training=False)
    // keras:         # Updates the metrics tracking the loss
    // keras:         loss = self.compute_loss(y=y, y_pred=y_pred)
    // keras:         # Update the metrics.
    // keras:         for metric in self.metrics:
    // keras:             if metric.name == "loss":
    // keras:                 metric.update_state(loss)
    // keras:             else:
    // keras:                 metric.update_state(y, y_pred)
    // keras:         return {m.name: m.result() for m in self.metrics}
    final class EvaluatingModel: Model {
        override func testStep(_ data: Batch) throws -> [String: Double] {
            // Unpack the data
            let (x, y) = (data.x, data.y!)
            // Compute predictions
            let yPred = try self(x, training: false)
            // Updates the metrics tracking the loss
            let loss = try computeLoss(y: y, yPred: yPred)
            // Update the metrics.
            for metric in metrics {
                if metric.name == "loss" {
                    try metric.updateState(loss)
                } else {
                    try metric.updateState(y, yPred)
                }
            }
            return Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.result()) })
        }
    }

    func testOverridingTestStepGivesWhatTheBuiltInStepGives() throws {
        Kestrel.setRandomSeed(3)
        // keras: inputs = keras.Input(shape=(32,))
        let inputs = Input(shape: [32])
        // keras: outputs = keras.layers.Dense(1)(inputs)
        let dense = Dense(1)
        let outputs = try dense(inputs)
        // keras: model = CustomModel(inputs, outputs)
        let model = try EvaluatingModel(inputs: inputs, outputs: outputs)
        // keras: model.compile(loss="mse", metrics=["mae"])
        try model.compile(optimizer: "rmsprop", loss: "mse", metrics: ["mae"])
        // keras: x = np.random.random((1000, 32))
        let x = try Tensor.randomUniform([1000, 32])
        // keras: y = np.random.random((1000, 1))
        let y = try Tensor.randomUniform([1000, 1])
        // keras: model.evaluate(x, y)
        let result = try model.evaluate(x, y, verbose: 0)
        // The same weights in a plain functional model: its built-in test step gives the same numbers.
        let plain = try Model(inputs: inputs, outputs: outputs)
        try plain.compile(optimizer: "rmsprop", loss: "mse", metrics: ["mae"])
        let expected = try plain.evaluate(x, y, verbose: 0)
        XCTAssertEqual(result[1], expected[1], accuracy: 1e-9)
        // The mean absolute error of the whole set, by hand: the metric averages over samples.
        let prediction = try plain.predict(x, verbose: 0)
        let absolute = zip(prediction.scalars, y.scalars).map { Double(abs($0 - $1)) }
        XCTAssertEqual(result[1], absolute.reduce(0, +) / 1000, accuracy: 1e-5)
        // The guide's `loss_tracker.update_state(loss)` averages the 32 batch losses unweighted, as in Keras
        // (its built-in step weights each by the batch size, so the short last batch of 8 counts less).
        let squared = zip(prediction.scalars, y.scalars).map { Double(($0 - $1) * ($0 - $1)) }
        var batchLosses: [Double] = []
        for start in stride(from: 0, to: 1000, by: 32) {
            let end = min(start + 32, 1000)
            let sum: Double = squared[start..<end].reduce(0, +)
            batchLosses.append(sum / Double(end - start))
        }
        XCTAssertEqual(result[0], batchLosses.reduce(0, +) / 32, accuracy: 1e-5)
        XCTAssertEqual(expected[0], squared.reduce(0, +) / 1000, accuracy: 1e-5)
    }
}
