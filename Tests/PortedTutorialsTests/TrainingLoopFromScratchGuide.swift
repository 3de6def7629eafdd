import XCTest
import Kestrel

/// keras-io guides/writing_a_custom_training_loop_in_tensorflow.py ("Writing a training loop from scratch"),
/// typed as a newcomer would: a functional model, `from_tensor_slices(...).shuffle(...).batch(...)`, a
/// gradient tape per batch, `optimizer.apply`, and accuracy metrics updated per batch and reset per epoch.
/// Data: a synthetic stand-in of MNIST's shapes (700 train, of which the last 100 validate), raw pixels as
/// in the guide.
/// Lines that needed more than Swift spelling: 2.
final class TrainingLoopFromScratchGuide: XCTestCase {
    // keras: def get_model():
    // keras:     inputs = keras.Input(shape=(784,), name="digits")
    // keras:     x1 = keras.layers.Dense(64, activation="relu")(inputs)
    // keras:     x2 = keras.layers.Dense(64, activation="relu")(x1)
    // keras:     outputs = keras.layers.Dense(10, name="predictions")(x2)
    // keras:     model = keras.Model(inputs=inputs, outputs=outputs)
    // keras:     return model
    func getModel() throws -> Model {
        let inputs = Input(shape: [784], name: "digits")
        let x1 = try Dense(64, activation: "relu")(inputs)
        let x2 = try Dense(64, activation: "relu")(x1)
        let outputs = try Dense(10, name: "predictions")(x2)
        let model = try Model(inputs: inputs, outputs: outputs)
        return model
    }

    func testTrainingLoopWithMetricsResetPerEpoch() throws {
        Kestrel.setRandomSeed(11)
        // keras: model = get_model()
        let model = try getModel()
        // keras: optimizer = keras.optimizers.Adam(learning_rate=1e-3)
        let optimizer = try Adam(learningRate: 1e-3)
        // keras: loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        let lossFn = SparseCategoricalCrossentropy(fromLogits: true)
        // keras: batch_size = 32
        let batchSize = 32
        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, _)) = try TutorialData.loadData(train: 700, test: 100, shape: [28, 28])
        // keras: x_train = np.reshape(x_train, (-1, 784))
        xTrain = try xTrain.reshaped([-1, 784])
        // keras: x_test = np.reshape(x_test, (-1, 784))
        xTest = try xTest.reshaped([-1, 784])
        // keras: x_val = x_train[-10000:]
        let xVal = try xTrain[-100...]
        // keras: y_val = y_train[-10000:]
        let yVal = try yTrain[-100...]
        // keras: x_train = x_train[:-10000]
        xTrain = try xTrain[..<(-100)]
        // keras: y_train = y_train[:-10000]
        yTrain = try yTrain[..<(-100)]
        // keras: train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        var trainDataset = try Dataset.fromTensorSlices((xTrain, yTrain))
        // keras: train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size)
        trainDataset = try trainDataset.shuffle(bufferSize: 1024).batch(batchSize)
        // keras: val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
        var valDataset = try Dataset.fromTensorSlices((xVal, yVal))
        // keras: val_dataset = val_dataset.batch(batch_size)
        valDataset = try valDataset.batch(batchSize)

        // keras: train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
        let trainAccMetric = SparseCategoricalAccuracy()
        // keras: val_acc_metric = keras.metrics.SparseCategoricalAccuracy()
        let valAccMetric = SparseCategoricalAccuracy()

        var trainAccuracies: [Double] = [], valAccuracies: [Double] = [], steps = 0
        // keras: epochs = 3
        let epochs = 3
        // keras: for epoch in range(epochs):
        for epoch in 0..<epochs {
            // keras:     print(f"\nStart of epoch {epoch}")
            print("\nStart of epoch \(epoch)")
            // keras:     for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
            for (step, element) in trainDataset.enumerated() {
                // beyond spelling: a dataset's elements are DataElement values, not (x, y) tuples
                let (xBatchTrain, yBatchTrain) = (element.xTensor, element.yTensor)
                var logits: Tensor?
                // keras:         with tf.GradientTape() as tape:
                // keras:             logits = model(x_batch_train, training=True)
                // keras:             loss_value = loss_fn(y_batch_train, logits)
                // keras:         grads = tape.gradient(loss_value, model.trainable_weights)
                // beyond spelling: the tape is a closure that returns the loss, and hands back its gradients
                let (lossValue, grads) = try valueWithGradients(for: model.trainableWeights) {
                    logits = try model(xBatchTrain, training: true)
                    return try lossFn(yBatchTrain, logits!)
                }
                // keras:         optimizer.apply(grads, model.trainable_weights)
                try optimizer.apply(gradients: grads, to: model.trainableWeights)
                // keras:         train_acc_metric.update_state(y_batch_train, logits)
                try trainAccMetric.updateState(yBatchTrain, logits!)
                // keras:         if step % 100 == 0:
                // keras:             print(f"Training loss (for 1 batch) at step {step}: {float(loss_value):.4f}")
                if step % 100 == 0 {
                    print("Training loss (for 1 batch) at step \(step): \(String(format: "%.4f", lossValue.scalars[0]))")
                }
                steps += 1
            }
            // keras:     train_acc = train_acc_metric.result()
            let trainAcc = trainAccMetric.result()
            // keras:     print(f"Training acc over epoch: {float(train_acc):.4f}")
            print("Training acc over epoch: \(String(format: "%.4f", trainAcc))")
            trainAccuracies.append(trainAcc)
            // keras:     train_acc_metric.reset_state()
            trainAccMetric.resetState()
            XCTAssertEqual(trainAccMetric.result(), 0)
            // keras:     for x_batch_val, y_batch_val in val_dataset:
            for element in valDataset {
                let (xBatchVal, yBatchVal) = (element.xTensor, element.yTensor)
                // keras:         val_logits = model(x_batch_val, training=False)
                let valLogits = try model(xBatchVal, training: false)
                // keras:         val_acc_metric.update_state(y_batch_val, val_logits)
                try valAccMetric.updateState(yBatchVal, valLogits)
            }
            // keras:     val_acc = val_acc_metric.result()
            let valAcc = valAccMetric.result()
            // keras:     val_acc_metric.reset_state()
            valAccMetric.resetState()
            // keras:     print(f"Validation acc: {float(val_acc):.4f}")
            print("Validation acc: \(String(format: "%.4f", valAcc))")
            valAccuracies.append(valAcc)
        }
        // 600 training rows in batches of 32: 19 steps an epoch.
        XCTAssertEqual(steps, 3 * 19)
        XCTAssertEqual(optimizer.iterations, 3 * 19)
        XCTAssertGreaterThan(trainAccuracies[2], trainAccuracies[0])
        XCTAssertGreaterThan(valAccuracies[2], 0.5)
        // The last validation accuracy is the share of right argmaxes of the trained model, counted by hand.
        let predicted = try argmax(try model.predict(xVal, verbose: 0), axis: 1)
        let right = zip(predicted, yVal.scalars).filter { $0 == Int($1) }.count
        XCTAssertEqual(valAccuracies[2], Double(right) / 100, accuracy: 1e-9)
        _ = xTest
    }
}
