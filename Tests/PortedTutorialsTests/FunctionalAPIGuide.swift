import XCTest
import Kestrel

/// keras-io guides/functional_api.py ("The Functional API"), its first section (building, training,
/// saving), line by line. Data: a synthetic stand-in of MNIST's shapes (400 train, 100 test).
/// Lines that needed more than Swift spelling: 0.
final class FunctionalAPIGuide: XCTestCase {
    func testGuide() throws {
        let folder = try TutorialData.temporaryFolder("functional-api")
        // keras: inputs = keras.Input(shape=(784,))
        let inputs = Input(shape: [784])
        // keras: dense = layers.Dense(64, activation="relu")
        let dense = Dense(64, activation: "relu")
        // keras: x = dense(inputs)
        var x = try dense(inputs)
        // keras: x = layers.Dense(64, activation="relu")(x)
        x = try Dense(64, activation: "relu")(x)
        // keras: outputs = layers.Dense(10)(x)
        let outputs = try Dense(10)(x)
        // keras: model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
        var model = try Model(inputs: inputs, outputs: outputs, name: "mnist_model")
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(model.countParams(), 55_050, "the guide's summary: Total params: 55,050")

        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, yTest)) = try TutorialData.loadData(train: 400, test: 100, shape: [28, 28])
        // keras: x_train = x_train.reshape(60000, 784).astype("float32") / 255
        xTrain = try xTrain.reshaped([400, 784]).astype("float32") / 255
        // keras: x_test = x_test.reshape(10000, 784).astype("float32") / 255
        xTest = try xTest.reshaped([100, 784]).astype("float32") / 255

        // keras: model.compile(
        // keras:     loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:     optimizer=keras.optimizers.RMSprop(),
        // keras:     metrics=["accuracy"],
        // keras: )
        try model.compile(
            loss: SparseCategoricalCrossentropy(fromLogits: true),
            optimizer: RMSprop(),
            metrics: ["accuracy"]
        )
        // keras: history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)
        let history = try model.fit(xTrain, yTrain, batchSize: 64, epochs: 2, validationSplit: 0.2, verbose: 0)
        // keras: test_scores = model.evaluate(x_test, y_test, verbose=2)
        let testScores = try model.evaluate(xTest, yTest, verbose: 0)
        // keras: print("Test loss:", test_scores[0])
        print("Test loss:", testScores[0])
        // keras: print("Test accuracy:", test_scores[1])
        print("Test accuracy:", testScores[1])
        XCTAssertLessThan(history["loss"]![1], history["loss"]![0])
        XCTAssertGreaterThan(testScores[1], 0.3)

        // keras: model.save("my_model.keras")
        try model.save("\(folder)/my_model.keras")
        // keras: del model
        // keras: model = keras.models.load_model("my_model.keras")
        model = try loadModel("\(folder)/my_model.keras")
        XCTAssertEqual(try model.evaluate(xTest, yTest, verbose: 0)[1], testScores[1])
    }
}
