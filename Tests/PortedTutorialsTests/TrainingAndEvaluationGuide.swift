import XCTest
import Kestrel

/// keras-io guides/training_with_built_in_methods.py ("Training & evaluation with the built-in methods"):
/// the end-to-end example and the callbacks section, line by line. Data: a synthetic stand-in of MNIST's
/// shapes (500 train of which the last 100 validate, 100 test).
/// Lines that needed more than Swift spelling: 0.
final class TrainingAndEvaluationGuide: XCTestCase {
    func testGuide() throws {
        let folder = try TutorialData.temporaryFolder("training-guide")
        // keras: inputs = keras.Input(shape=(784,), name="digits")
        let inputs = Input(shape: [784], name: "digits")
        // keras: x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
        var x = try Dense(64, activation: "relu", name: "dense_1")(inputs)
        // keras: x = layers.Dense(64, activation="relu", name="dense_2")(x)
        x = try Dense(64, activation: "relu", name: "dense_2")(x)
        // keras: outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
        let outputs = try Dense(10, activation: "softmax", name: "predictions")(x)
        // keras: model = keras.Model(inputs=inputs, outputs=outputs)
        let model = try Model(inputs: inputs, outputs: outputs)

        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, yTest)) = try TutorialData.loadData(train: 500, test: 100, shape: [28, 28])
        // keras: x_train = x_train.reshape(60000, 784).astype("float32") / 255
        xTrain = try xTrain.reshaped([500, 784]).astype("float32") / 255
        // keras: x_test = x_test.reshape(10000, 784).astype("float32") / 255
        xTest = try xTest.reshaped([100, 784]).astype("float32") / 255
        // keras: y_train = y_train.astype("float32")
        yTrain = try yTrain.astype("float32")
        // keras: y_test = y_test.astype("float32")
        yTest = try yTest.astype("float32")
        // keras: x_val = x_train[-10000:]
        let xVal = try xTrain[-100...]
        // keras: y_val = y_train[-10000:]
        let yVal = try yTrain[-100...]
        // keras: x_train = x_train[:-10000]
        xTrain = try xTrain[..<(-100)]
        // keras: y_train = y_train[:-10000]
        yTrain = try yTrain[..<(-100)]
        XCTAssertEqual(xTrain.shape, [400, 784])

        // keras: model.compile(
        // keras:     optimizer=keras.optimizers.RMSprop(),  # Optimizer
        // keras:     loss=keras.losses.SparseCategoricalCrossentropy(),
        // keras:     metrics=[keras.metrics.SparseCategoricalAccuracy()],
        // keras: )
        try model.compile(
            optimizer: RMSprop(), // Optimizer
            loss: SparseCategoricalCrossentropy(),
            metrics: [SparseCategoricalAccuracy()]
        )
        // keras: print("Fit model on training data")
        print("Fit model on training data")
        // keras: history = model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=64,
        // keras:     epochs=2,
        // keras:     validation_data=(x_val, y_val),
        // keras: )
        let history = try model.fit(
            xTrain,
            yTrain,
            batchSize: 64,
            epochs: 2,
            validationData: (xVal, yVal),
            verbose: 0
        )
        // keras: history.history
        print(history.history)
        XCTAssertEqual(history.keys, ["loss", "sparse_categorical_accuracy", "val_loss", "val_sparse_categorical_accuracy"])
        // keras: results = model.evaluate(x_test, y_test, batch_size=128)
        let results = try model.evaluate(xTest, yTest, batchSize: 128, verbose: 0)
        // keras: print("test loss, test acc:", results)
        print("test loss, test acc:", results)
        XCTAssertGreaterThan(results[1], 0.3)
        // keras: predictions = model.predict(x_test[:3])
        let predictions = try model.predict(xTest[..<3])
        // keras: print("predictions shape:", predictions.shape)
        print("predictions shape:", predictions.shape)
        XCTAssertEqual(predictions.shape, [3, 10])

        // keras: model.compile(
        // keras:     optimizer="rmsprop",
        // keras:     loss="sparse_categorical_crossentropy",
        // keras:     metrics=["sparse_categorical_accuracy"],
        // keras: )
        try model.compile(
            optimizer: "rmsprop",
            loss: "sparse_categorical_crossentropy",
            metrics: ["sparse_categorical_accuracy"]
        )
        // keras: callbacks = [
        // keras:     keras.callbacks.EarlyStopping(
        // keras:         # Stop training when `val_loss` is no longer improving
        // keras:         monitor="val_loss",
        // keras:         # "no longer improving" being defined as "no better than 1e-2 less"
        // keras:         min_delta=1e-2,
        // keras:         # "no longer improving" being further defined as "for at least 2 epochs"
        // keras:         patience=2,
        // keras:         verbose=1,
        // keras:     )
        // keras: ]
        var callbacks: [Callback] = [
            EarlyStopping(
                // Stop training when `val_loss` is no longer improving
                monitor: "val_loss",
                // "no longer improving" being defined as "no better than 1e-2 less"
                minDelta: 1e-2,
                // "no longer improving" being further defined as "for at least 2 epochs"
                patience: 2,
                verbose: 1
            ),
        ]
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     epochs=20,
        // keras:     batch_size=64,
        // keras:     callbacks=callbacks,
        // keras:     validation_split=0.2,
        // keras: )
        let stopped = try model.fit(
            xTrain,
            yTrain,
            epochs: 20,
            batchSize: 64,
            callbacks: callbacks,
            validationSplit: 0.2,
            verbose: 0
        )
        XCTAssertLessThanOrEqual(stopped.epoch.count, 20)

        // keras: callbacks = [
        // keras:     keras.callbacks.ModelCheckpoint(
        // keras:         # Path where to save the model
        // keras:         filepath="mymodel_{epoch}.keras",
        // keras:         save_best_only=True,  # Only save a model if `val_loss` has improved.
        // keras:         monitor="val_loss",
        // keras:         verbose=1,
        // keras:     )
        // keras: ]
        callbacks = [
            try ModelCheckpoint(
                // Path where to save the model
                filepath: "\(folder)/mymodel_{epoch}.keras",
                saveBestOnly: true, // Only save a model if `val_loss` has improved.
                monitor: "val_loss",
                verbose: 1
            ),
        ]
        // keras: model.fit(
        // keras:     x_train, y_train, epochs=2, batch_size=64, callbacks=callbacks, validation_split=0.2
        // keras: )
        try model.fit(
            xTrain, yTrain, epochs: 2, batchSize: 64, callbacks: callbacks, validationSplit: 0.2, verbose: 0
        )
        XCTAssertNoThrow(try loadModel("\(folder)/mymodel_1.keras"))
    }
}
