import Foundation
import XCTest
@testable import Kestrel

/// Functional models and the layers they use against Keras 3
/// (`scripts/fixtures/make_keras_functional_fixtures.py` → Tests/Fixtures/keras/functional*.{json,txt}).
final class FunctionalKerasTests: XCTestCase {
    private func fixture() throws -> [String: Any] { try KerasFixture.load("functional.json") }

    private func summaryFixture(_ name: String) throws -> String {
        try String(contentsOf: KerasFixture.directory.appendingPathComponent("functional_summary_\(name).txt"), encoding: .utf8)
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5,
                             _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        for (index, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() {
            XCTAssertEqual(a, e, accuracy: tolerance, "\(message) element \(index)", file: file, line: line)
        }
    }

    func testMergeLayersMatchKeras() throws {
        let merge = try XCTUnwrap(try fixture()["merge"] as? [String: Any])
        let a = try KerasFixture.tensor(merge["a"]), b = try KerasFixture.tensor(merge["b"]), c = try KerasFixture.tensor(merge["c"])
        let cases: [(String, Merge, [Tensor])] = [
            ("add", Add(), [a, b, c]), ("subtract", Subtract(), [a, b]), ("multiply", Multiply(), [a, b, c]),
            ("average", Average(), [a, b, c]), ("maximum", Maximum(), [a, b, c]), ("minimum", Minimum(), [a, b, c]),
            ("concatenate_last", Concatenate(), [a, b]), ("concatenate_axis1", Concatenate(axis: 1), [a, c]),
        ]
        for (key, layer, inputs) in cases {
            assertClose(try layer(inputs), try KerasFixture.tensor(merge[key]), key)
        }
        XCTAssertEqual(Concatenate(axis: 1).config["axis"], .int(try XCTUnwrap(merge["concatenate_axis1_config"] as? Int)))
    }

    func testLayerNormalizationGlobalMaxPoolingAndIdentityMatchKeras() throws {
        let all = try fixture()
        let norm = try XCTUnwrap(all["layer_normalization"] as? [String: Any])
        let x = try KerasFixture.tensor(norm["x"])
        let layer = LayerNormalization()
        try layer.buildIfNeeded(inputShape: [3, 4])
        try layer.gamma?.assign(try KerasFixture.tensor(norm["gamma"]))
        try layer.beta?.assign(try KerasFixture.tensor(norm["beta"]))
        assertClose(try layer(x), try KerasFixture.tensor(norm["y"]), "LayerNormalization")
        let config = try XCTUnwrap(norm["config"] as? [String: Any])
        guard case .double(let epsilon) = layer.config["epsilon"] else { return XCTFail("epsilon missing from config") }
        XCTAssertEqual(Float(epsilon), Float(try XCTUnwrap(config["epsilon"] as? Double)))
        XCTAssertEqual(layer.config["axis"], .int(-1))

        let pooling = try XCTUnwrap(all["global_max_pooling_2d"] as? [String: Any])
        let images = try KerasFixture.tensor(pooling["x"])
        assertClose(try GlobalMaxPooling2D()(images), try KerasFixture.tensor(pooling["y"]), "GlobalMaxPooling2D")
        assertClose(try GlobalMaxPooling2D(keepDims: true)(images), try KerasFixture.tensor(pooling["y_keepdims"]), "keepdims")

        let identity = try XCTUnwrap(all["identity"] as? [String: Any])
        assertClose(try Identity()(x), try KerasFixture.tensor(identity["y"]), "Identity")
    }

    /// The branched model of the fixture: Dense trunk, two branches added, concatenated with the input.
    private func branchedModel() throws -> Model {
        let inputs = Input(shape: [6], name: "features")
        let trunk = try Dense(8, activation: .relu, name: "trunk")(inputs)
        let left = try Dense(8, activation: .relu, name: "left")(trunk)
        let right = try Dense(8, name: "right")(trunk)
        let added = try Add(name: "add")([left, right])
        let joined = try Concatenate(name: "concatenate")([added, inputs])
        let outputs = try Dense(3, activation: .softmax, name: "head")(joined)
        return try Model(inputs: inputs, outputs: outputs, name: "branched")
    }

    func testBranchedModelPredictionsParameterCountAndSummaryMatchKeras() throws {
        let branched = try XCTUnwrap(try fixture()["branched"] as? [String: Any])
        let model = try branchedModel()
        try model.setWeights(try XCTUnwrap(branched["weights"] as? [Any]).map(KerasFixture.tensor))
        assertClose(try model.predict(try KerasFixture.tensor(branched["x"])), try KerasFixture.tensor(branched["y"]), "branched")
        XCTAssertEqual(model.countParams(), branched["count_params"] as? Int)
        XCTAssertEqual(model.layers.map(\.name), branched["layers"] as? [String])
        XCTAssertEqual(model.summaryText(), try summaryFixture("branched"))
    }

    func testTwoInputTwoOutputModelWithSharedLayerMatchesKeras() throws {
        let multi = try XCTUnwrap(try fixture()["multi"] as? [String: Any])
        let image = Input(shape: [5], name: "image")
        let meta = Input(shape: [3], name: "meta")
        let shared = try Dense(4, activation: .tanh, name: "shared")
        let joined = try Concatenate(name: "joined")([try shared(image), try shared(try Dense(5, name: "meta_proj")(meta))])
        let kind = try Dense(2, activation: .softmax, name: "kind")(joined)
        let score = try Dense(1, name: "score")(joined)
        let model = try Model(inputs: [image, meta], outputs: [kind, score], name: "multi")
        XCTAssertEqual(model.layers.map(\.name), multi["layers"] as? [String])
        XCTAssertEqual(model.countParams(), multi["count_params"] as? Int)
        XCTAssertEqual(model.weights.count, 8, "the shared Dense's kernel and bias count once")
        XCTAssertEqual(model.summaryText(), try summaryFixture("multi"))
        // Keras's get_weights() follows model.layers: meta_proj, shared, kind, score.
        try model.setWeights(try XCTUnwrap(multi["weights"] as? [Any]).map(KerasFixture.tensor))
        let outputs = try model(["image": try KerasFixture.tensor(multi["image"]), "meta": try KerasFixture.tensor(multi["meta"])])
        assertClose(try XCTUnwrap(outputs["kind"]), try KerasFixture.tensor(multi["kind"]), "kind")
        assertClose(try XCTUnwrap(outputs["score"]), try KerasFixture.tensor(multi["score"]), "score")
        let listed = try model.predict([try KerasFixture.tensor(multi["image"]), try KerasFixture.tensor(multi["meta"])])
        assertClose(listed[1], try KerasFixture.tensor(multi["score"]), "predict score")
    }

    /// The fixture's transfer model: a base (Dense, BatchNormalization, Dense) frozen under a new head.
    private func transferModel() throws -> (model: Model, base: Model) {
        let baseInputs = Input(shape: [6], name: "base_input")
        var hidden = try Dense(8, activation: .relu, name: "base_dense")(baseInputs)
        hidden = try BatchNormalization(name: "base_bn")(hidden)
        let base = try Model(inputs: baseInputs, outputs: try Dense(5, activation: .relu, name: "base_top")(hidden), name: "base")
        base.trainable = false
        let inputs = Input(shape: [6], name: "new_input")
        let features = try base(inputs, training: false)
        let outputs = try Dense(3, activation: .softmax, name: "new_head")(features)
        return (try Model(inputs: inputs, outputs: outputs, name: "transfer"), base)
    }

    func testOneTrainingStepWithFrozenBaseMatchesKerasAndLeavesFrozenWeightsBitIdentical() throws {
        let transfer = try XCTUnwrap(try fixture()["transfer"] as? [String: Any])
        let (model, base) = try transferModel()
        let before = try XCTUnwrap(transfer["weights_before"] as? [Any]).map(KerasFixture.tensor)
        try model.setWeights(before)
        XCTAssertEqual(model.summaryText(), try summaryFixture("transfer"))
        XCTAssertEqual(model.trainableWeights.reduce(0) { $0 + $1.value.count }, transfer["trainable_params"] as? Int)
        XCTAssertEqual(model.nonTrainableWeights.reduce(0) { $0 + $1.value.count }, transfer["non_trainable_params"] as? Int)
        let frozenBefore = base.weights.map(\.value.scalars)

        try model.compile(optimizer: .sgd(learningRate: 0.1), loss: .sparseCategoricalCrossentropy)
        let x = try KerasFixture.tensor(transfer["x"])
        let y = Tensor(try XCTUnwrap(KerasFixture.floats(transfer["y"])))
        let history = try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
        XCTAssertEqual(try XCTUnwrap(history.history["loss"]?.first), try XCTUnwrap(transfer["loss"] as? Double), accuracy: 1e-5)
        let after = try XCTUnwrap(transfer["weights_after"] as? [Any]).map(KerasFixture.tensor)
        for (index, (variable, expected)) in zip(model.weights, after).enumerated() {
            assertClose(variable.value, expected, "weight \(index) (\(variable.name)) after one SGD step")
        }
        XCTAssertEqual(base.weights.map(\.value.scalars), frozenBefore, "frozen weights must be bit-identical after the step")
        assertClose(try model.predict(x), try KerasFixture.tensor(transfer["prediction_after"]), "prediction after the step")
    }

    func testZeroPaddingCroppingAndUpSamplingMatchKeras() throws {
        let reshaping = try XCTUnwrap(try fixture()["reshaping"] as? [String: Any])
        let x = try KerasFixture.tensor(reshaping["x"])
        assertClose(try ZeroPadding2D(padding: ((1, 2), (0, 1)))(x), try KerasFixture.tensor(reshaping["zero_padding"]), "ZeroPadding2D")
        assertClose(try Cropping2D(cropping: ((1, 0), (1, 2)))(x), try KerasFixture.tensor(reshaping["cropping"]), "Cropping2D")
        assertClose(try UpSampling2D(size: (2, 3))(x), try KerasFixture.tensor(reshaping["up_sampling"]), "UpSampling2D")
    }

    func testTwoOutputFitWithLossPerOutputAndLossWeightsMatchesKerasHistoryAndWeights() throws {
        let all = try fixture()
        let multi = try XCTUnwrap(all["multi"] as? [String: Any]), step = try XCTUnwrap(all["multi_fit"] as? [String: Any])
        let image = Input(shape: [5], name: "image")
        let meta = Input(shape: [3], name: "meta")
        let shared = try Dense(4, activation: .tanh, name: "shared")
        let joined = try Concatenate(name: "joined")([try shared(image), try shared(try Dense(5, name: "meta_proj")(meta))])
        let model = try Model(inputs: [image, meta], outputs: [try Dense(2, activation: .softmax, name: "kind")(joined),
                                                              try Dense(1, name: "score")(joined)], name: "multi")
        try model.setWeights(try XCTUnwrap(multi["weights"] as? [Any]).map(KerasFixture.tensor))
        try model.compile(optimizer: .sgd(learningRate: 0.1),
                          loss: ["kind": .sparseCategoricalCrossentropy, "score": .meanSquaredError],
                          lossWeights: ["kind": 1, "score": 0.5], metrics: ["kind": [.accuracy]])
        let x = ["image": try KerasFixture.tensor(multi["image"]), "meta": try KerasFixture.tensor(multi["meta"])]
        let y = ["kind": Tensor(try XCTUnwrap(KerasFixture.floats(step["kind"]))), "score": try KerasFixture.tensor(step["score"])]
        let inputs = try model.orderedInputs(x, context: "test"), targets = try model.orderedTargets(y, context: "test")
        let history = try model.fit(inputs, targets, epochs: 1, batchSize: 3, verbose: .silent,
                                    validationData: (inputs, targets), shuffle: false)
        let expected = try XCTUnwrap(step["history"] as? [String: Double])
        XCTAssertEqual(history.keys, expected.keys.sorted())
        for (key, value) in expected {
            XCTAssertEqual(try XCTUnwrap(history[key]?.first), value, accuracy: 1e-5, key)
        }
        for (index, (variable, after)) in zip(model.weights, try XCTUnwrap(step["weights_after"] as? [Any]).map(KerasFixture.tensor)).enumerated() {
            assertClose(variable.value, after, "weight \(index) after the step")
        }
        let evaluation = try model.evaluate(x, y, verbose: .silent)
        XCTAssertEqual(evaluation.names, ["loss", "kind_loss", "score_loss", "kind_accuracy"])
        XCTAssertEqual(try model.predict(inputs)[0].shape, [3, 2], "the model leaves packed mode after fit")
    }
}

/// The new layers' configs against `keras.layers.serialize`, both ways through the layer registry.
final class FunctionalLayerConfigTests: XCTestCase {
    func testConfigsEqualKerasAndReadBack() throws {
        let serialized = try XCTUnwrap(try KerasFixture.load("functional.json")["serialized"] as? [String: Any])
        let layers: [Layer] = [
            Add(name: "add_c"), Subtract(name: "subtract_c"), Multiply(name: "multiply_c"), Average(name: "average_c"),
            Maximum(name: "maximum_c"), Minimum(name: "minimum_c"), Concatenate(axis: 1, name: "concatenate_c"),
            LayerNormalization(epsilon: 0.01, center: false, name: "ln_c"), GlobalMaxPooling2D(keepDims: true, name: "gmp_c"),
            Identity(name: "identity_c"), ZeroPadding2D(padding: ((1, 2), (0, 1)), name: "zp_c"),
            Cropping2D(cropping: ((1, 0), (1, 2)), name: "crop_c"), UpSampling2D(size: (2, 3), name: "up_c"),
        ]
        for layer in layers {
            let keras = try XCTUnwrap(serialized[layer.className], layer.className)
            let kerasValue = try ConfigValue.parse(try JSONSerialization.data(withJSONObject: keras), source: "fixture")
            let kerasConfig = try XCTUnwrap(kerasValue["config"]?.objectValue)
            XCTAssertEqual(layer.config, kerasConfig, layer.className)
            let restored = try KerasLayerRegistry.layer(from: kerasValue, number: 1)
            XCTAssertEqual(restored.className, layer.className)
            XCTAssertEqual(restored.config, kerasConfig, "\(layer.className) read back from Keras's config")
        }
    }
}
