import XCTest
@testable import Kestrel

/// Issue 25, points 1–6 and 12: the lines a Keras user types first compile as typed and behave as in Keras.
/// Each test would fail to compile, or fail, without the spelling it names.
final class KerasSpellingTests: XCTestCase {
    private func classifier() throws -> Sequential {
        try Sequential { Input(shape: [4]); Dense(3, activation: "softmax") }
    }

    // MARK: 1. compile mixes objects, shorthands and strings

    func testCompileAcceptsEveryMixOfObjectShorthandAndString() throws {
        let model = try classifier()
        try model.compile(optimizer: Adam(learningRate: 0.0005), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        XCTAssertEqual(model.optimizer?.learningRate, 0.0005)
        XCTAssertTrue(model.loss is SparseCategoricalCrossentropy)
        try model.compile(optimizer: "adam", loss: SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"])
        XCTAssertTrue(model.optimizer is Adam)
        XCTAssertEqual((model.loss as? SparseCategoricalCrossentropy)?.fromLogits, true)
        // What `kestrel doctor` prints.
        try model.compile(optimizer: .adam(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        try model.compile(optimizer: .sgd(learningRate: 0.1), loss: .sparseCategoricalCrossentropy(fromLogits: false),
                          metrics: ["accuracy", .accuracy, SparseCategoricalAccuracy()])
        XCTAssertEqual(model.optimizer?.learningRate, 0.1)
        XCTAssertEqual(model.compiledMetrics.map(\.name), ["accuracy", "accuracy", "sparse_categorical_accuracy"])
        try model.compile(optimizer: "rmsprop", loss: "sparse_categorical_crossentropy")
        XCTAssertTrue(model.optimizer is RMSprop)
        XCTAssertTrue(model.compiledMetrics.isEmpty)
    }

    func testUnknownStringsNameTheArgument() throws {
        let model = try classifier()
        XCTAssertThrowsError(try model.compile(optimizer: "adamm", loss: "mse")) { error in
            XCTAssertTrue("\(error)".hasPrefix("compile(optimizer:): Unknown optimizer 'adamm'"), "\(error)")
        }
        XCTAssertThrowsError(try model.compile(optimizer: .adam(), loss: "sparse_crossentropy")) { error in
            XCTAssertTrue("\(error)".hasPrefix("compile(loss:): Unknown loss 'sparse_crossentropy'"), "\(error)")
        }
        XCTAssertThrowsError(try model.compile(optimizer: "adam", loss: "mse", metrics: ["accuracy", "acuracy"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("compile(metrics:): Unknown metric 'acuracy'"), "\(error)")
        }
    }

    // MARK: 2. inputShape: on the first layer

    func testInputShapeOnTheFirstLayerDeclaresTheInputAsKeras() throws {
        let legacy = try Sequential(name: "legacy") {
            Dense(8, activation: "relu", inputShape: [5], name: "hidden")
            Dense(2, activation: "softmax", name: "out")
        }
        let modern = try Sequential(name: "legacy") {
            Input(shape: [5])
            Dense(8, activation: "relu", name: "hidden")
            Dense(2, activation: "softmax", name: "out")
        }
        XCTAssertTrue(legacy.isBuilt, "the model builds at once, as with Input first")
        XCTAssertEqual(legacy.declaredInputShape, [5])
        XCTAssertEqual(legacy.layers.map(\.name), ["hidden", "out"], "Keras's model.layers leaves the InputLayer out")
        XCTAssertEqual(legacy.summaryText(), modern.summaryText())
        let json = try legacy.toJSON()
        XCTAssertTrue(json.contains("\"InputLayer\""), json)
        XCTAssertEqual(legacy.countParams(), 8 * 5 + 8 + 2 * 8 + 2)
        let images = try Sequential {
            Conv2D(4, (3, 3), activation: "relu", inputShape: [8, 8, 1])
            MaxPooling2D((2, 2))
            Flatten()
            Dense(3)
        }
        XCTAssertEqual(images.declaredInputShape, [8, 8, 1])
        XCTAssertEqual(try images.outputShape(forInput: [8, 8, 1]), [3])
        XCTAssertEqual(try Sequential { Flatten(inputShape: [28, 28]); Dense(10) }.declaredInputShape, [28, 28])
        XCTAssertEqual(try Sequential { Dense(4, inputDim: 784) }.declaredInputShape, [784])
        XCTAssertEqual(try Sequential { RandomFlip("horizontal", inputShape: [6, 6, 3]); Flatten() }.declaredInputShape, [6, 6, 3])
        // The reshaping layers Keras users put first take it too; the output shape follows from the declared input.
        let padded = try Sequential { ZeroPadding2D(padding: 1, inputShape: [4, 4, 2]); Flatten() }
        XCTAssertEqual(padded.declaredInputShape, [4, 4, 2])
        XCTAssertEqual(try padded.outputShape(forInput: [4, 4, 2]), [6 * 6 * 2])
        let cropped = try Sequential { Cropping2D(cropping: (1, 2), inputShape: [6, 8, 1]); Flatten() }
        XCTAssertEqual(try cropped.outputShape(forInput: [6, 8, 1]), [4 * 4])
        let upsampled = try Sequential { UpSampling2D(size: 3, inputShape: [2, 2, 1]); Flatten() }
        XCTAssertEqual(upsampled.declaredInputShape, [2, 2, 1])
        XCTAssertEqual(try upsampled.outputShape(forInput: [2, 2, 1]), [36])
        XCTAssertThrowsError(try Sequential { RandomFlip("sideways", inputShape: [6, 6, 3]) }) { error in
            XCTAssertTrue("\(error)".contains("mode must be"), "\(error)")
        }
    }

    func testInputShapeOnALaterLayerIsIgnoredAsInKeras() throws {
        let model = try Sequential { Input(shape: [3]); Dense(2, inputShape: [99]) }
        XCTAssertEqual(model.declaredInputShape, [3])
        XCTAssertThrowsError(try Sequential { Dense(2, inputShape: [0]) }) { error in
            XCTAssertTrue("\(error)".contains("shape"), "\(error)")
        }
    }

    // MARK: 3. fit(dataset, validationData: (x, y))

    func testFitOnADatasetValidatesOnArrays() throws {
        let x = try Tensor(shape: [12, 2], scalars: (0..<24).map { Float($0 % 5) / 5 })
        let y = Tensor((0..<12).map { Float($0 % 2) })
        let model = try Sequential { Input(shape: [2]); Dense(2, activation: "softmax") }
        try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        let dataset = try Dataset(x: x.scalars, xShape: [12, 2], y: y.scalars, yShape: [12]).batch(4)
        let history = try model.fit(dataset, epochs: 2, verbose: 0, validationData: (x, y))
        XCTAssertEqual(history["val_loss"]?.count, 2)
        // The validation loss is the loss on those arrays after the epoch: evaluate gives the same number.
        let score = try model.evaluate(x, y, verbose: 0) as EvaluationResult
        XCTAssertEqual(history["val_loss"]?.last ?? .nan, score[0], accuracy: 1e-5)
        XCTAssertEqual(history["val_accuracy"]?.last ?? .nan, score[1], accuracy: 1e-9)
    }

    /// `stepsPerEpoch` equal to the batches of a finite dataset: each epoch starts a new pass (it threw
    /// "the training data yielded no batch" in the second epoch).
    func testStepsPerEpochEqualToTheBatchesOfAPassRunsEveryEpoch() throws {
        let x = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0) / 16 })
        let model = try Sequential { Input(shape: [2]); Dense(2, activation: "softmax") }
        try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy")
        let dataset = try Dataset(x: x.scalars, xShape: [8, 2], y: (0..<8).map { Float($0 % 2) }, yShape: [8]).batch(4)
        let history = try model.fit(dataset, epochs: 3, verbose: 0, stepsPerEpoch: 2)
        XCTAssertEqual(history["loss"]?.count, 3)
    }

    // MARK: 4. NumPy-style indexing

    func testTensorIndexingFollowsNumPy() throws {
        let x = try Tensor(shape: [6, 2], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(try x[0].scalars, [0, 1])
        XCTAssertEqual(try x[0].shape, [2])
        XCTAssertEqual(try x[-1].scalars, [10, 11])
        XCTAssertEqual(try x[0..<2].scalars, [0, 1, 2, 3])
        XCTAssertEqual(try x[..<1].shape, [1, 2])
        XCTAssertEqual(try x[-2...].scalars, [8, 9, 10, 11])
        XCTAssertEqual(try x[4...].shape, [2, 2])
        XCTAssertEqual(try x[...1].shape, [2, 2])
        XCTAssertEqual(try x[1...2].scalars, [2, 3, 4, 5])
        XCTAssertEqual(try x[..<(-1)].shape, [5, 2], "x[:-1]")
        XCTAssertEqual(try x[-10000...].shape, [6, 2], "clipped as NumPy clips slices")
        XCTAssertEqual(try x[..<100000].shape, [6, 2])
        XCTAssertEqual(try x[5..<100].shape, [1, 2])
        XCTAssertEqual(try x[7...].shape, [0, 2])
        XCTAssertEqual(try x[1][-1].shape, [], "a 1-D tensor's element is a rank-0 tensor")
        XCTAssertEqual(try x[1][-1].scalar, 3)
        XCTAssertThrowsError(try x[6]) { XCTAssertTrue("\($0)".contains("index 6 is out of bounds for axis 0 with size 6"), "\($0)") }
        XCTAssertThrowsError(try x[-7])
        XCTAssertThrowsError(try Tensor(scalar: 1)[0])
    }

    func testExpandDimsAndArgmaxAsNumPy() throws {
        let image = try Tensor(shape: [2, 3, 1], scalars: (0..<6).map(Float.init))
        XCTAssertEqual(try expandDims(image, axis: 0).shape, [1, 2, 3, 1])
        XCTAssertEqual(try expandDims(image, axis: -1).shape, [2, 3, 1, 1])
        XCTAssertEqual(try image.expandingDims(axis: 1).shape, [2, 1, 3, 1])
        XCTAssertThrowsError(try expandDims(image, axis: 5))
        let predictions = try Tensor([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.3, 0.3, 0.4]])
        let first: Int = try argmax(predictions[0])
        XCTAssertEqual(first, 1)
        XCTAssertEqual(try argmax(predictions, axis: 1), [1, 0, 2])
        XCTAssertEqual(try argmax(predictions, axis: 0), [1, 0, 2])
        XCTAssertEqual(try argmax(predictions), 1, "flattened, as np.argmax without an axis")
        XCTAssertEqual(try argmax(Tensor([3, 9, 9])), 1, "ties give the first position")
    }

    func testEvaluateResultIndexesAsAListAndDestructures() throws {
        let model = try classifier()
        try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        let x = try Tensor(shape: [4, 4], scalars: (0..<16).map { Float($0) / 16 })
        let y = Tensor([0, 1, 2, 1])
        let score: EvaluationResult = try model.evaluate(x, y, verbose: 0)
        XCTAssertEqual(score[0], score.loss)
        XCTAssertEqual(score[1], score["accuracy"])
        XCTAssertEqual(score[-1], score[1])
        XCTAssertEqual(score.count, 2)
        let (loss, accuracy) = try model.evaluate(x, y, verbose: 0)
        XCTAssertEqual(loss, score[0])
        XCTAssertEqual(accuracy, score[1])
    }

    // MARK: 5. Tuple sizes

    func testTupleAndPositionalSizesMakeTheSameLayers() throws {
        let tuple = Conv2D(8, (3, 5), strides: (2, 1), padding: .same, activation: "relu")
        XCTAssertEqual(tuple.kernelSize, WindowSize(3, 5))
        XCTAssertEqual(tuple.strides, WindowSize(2, 1))
        XCTAssertEqual(tuple.padding, .same)
        XCTAssertEqual(Conv2D(8, 3).kernelSize, WindowSize(3, 3))
        XCTAssertEqual(Conv2D(8, kernelSize: (1, 2)).kernelSize, WindowSize(1, 2))
        XCTAssertEqual(Conv2D(8, (3, 3), strides: 2).strides, WindowSize(2, 2))
        XCTAssertEqual(Conv2D(8, 3, strides: (1, 2)).strides, WindowSize(1, 2))
        // Keras's other common order: activation before padding.
        let swapped = Conv2D(8, (3, 3), activation: "relu", padding: .same)
        XCTAssertEqual(swapped.padding, .same)
        XCTAssertEqual(swapped.activation, .relu)
        XCTAssertEqual(MaxPooling2D((2, 2)).poolSize, WindowSize(2, 2))
        XCTAssertEqual(MaxPooling2D((3, 3), strides: (2, 2)).strides, WindowSize(2, 2))
        XCTAssertEqual(MaxPooling2D(poolSize: (2, 1)).strides, WindowSize(2, 1), "strides default to the pool size")
        XCTAssertEqual(AveragePooling2D(2).poolSize, WindowSize(2, 2))
        XCTAssertEqual(SeparableConv2D(4, (3, 3), strides: (2, 2)).strides, WindowSize(2, 2))
        XCTAssertEqual(DepthwiseConv2D((3, 3)).kernelSize, WindowSize(3, 3))
        // padding as Keras's string (any case, as Keras lowercases it) or the shorthand.
        XCTAssertEqual(Conv2D(8, 3, padding: "same").padding, .same)
        XCTAssertEqual(MaxPooling2D(2, padding: "SAME").padding, .same)
        XCTAssertEqual(SeparableConv2D(4, 3, padding: "valid").padding, .valid)
        XCTAssertEqual(Conv2D(8, (3, 3), activation: "relu", padding: "same").padding, .same)
        XCTAssertThrowsError(try Sequential { Input(shape: [8, 8, 1]); Conv2D(8, 3, padding: "full") }) { error in
            XCTAssertTrue("\(error)".contains("padding must be 'valid' or 'same', got 'full'"), "\(error)")
        }
    }

    // MARK: 6. Loss-named metrics

    /// Values from real Keras 3.15.1 (scripts/fixtures/loss_named_metrics.py).
    func testLossNamedMetricsMatchKeras() throws {
        let yTrue = try Tensor([[0, 1, 0], [0.2, 0.3, 0.5]])
        let yPred = try Tensor([[0.1, 0.7, 0.2], [0.25, 0.25, 0.5]])
        let expected: [(String, Double)] = [
            ("binary_crossentropy", 0.4171661138534546), ("categorical_crossentropy", 0.6981978416442871),
            ("kl_divergence", 0.1833699643611908), ("mape", 50000012.0), ("msle", 0.011990371160209179),
            ("poisson", 0.5660659074783325),
        ]
        for (name, value) in expected {
            let metric = try Metric.named(name)
            XCTAssertEqual(metric.name, name)
            try metric.updateState(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
            XCTAssertEqual(metric.result(), value, accuracy: abs(value) * 1e-5, name)
        }
        let sparse = try Metric.named("sparse_categorical_crossentropy")
        try sparse.updateState(yTrue: Tensor([1, 2]), yPred: yPred, sampleWeight: nil)
        XCTAssertEqual(sparse.result(), 0.5249110460281372, accuracy: 1e-6)
    }

    /// Keras 3.15.1 logs `metrics=["bce", "binary_crossentropy", "mse", "mae", "kl_divergence"]` under those
    /// strings, with `val_` twins.
    func testLossNamedMetricsLogUnderKerasKeys() throws {
        let model = try Sequential { Input(shape: [2]); Dense(1, activation: "sigmoid") }
        try model.compile(optimizer: "adam", loss: "binary_crossentropy",
                          metrics: ["accuracy", "binary_crossentropy", "bce", "mse", "mae", "kl_divergence"])
        let x = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0) / 16 })
        let y = try Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0 % 2) })
        let history = try model.fit(x, y, epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.25)
        XCTAssertEqual(history.keys, ["accuracy", "bce", "binary_crossentropy", "kl_divergence", "loss", "mae", "mse",
                                      "val_accuracy", "val_bce", "val_binary_crossentropy", "val_kl_divergence", "val_loss",
                                      "val_mae", "val_mse"])
        // With one full batch and no regularisation, the crossentropy metric is the loss of the same batch.
        XCTAssertEqual(history["val_binary_crossentropy"]?[0] ?? .nan, history["val_loss"]?[0] ?? 0, accuracy: 1e-5)
        XCTAssertEqual(history["val_bce"]?[0], history["val_binary_crossentropy"]?[0])
    }

    func testModelCheckpointInTheTutorialsOrders() throws {
        // TensorFlow save_and_load: ModelCheckpoint(filepath=…, save_weights_only=True, verbose=1)
        let weightsOnly = try ModelCheckpoint(filepath: "cp.weights.h5", saveWeightsOnly: true, verbose: 1)
        XCTAssertEqual([weightsOnly.saveWeightsOnly, weightsOnly.verbose == 1, weightsOnly.saveBestOnly], [true, true, false])
        // Keras docs: ModelCheckpoint(filepath=…, save_weights_only=True, monitor="val_accuracy", mode="max", save_best_only=True)
        let best = try ModelCheckpoint(filepath: "ckpt.weights.h5", saveWeightsOnly: true, monitor: "val_accuracy", mode: .max, saveBestOnly: true)
        XCTAssertEqual(best.monitor, "val_accuracy")
        XCTAssertEqual(best.mode, .max)
        XCTAssertTrue(best.saveBestOnly && best.saveWeightsOnly)
        // keras-io training guide: ModelCheckpoint(filepath=…, save_best_only=True, monitor="val_loss", verbose=1)
        let guide = try ModelCheckpoint(filepath: "mymodel_{epoch}.keras", saveBestOnly: true, monitor: "val_loss", verbose: 1)
        XCTAssertEqual([guide.saveBestOnly, guide.saveWeightsOnly, guide.verbose == 1], [true, false, true])
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "model.keras", saveWeightsOnly: true, verbose: 1), "the path check still applies")
    }

    /// Compiled, not run (it needs a folder of images): Keras's
    /// `flow_from_directory(train_dir, target_size=(150, 150), batch_size=20, class_mode="binary")`.
    private func flowFromDirectoryInKerasOrder(_ datagen: ImageDataGenerator, _ trainDir: String) throws -> Dataset {
        try datagen.flowFromDirectory(trainDir, targetSize: (150, 150), batchSize: 20, classMode: .binary)
    }

    func testAstypeAndSoftmaxAsKerasCodeCallsThem() throws {
        let x = Tensor([0, 255])
        XCTAssertEqual(try (x.astype("float32") / 255).scalars, [0, 1])
        XCTAssertThrowsError(try x.astype("int64")) { XCTAssertTrue("\($0)".contains("astype(\"int64\")"), "\($0)") }
        XCTAssertEqual(try softmax(Tensor([0, 0])).scalars, [0.5, 0.5])
    }

    // MARK: 12. Keras's argument orders that Swift accepts

    func testCommonlySwappedArgumentOrdersCompile() throws {
        let x = try Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0) / 16 })
        let y = Tensor((0..<8).map { Float($0 % 2) })
        let model = try Sequential { Input(shape: [2]); Dense(2, activation: "softmax") }
        try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        // Keras: fit(x, y, epochs=2, batch_size=4, validation_split=0.25, verbose=0)
        let history = try model.fit(x, y, epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0)
        XCTAssertEqual(history["val_loss"]?.count, 2)
        // Keras: fit(x, y, batch_size=4, epochs=2, validation_data=(x, y))
        XCTAssertEqual(try model.fit(x, y, batchSize: 4, epochs: 2, validationData: (x, y), verbose: 0)["val_loss"]?.count, 2)
        // Keras: fit(x, y, epochs=2, callbacks=[...], validation_split=0.25)
        let stopping = EarlyStopping(monitor: "val_loss", patience: 5)
        XCTAssertEqual(try model.fit(x, y, epochs: 2, callbacks: [stopping], validationSplit: 0.25, verbose: 0)["val_loss"]?.count, 2)
        // Keras: fit(dataset, steps_per_epoch=2, epochs=2, verbose=0)
        let dataset = try Dataset(x: x.scalars, xShape: [8, 2], y: y.scalars, yShape: [8]).batch(4)
        XCTAssertEqual(try model.fit(dataset, stepsPerEpoch: 2, epochs: 2, verbose: 0)["loss"]?.count, 2)
        // Keras: compile(loss=..., optimizer=...)
        try model.compile(loss: "sparse_categorical_crossentropy", optimizer: Adam(0.01))
        XCTAssertEqual(model.optimizer?.learningRate, 0.01)
    }
}
