import Foundation
import XCTest
import Kestrel

/// What a Keras user expects of a model and of their own layers beyond the tutorials' lines: `model.metrics`
/// and `metrics_names` with the loss tracker first, `add_weight` in Keras's argument orders, a layer that holds
/// layers saved in Keras's layout, and `add_loss` terms of a sub-layer that a later call skipped. Keras numbers
/// from `scripts/tutorial_reference/nested_layers_keras.py` (Keras 3.15.1).
final class KerasHabitsTests: XCTestCase {
    // MARK: model.metrics / metrics_names

    func testMetricsStartWithTheLossTrackerOnceCompiledAsInKeras() throws {
        let model = try Sequential([Input(shape: [3]), Dense(2, activation: "softmax")])
        // Keras: [] before compile.
        XCTAssertEqual(model.metricsNames, [])
        try model.compile(optimizer: "adam", loss: "mse")
        // Keras: ['loss'] without metrics.
        XCTAssertEqual(model.metricsNames, ["loss"])
        XCTAssertTrue(model.metrics[0] === model.lossTracker)
        try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        // Keras 3 lists ['loss', 'compile_metrics'] (one container); Kestrel lists the compiled metrics one by
        // one, as the logs and evaluate name them.
        XCTAssertEqual(model.metricsNames, ["loss", "accuracy"])
        let x = try Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) / 12 })
        let y = Tensor([0, 1, 1, 0])
        try model.fit(x, y, epochs: 1, verbose: 0)
        XCTAssertEqual(model.metricsNames, ["loss", "accuracy"])
        let result = try model.evaluate(x, y, verbose: 0)
        XCTAssertEqual(result.names, model.metricsNames)
        // Each listed metric holds the value evaluate just logged (reset_metrics/result work through the list).
        for metric in model.metrics { XCTAssertEqual(metric.result(), result[metric.name]!, accuracy: 1e-9, metric.name) }
        model.resetMetrics()
        XCTAssertEqual(model.metrics.map { $0.result() }, [0, 0])
    }

    /// A loop over `metrics` as the customizing-fit guide writes it: the loss tracker takes one argument.
    func testOnlyAMeanTakesOneArgumentUpdateState() throws {
        let accuracy = SparseCategoricalAccuracy()
        XCTAssertThrowsError(try accuracy.updateState(Tensor([1]))) { error in
            XCTAssertTrue("\(error)".contains("Metric 'sparse_categorical_accuracy'") && "\(error)".contains("updateState(yTrue, yPred)"), "\(error)")
        }
        let mean: Metric = Mean(name: "loss")
        try mean.updateState(Tensor([1, 3]))
        XCTAssertEqual(mean.result(), 2)
    }

    // MARK: add_weight in Keras's orders

    final class Spellings: Layer {
        var made: [Variable] = []

        override func build(inputShape: [Int]) throws {
            // keras: self.add_weight(shape=(2, 3), initializer=keras.initializers.RandomNormal(), trainable=True, name="w")
            made.append(try addWeight(shape: [2, 3], initializer: .randomNormal(), trainable: true, name: "w"))
            // keras: self.add_weight(shape=(3,), initializer="ones", trainable=False, name="b")
            made.append(try addWeight(shape: [3], initializer: "ones", trainable: false, name: "b"))
            // keras: self.add_weight(initializer="zeros", shape=(3,), trainable=False)
            made.append(try addWeight(initializer: "zeros", shape: [3], trainable: false))
            // keras: self.add_weight(name="total", shape=(3,), initializer="zeros", trainable=False)
            made.append(try addWeight(name: "total", shape: [3], initializer: "zeros", trainable: false))
            // keras: self.add_weight(shape=(), initializer="zeros", dtype="float32", trainable=False)
            made.append(try addWeight(shape: [], initializer: .zeros, dtype: "float32", trainable: false))
            // keras: self.add_weight(initializer=keras.initializers.Constant(2.0), shape=(1,), name="c")
            made.append(try addWeight(initializer: .constant(2), shape: [1], name: "c"))
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs }
    }

    func testAddWeightTakesKerasArgumentOrders() throws {
        let layer = Spellings()
        _ = try layer(Tensor.ones([1, 2]))
        XCTAssertEqual(layer.made.map(\.name), ["w", "b", "variable_2", "total", "variable_4", "c"])
        XCTAssertEqual(layer.made.map(\.shape), [[2, 3], [3], [3], [3], [], [1]])
        XCTAssertEqual(layer.made.map(\.trainable), [true, false, false, false, false, true])
        XCTAssertEqual(layer.made[1].value.scalars, [1, 1, 1])
        XCTAssertEqual(layer.made[5].value.scalars, [2])
        XCTAssertEqual(layer.trainableWeights.count, 2)
        let other = Layer()
        XCTAssertThrowsError(try other.addWeight(shape: [], initializer: "zeros", dtype: "int32", trainable: false, name: "count")) { error in
            XCTAssertTrue("\(error)".contains("addWeight(dtype:) 'int32' for weight 'count'") && "\(error)".contains("float32"), "\(error)")
        }
    }

    // MARK: callbacks as the tutorials pass their arguments

    func testCallbackArgumentsAsTheTutorialsPassThem() throws {
        // keras: ModelCheckpoint(filepath=checkpoint_path, verbose=1, save_weights_only=True, save_freq=5*n_batches)
        let checkpoint = try ModelCheckpoint(filepath: "cp-{epoch:04d}.weights.h5", verbose: 1, saveWeightsOnly: true, saveFreq: 5 * 2)
        XCTAssertEqual(checkpoint.saveFreq, .batches(10))
        XCTAssertEqual(try ModelCheckpoint(filepath: "m.keras", saveFreq: "epoch").saveFreq, .epoch)
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "m.keras", saveFreq: "batch")) { error in
            XCTAssertTrue("\(error)".contains("saveFreq must be \"epoch\" or a number of batches"), "\(error)")
        }
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "m.keras", saveFreq: 0))
        // keras: tf.keras.callbacks.TensorBoard(logdir/name)
        XCTAssertEqual(try TensorBoard("logs/sizes/Tiny").logDir, "logs/sizes/Tiny")
    }

    // MARK: add_loss of a skipped sub-layer

    final class ActivityRegularizationLayer: Layer {
        let rate: Float
        init(rate: Float = 1e-2) {
            self.rate = rate
            super.init()
        }
        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try addLoss(rate * inputs.mean())
            return inputs
        }
    }

    final class TrainingOnlyPenalty: Layer {
        let reg = ActivityRegularizationLayer(rate: 0.5)
        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            var inputs = inputs
            if training { inputs = try reg(inputs) }
            return inputs
        }
    }

    func testASkippedSubLayerKeepsNoStaleLossAsInKeras() throws {
        let model = try Sequential([Input(shape: [2]), Dense(1), TrainingOnlyPenalty()])
        try model.layers[0].setWeights([Tensor(shape: [2, 1], scalars: [1, 2]), Tensor([0.5])])
        try model.compile(optimizer: "sgd", loss: "mse")
        let x = try Tensor(shape: [4, 2], scalars: [1, 2, 3, -1, 0.5, 0.5, -1, 1])
        let y = try Tensor(shape: [4, 1], scalars: [1, 0, 2, -1])
        _ = try model(x, training: true)
        // Keras: [1.3125] (0.5 × the mean of the Dense outputs 5.5, 1.5, 2, 1.5).
        XCTAssertEqual(try model.losses.map { $0.scalars[0] }, [1.3125])
        // Keras: 7.1875, the mse alone: evaluate's calls skip the penalty, and each outer call clears it.
        XCTAssertEqual(try model.evaluate(x, y, batchSize: 4, verbose: 0)[0], 7.1875, accuracy: 1e-6)
        _ = try model(x, training: false)
        // Keras: [] after an inference call.
        XCTAssertEqual(try model.losses.count, 0)
    }

    // MARK: a layer holding layers, through .keras

    final class Linear: Layer, KerasSerializable, @unchecked Sendable {
        let units: Int
        var w: Variable!
        var b: Variable!

        init(units: Int = 32, name: String? = nil) {
            self.units = units
            super.init(name: name)
        }

        convenience init(config reader: KerasConfigReader) throws {
            self.init(units: try reader.int("units"), name: try reader.layerName())
        }

        override var config: LayerConfig { super.config.merging(["units": .int(units)]) { $1 } }

        override func build(inputShape: [Int]) throws {
            w = try addWeight(shape: [inputShape.last!, units], initializer: "random_normal", trainable: true)
            b = try addWeight(shape: [units], initializer: "zeros", trainable: true)
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try inputs.matmul(w.tensor) + b.tensor
        }
    }

    final class Block: Layer, KerasSerializable, @unchecked Sendable {
        let linear_1 = Linear(units: 3)
        let linear_2 = Linear(units: 1)
        var scale: Variable!

        override init(name: String? = nil) { super.init(name: name) }

        convenience init(config reader: KerasConfigReader) throws {
            self.init(name: try reader.layerName())
        }

        override func build(inputShape: [Int]) throws {
            scale = try addWeight(shape: [1], initializer: "ones", trainable: true, name: "scale")
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try linear_2(linear_1(inputs).relu()) * scale.tensor
        }
    }

    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras/custom")
    private static let x: Tensor = try! Tensor(shape: [4, 2], scalars: [1, 2, 3, -1, 0.5, 0.5, -1, 1])
    /// Keras's predictions of nested_block.keras on `x`.
    private static let kerasPredictions: [Float] = [0.5200001001358032, 2.5450000762939453, 0.5199999809265137, -0.9799998998641968]

    private func registerTwins() throws {
        for (type, name) in [(Linear.self as KerasLayer.Type, "Linear"), (Block.self, "Block")]
        where KerasLayerRegistry.registeredName(of: type) == nil {
            try KerasLayerRegistry.register(type, package: "Tutorial", name: name)
        }
    }

    func testALayerHoldingLayersLoadsFromKerasAndPredictsAsKeras() throws {
        try registerTwins()
        let model = try loadModel(Self.fixtures.appendingPathComponent("nested_block.keras").path)
        let block = try XCTUnwrap(model.layers.first as? Block)
        XCTAssertEqual(block.scale.value.scalars, [1.5])
        XCTAssertEqual(block.linear_1.b.value.scalars, [0.01, 0.02, 0.03])
        XCTAssertEqual(block.linear_2.w.value.scalars, [1, -1, 0.5])
        for (kestrel, keras) in zip(try model.predict(Self.x, verbose: 0).scalars, Self.kerasPredictions) {
            XCTAssertEqual(kestrel, keras, accuracy: 1e-6)
        }
    }

    func testALayerHoldingLayersRoundTripsInKerasLayout() throws {
        try registerTwins()
        let model = try Sequential([Input(shape: [2]), Block(name: "block"), Dense(1, name: "dense")])
        let block = try XCTUnwrap(model.layers.first as? Block)
        try block.scale.assign(Tensor([1.5]))
        try block.linear_1.setWeights([Tensor(shape: [2, 3], scalars: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), Tensor([0.01, 0.02, 0.03])])
        try block.linear_2.setWeights([Tensor(shape: [3, 1], scalars: [1, -1, 0.5]), Tensor([0.25])])
        try model.layers[1].setWeights([Tensor(shape: [1, 1], scalars: [2]), Tensor([-0.5])])
        for (kestrel, keras) in zip(try model.predict(Self.x, verbose: 0).scalars, Self.kerasPredictions) {
            XCTAssertEqual(kestrel, keras, accuracy: 1e-6)
        }
        let folder = try TutorialData.temporaryFolder("nested-save")
        try model.save("\(folder)/nested.keras")
        let loaded = try loadModel("\(folder)/nested.keras")
        XCTAssertEqual(try loaded.predict(Self.x, verbose: 0).scalars, try model.predict(Self.x, verbose: 0).scalars)
        // The weights file alone, into a fresh model (the sub-layers under their property names, as Keras writes
        // and as the Keras-saved file above is read).
        try model.saveWeights("\(folder)/nested.weights.h5")
        let fresh = try Sequential([Input(shape: [2]), Block(name: "block"), Dense(1, name: "dense")])
        try fresh.loadWeights("\(folder)/nested.weights.h5")
        XCTAssertEqual(try fresh.predict(Self.x, verbose: 0).scalars, try model.predict(Self.x, verbose: 0).scalars)
        // Keras's legacy HDF5 model file too.
        try model.save("\(folder)/nested.h5")
        XCTAssertEqual(try loadModel("\(folder)/nested.h5").predict(Self.x, verbose: 0).scalars, try model.predict(Self.x, verbose: 0).scalars)
    }
}
