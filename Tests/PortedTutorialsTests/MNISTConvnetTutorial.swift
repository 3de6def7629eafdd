import XCTest
import Kestrel

/// keras-io examples/vision/mnist_convnet.py ("Simple MNIST convnet"), line by line. Data: a synthetic
/// stand-in of MNIST's shapes (400 train, 100 test); 2 epochs instead of 15.
/// Lines that needed more than Swift spelling: 0.
final class MNISTConvnetTutorial: XCTestCase {
    func testTutorial() throws {
        // keras: num_classes = 10
        let numClasses = 10
        // keras: input_shape = (28, 28, 1)
        let inputShape = [28, 28, 1]
        // keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        var ((xTrain, yTrain), (xTest, yTest)) = try TutorialData.loadData(train: 400, test: 100, shape: [28, 28])
        // keras: x_train = x_train.astype("float32") / 255
        xTrain = try xTrain.astype("float32") / 255
        // keras: x_test = x_test.astype("float32") / 255
        xTest = try xTest.astype("float32") / 255
        // keras: x_train = np.expand_dims(x_train, -1)
        xTrain = try expandDims(xTrain, axis: -1)
        // keras: x_test = np.expand_dims(x_test, -1)
        xTest = try expandDims(xTest, axis: -1)
        // keras: print("x_train shape:", x_train.shape)
        print("x_train shape:", xTrain.shape)
        // keras: print(x_train.shape[0], "train samples")
        print(xTrain.shape[0], "train samples")
        // keras: y_train = keras.utils.to_categorical(y_train, num_classes)
        yTrain = try toCategorical(yTrain, numClasses: numClasses)
        // keras: y_test = keras.utils.to_categorical(y_test, num_classes)
        yTest = try toCategorical(yTest, numClasses: numClasses)

        // keras: model = keras.Sequential(
        // keras:     [
        // keras:         keras.Input(shape=input_shape),
        // keras:         layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        // keras:         layers.MaxPooling2D(pool_size=(2, 2)),
        // keras:         layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        // keras:         layers.MaxPooling2D(pool_size=(2, 2)),
        // keras:         layers.Flatten(),
        // keras:         layers.Dropout(0.5),
        // keras:         layers.Dense(num_classes, activation="softmax"),
        // keras:     ]
        // keras: )
        let model = try Sequential(
            [
                Input(shape: inputShape),
                Conv2D(32, kernelSize: (3, 3), activation: "relu"),
                MaxPooling2D(poolSize: (2, 2)),
                Conv2D(64, kernelSize: (3, 3), activation: "relu"),
                MaxPooling2D(poolSize: (2, 2)),
                Flatten(),
                Dropout(0.5),
                Dense(numClasses, activation: "softmax"),
            ]
        )
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(model.countParams(), 34_826, "Keras's summary: Total params: 34,826")

        // keras: batch_size = 128
        let batchSize = 128
        // keras: epochs = 15
        let epochs = 2
        // keras: model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        try model.compile(loss: "categorical_crossentropy", optimizer: "adam", metrics: ["accuracy"])
        // keras: model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1)
        let history = try model.fit(xTrain, yTrain, batchSize: batchSize, epochs: epochs, validationSplit: 0.1, verbose: 0)
        XCTAssertLessThan(history["loss"]![1], history["loss"]![0], "the loss falls")

        // keras: score = model.evaluate(x_test, y_test, verbose=0)
        let score = try model.evaluate(xTest, yTest, verbose: 0)
        // keras: print("Test loss:", score[0])
        print("Test loss:", score[0])
        // keras: print("Test accuracy:", score[1])
        print("Test accuracy:", score[1])
        XCTAssertEqual(score.count, 2)
    }
}
