import XCTest
import Kestrel

/// keras-io guides/transfer_learning.py ("Transfer learning & fine-tuning"): the `trainable` attribute
/// examples and the typical freeze → train → unfreeze → fine-tune workflow, line by line. The pretrained
/// Xception base is replaced by a small base model trained here first (no downloads in tests).
/// Lines that needed more than Swift spelling: 1 (`layer.build((None, 4))` takes the shape without
/// the batch axis: `build(inputShape: [4])`).
final class TransferLearningGuide: XCTestCase {
    func testGuide() throws {
        // keras: layer = keras.layers.Dense(3)
        var layer: Layer = Dense(3)
        // keras: layer.build((None, 4))  # Create the weights
        // beyond spelling: the shape leaves out the batch axis (Keras's None)
        try layer.build(inputShape: [4]) // Create the weights
        // keras: print("weights:", len(layer.weights))
        print("weights:", layer.weights.count)
        // keras: print("trainable_weights:", len(layer.trainable_weights))
        print("trainable_weights:", layer.trainableWeights.count)
        // keras: print("non_trainable_weights:", len(layer.non_trainable_weights))
        print("non_trainable_weights:", layer.nonTrainableWeights.count)
        XCTAssertEqual([layer.weights.count, layer.trainableWeights.count, layer.nonTrainableWeights.count], [2, 2, 0])

        // keras: layer = keras.layers.BatchNormalization()
        layer = BatchNormalization()
        // keras: layer.build((None, 4))  # Create the weights
        try layer.build(inputShape: [4]) // Create the weights
        XCTAssertEqual([layer.weights.count, layer.trainableWeights.count, layer.nonTrainableWeights.count], [4, 2, 2])

        // keras: layer = keras.layers.Dense(3)
        layer = Dense(3)
        // keras: layer.build((None, 4))  # Create the weights
        try layer.build(inputShape: [4]) // Create the weights
        // keras: layer.trainable = False  # Freeze the layer
        layer.trainable = false // Freeze the layer
        XCTAssertEqual([layer.weights.count, layer.trainableWeights.count, layer.nonTrainableWeights.count], [2, 0, 2])

        // keras: layer1 = keras.layers.Dense(3, activation="relu")
        let layer1 = Dense(3, activation: "relu")
        // keras: layer2 = keras.layers.Dense(3, activation="sigmoid")
        let layer2 = Dense(3, activation: "sigmoid")
        // keras: model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
        var model: Model = try Sequential([Input(shape: [3]), layer1, layer2])
        // keras: layer1.trainable = False
        layer1.trainable = false
        // keras: initial_layer1_weights_values = layer1.get_weights()
        let initialLayer1WeightsValues = layer1.getWeights()
        // keras: model.compile(optimizer="adam", loss="mse")
        try model.compile(optimizer: "adam", loss: "mse")
        // keras: model.fit(np.random.random((2, 3)), np.random.random((2, 3)))
        try model.fit(try Tensor.randomUniform([2, 3]), try Tensor.randomUniform([2, 3]), verbose: 0)
        // keras: final_layer1_weights_values = layer1.get_weights()
        let finalLayer1WeightsValues = layer1.getWeights()
        // keras: np.testing.assert_allclose(initial_layer1_weights_values[0], final_layer1_weights_values[0])
        XCTAssertEqual(initialLayer1WeightsValues[0].scalars, finalLayer1WeightsValues[0].scalars)

        // keras: inner_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(3, activation="relu")])
        let innerModel = try Sequential([Input(shape: [3]), Dense(3, activation: "relu"), Dense(3, activation: "relu")])
        // keras: model = keras.Sequential([keras.Input(shape=(3,)), inner_model, keras.layers.Dense(3, activation="sigmoid")])
        model = try Sequential([Input(shape: [3]), innerModel, Dense(3, activation: "sigmoid")])
        // keras: model.trainable = False  # Freeze the outer model
        model.trainable = false // Freeze the outer model
        // keras: assert inner_model.trainable == False  # All layers in `model` are now frozen
        XCTAssertFalse(innerModel.trainable)
        // keras: assert inner_model.layers[0].trainable == False  # `trainable` is propagated recursively
        XCTAssertFalse(innerModel.layers[0].trainable)

        // The pretrained base: a small convolutional model trained on 4 classes first.
        let (images, labels) = try TutorialData.images(count: 160, shape: [16, 16, 3], classes: 4, seed: 5)
        let pretrained = try Sequential {
            Input(shape: [16, 16, 3])
            Rescaling(1.0 / 255)
            Conv2D(8, 3, activation: "relu", name: "base_conv")
            GlobalAveragePooling2D(name: "base_pool")
            Dense(4)
        }
        try pretrained.compile(optimizer: "adam", loss: SparseCategoricalCrossentropy(fromLogits: true))
        try pretrained.fit(images, labels, epochs: 3, verbose: 0)
        try pretrained.pop()
        try pretrained.pop()
        // keras: base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
        let baseModel = pretrained
        // keras: base_model.trainable = False
        baseModel.trainable = false
        // keras: inputs = keras.Input(shape=(150, 150, 3))
        let inputs = Input(shape: [16, 16, 3])
        // keras: x = base_model(inputs, training=False)
        var x = try baseModel(inputs, training: false)
        // keras: x = keras.layers.GlobalAveragePooling2D()(x)
        x = try GlobalAveragePooling2D()(x)
        // keras: outputs = keras.layers.Dense(1)(x)
        let outputs = try Dense(1)(x)
        // keras: model = keras.Model(inputs, outputs)
        model = try Model(inputs, outputs)
        // keras: model.compile(optimizer=keras.optimizers.Adam(),
        // keras:               loss=keras.losses.BinaryCrossentropy(from_logits=True),
        // keras:               metrics=[keras.metrics.BinaryAccuracy()])
        try model.compile(optimizer: Adam(),
                          loss: BinaryCrossentropy(fromLogits: true),
                          metrics: [BinaryAccuracy()])
        let binaryLabels = try Tensor(shape: [160, 1], scalars: labels.scalars.map { $0 < 2 ? 0 : 1 })
        let frozenBefore = baseModel.getWeights()
        // keras: model.fit(new_dataset, epochs=20, callbacks=..., validation_data=...)
        try model.fit(images, binaryLabels, epochs: 2, verbose: 0)
        XCTAssertEqual(baseModel.getWeights().map(\.scalars), frozenBefore.map(\.scalars), "the frozen base does not change")

        // keras: base_model.trainable = True
        baseModel.trainable = true
        // keras: model.compile(optimizer=keras.optimizers.Adam(1e-5),  # Very low learning rate
        // keras:               loss=keras.losses.BinaryCrossentropy(from_logits=True),
        // keras:               metrics=[keras.metrics.BinaryAccuracy()])
        try model.compile(optimizer: Adam(1e-5), // Very low learning rate
                          loss: BinaryCrossentropy(fromLogits: true),
                          metrics: [BinaryAccuracy()])
        XCTAssertEqual(model.optimizer?.learningRate, 1e-5)
        // keras: model.fit(new_dataset, epochs=10, callbacks=..., validation_data=...)
        try model.fit(images, binaryLabels, epochs: 1, verbose: 0)
        XCTAssertNotEqual(baseModel.getWeights().map(\.scalars), frozenBefore.map(\.scalars), "fine-tuning changes the base")
    }
}
