import XCTest
import Kestrel

/// keras.io getting_started/intro_to_keras_for_engineers ("Introduction to Keras for engineers"): the
/// convnet, compile, callbacks, fit, evaluate, save and load lines, line by line. Data: a synthetic
/// stand-in of MNIST's shapes (96 train, 32 test); 1 epoch instead of 20.
/// Lines that needed more than Swift spelling: 0.
final class IntroToKerasForEngineers: XCTestCase {
    func testGuide() throws {
        let folder = try TutorialData.temporaryFolder("intro-engineers")
        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, yTest)) = try TutorialData.loadData(train: 96, test: 32, shape: [28, 28])
        // keras: x_train = x_train.astype("float32") / 255
        xTrain = try xTrain.astype("float32") / 255
        // keras: x_test = x_test.astype("float32") / 255
        xTest = try xTest.astype("float32") / 255
        // keras: x_train = np.expand_dims(x_train, -1)
        xTrain = try expandDims(xTrain, axis: -1)
        // keras: x_test = np.expand_dims(x_test, -1)
        xTest = try expandDims(xTest, axis: -1)
        // keras: num_classes = 10
        let numClasses = 10
        // keras: input_shape = (28, 28, 1)
        let inputShape = [28, 28, 1]
        // keras: model = keras.Sequential(
        // keras:     [
        // keras:         keras.layers.Input(shape=input_shape),
        // keras:         keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        // keras:         keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        // keras:         keras.layers.MaxPooling2D(pool_size=(2, 2)),
        // keras:         keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        // keras:         keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        // keras:         keras.layers.GlobalAveragePooling2D(),
        // keras:         keras.layers.Dropout(0.5),
        // keras:         keras.layers.Dense(num_classes, activation="softmax"),
        // keras:     ]
        // keras: )
        var model: Model = try Sequential(
            [
                Input(shape: inputShape),
                Conv2D(64, kernelSize: (3, 3), activation: "relu"),
                Conv2D(64, kernelSize: (3, 3), activation: "relu"),
                MaxPooling2D(poolSize: (2, 2)),
                Conv2D(128, kernelSize: (3, 3), activation: "relu"),
                Conv2D(128, kernelSize: (3, 3), activation: "relu"),
                GlobalAveragePooling2D(),
                Dropout(0.5),
                Dense(numClasses, activation: "softmax"),
            ]
        )
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(model.countParams(), 260_298, "the guide's summary: Total params: 260,298")
        // keras: model.compile(
        // keras:     loss=keras.losses.SparseCategoricalCrossentropy(),
        // keras:     optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        // keras:     metrics=[
        // keras:         keras.metrics.SparseCategoricalAccuracy(name="acc"),
        // keras:     ],
        // keras: )
        try model.compile(
            loss: SparseCategoricalCrossentropy(),
            optimizer: Adam(learningRate: 1e-3),
            metrics: [
                SparseCategoricalAccuracy(name: "acc"),
            ]
        )
        // keras: batch_size = 128
        let batchSize = 128
        // keras: epochs = 20
        let epochs = 1
        // keras: callbacks = [
        // keras:     keras.callbacks.ModelCheckpoint(filepath="model_at_epoch_{epoch}.keras"),
        // keras:     keras.callbacks.EarlyStopping(monitor="val_loss", patience=2),
        // keras: ]
        let callbacks: [Callback] = [
            try ModelCheckpoint(filepath: "\(folder)/model_at_epoch_{epoch}.keras"),
            EarlyStopping(monitor: "val_loss", patience: 2),
        ]
        // keras: model.fit(
        // keras:     x_train,
        // keras:     y_train,
        // keras:     batch_size=batch_size,
        // keras:     epochs=epochs,
        // keras:     validation_split=0.15,
        // keras:     callbacks=callbacks,
        // keras: )
        let history = try model.fit(
            xTrain,
            yTrain,
            batchSize: batchSize,
            epochs: epochs,
            validationSplit: 0.15,
            callbacks: callbacks,
            verbose: 0
        )
        XCTAssertEqual(history.keys, ["acc", "loss", "val_acc", "val_loss"])
        // keras: score = model.evaluate(x_test, y_test, verbose=0)
        let score = try model.evaluate(xTest, yTest, verbose: 0)
        // keras: model.save("final_model.keras")
        try model.save("\(folder)/final_model.keras")
        // keras: model = keras.saving.load_model("final_model.keras")
        model = try loadModel("\(folder)/final_model.keras")
        // keras: predictions = model.predict(x_test)
        let predictions = try model.predict(xTest)
        XCTAssertEqual(predictions.shape, [32, 10])
        XCTAssertEqual(try model.evaluate(xTest, yTest, verbose: 0)[0], score[0], accuracy: 1e-6)
    }
}
