import XCTest
import Kestrel

/// keras-io guides/sequential_model.py ("The Sequential model"), line by line up to feature extraction.
/// Lines that needed more than Swift spelling: 0. (`len(model.layers)` is Python for `.count`.)
final class SequentialModelGuide: XCTestCase {
    func testGuide() throws {
        // keras: model = keras.Sequential(
        // keras:     [
        // keras:         layers.Dense(2, activation="relu", name="layer1"),
        // keras:         layers.Dense(3, activation="relu", name="layer2"),
        // keras:         layers.Dense(4, name="layer3"),
        // keras:     ]
        // keras: )
        var model = try Sequential(
            [
                Dense(2, activation: "relu", name: "layer1"),
                Dense(3, activation: "relu", name: "layer2"),
                Dense(4, name: "layer3"),
            ]
        )
        // keras: x = ops.ones((3, 3))
        var x = try Tensor.ones([3, 3])
        // keras: y = model(x)
        var y = try model(x)
        XCTAssertEqual(y.shape, [3, 4])
        // keras: model.layers
        XCTAssertEqual(model.layers.map(\.name), ["layer1", "layer2", "layer3"])

        // keras: model = keras.Sequential()
        model = try Sequential()
        // keras: model.add(layers.Dense(2, activation="relu"))
        try model.add(Dense(2, activation: "relu"))
        // keras: model.add(layers.Dense(3, activation="relu"))
        try model.add(Dense(3, activation: "relu"))
        // keras: model.add(layers.Dense(4))
        try model.add(Dense(4))
        // keras: model.pop()
        try model.pop()
        // keras: print(len(model.layers))  # 2
        print(model.layers.count)
        XCTAssertEqual(model.layers.count, 2)

        // keras: layer = layers.Dense(3)
        let layer = Dense(3)
        // keras: layer.weights  # Empty
        XCTAssertTrue(layer.weights.isEmpty)
        // keras: x = ops.ones((1, 4))
        x = try Tensor.ones([1, 4])
        // keras: y = layer(x)
        y = try layer(x)
        // keras: layer.weights  # Now it has weights, of shape (4, 3) and (3,)
        XCTAssertEqual(layer.weights.map(\.value.shape), [[4, 3], [3]])

        // keras: model = keras.Sequential()
        model = try Sequential()
        // keras: model.add(keras.Input(shape=(4,)))
        try model.add(Input(shape: [4]))
        // keras: model.add(layers.Dense(2, activation="relu"))
        try model.add(Dense(2, activation: "relu"))
        // keras: model.summary()
        model.summary()
        // keras: model.layers
        XCTAssertEqual(model.layers.count, 1, "the Input is not a layer of the model, as in Keras")

        // keras: model = keras.Sequential()
        model = try Sequential()
        // keras: model.add(layers.Dense(2, activation="relu", input_shape=(4,)))
        try model.add(Dense(2, activation: "relu", inputShape: [4]))
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(model.countParams(), 10)

        // keras: model = keras.Sequential()
        model = try Sequential()
        // keras: model.add(keras.Input(shape=(250, 250, 3)))  # 250x250 RGB images
        try model.add(Input(shape: [250, 250, 3]))
        // keras: model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
        try model.add(Conv2D(32, 5, strides: 2, activation: "relu"))
        // keras: model.add(layers.Conv2D(32, 3, activation="relu"))
        try model.add(Conv2D(32, 3, activation: "relu"))
        // keras: model.add(layers.MaxPooling2D(3))
        try model.add(MaxPooling2D(3))
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(try model.outputShape(forInput: [250, 250, 3]), [40, 40, 32], "the guide's summary: (None, 40, 40, 32)")
        // keras: model.add(layers.Conv2D(32, 3, activation="relu"))
        try model.add(Conv2D(32, 3, activation: "relu"))
        // keras: model.add(layers.Conv2D(32, 3, activation="relu"))
        try model.add(Conv2D(32, 3, activation: "relu"))
        // keras: model.add(layers.MaxPooling2D(3))
        try model.add(MaxPooling2D(3))
        // keras: model.add(layers.Conv2D(32, 3, activation="relu"))
        try model.add(Conv2D(32, 3, activation: "relu"))
        // keras: model.add(layers.Conv2D(32, 3, activation="relu"))
        try model.add(Conv2D(32, 3, activation: "relu"))
        // keras: model.add(layers.MaxPooling2D(2))
        try model.add(MaxPooling2D(2))
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(try model.outputShape(forInput: [250, 250, 3]), [4, 4, 32], "the guide's summary: (None, 4, 4, 32)")
        // keras: model.add(layers.GlobalMaxPooling2D())
        try model.add(GlobalMaxPooling2D())
        // keras: model.add(layers.Dense(10))
        try model.add(Dense(10))
        XCTAssertEqual(try model.outputShape(forInput: [250, 250, 3]), [10])
    }
}
