import Foundation
import XCTest
@testable import Kestrel

/// DepthwiseConv2D and SeparableConv2D against Keras 3
/// (`scripts/fixtures/make_keras_depthwise_fixtures.py` → Tests/Fixtures/keras/depthwise.json and
/// saving/separable.keras): forward values, configs, parameter counts, saving both ways, gradients.
final class DepthwiseSeparableConvolutionTests: XCTestCase {
    private func fixture() throws -> [String: Any] { try KerasFixture.load("depthwise.json") }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-4, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max difference \(worst)", file: file, line: line)
    }

    private func window(_ value: Any?) throws -> WindowSize {
        let sizes = try XCTUnwrap(value as? [Int])
        return WindowSize(sizes[0], sizes[1])
    }

    private func padding(_ value: Any?) throws -> Padding { try XCTUnwrap(Padding(rawValue: try XCTUnwrap(value as? String))) }

    func testDepthwiseForwardMatchesKerasAcrossArguments() throws {
        let all = try fixture()
        let x = try KerasFixture.tensor(all["x"])
        let cases = try XCTUnwrap(all["depthwise"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 7)
        for (index, item) in cases.enumerated() {
            let layer = DepthwiseConv2D(kernelSize: try window(item["kernel_size"]), strides: try window(item["strides"]),
                                        padding: PaddingArgument(try padding(item["padding"])), depthMultiplier: try XCTUnwrap(item["depth_multiplier"] as? Int),
                                        dilationRate: try window(item["dilation_rate"]), useBias: try XCTUnwrap(item["use_bias"] as? Bool))
            try layer.buildIfNeeded(inputShape: Array(x.shape.dropFirst()))
            let weights = try XCTUnwrap(item["weights"] as? [Any]).map(KerasFixture.tensor)
            XCTAssertEqual(layer.weights.map(\.value.shape), weights.map(\.shape), "case \(index)")
            for (variable, value) in zip(layer.weights, weights) { try variable.assign(value) }
            assertClose(try layer(x), try KerasFixture.tensor(item["y"]), "DepthwiseConv2D case \(index) \(item)")
        }
    }

    func testSeparableForwardMatchesKerasWithKerasWeightOrder() throws {
        let all = try fixture()
        let x = try KerasFixture.tensor(all["x"])
        for (index, item) in try XCTUnwrap(all["separable"] as? [[String: Any]]).enumerated() {
            let layer = SeparableConv2D(try XCTUnwrap(item["filters"] as? Int), kernelSize: try window(item["kernel_size"]),
                                        strides: try window(item["strides"]), padding: PaddingArgument(try padding(item["padding"])),
                                        depthMultiplier: try XCTUnwrap(item["depth_multiplier"] as? Int),
                                        dilationRate: try window(item["dilation_rate"]),
                                        activation: try ActivationFunction.named(try XCTUnwrap(item["activation"] as? String)))
            try layer.buildIfNeeded(inputShape: Array(x.shape.dropFirst()))
            XCTAssertEqual(layer.weights.map(\.name), item["weight_names"] as? [String])
            let weights = try XCTUnwrap(item["weights"] as? [Any]).map(KerasFixture.tensor)
            for (variable, value) in zip(layer.weights, weights) { try variable.assign(value) }
            assertClose(try layer(x), try KerasFixture.tensor(item["y"]), "SeparableConv2D case \(index)")
        }
    }

    func testConfigsEqualKerasAndReadBack() throws {
        let serialized = try XCTUnwrap(try fixture()["serialized"] as? [String: Any])
        let layers: [Layer] = [
            DepthwiseConv2D(kernelSize: [3, 2], strides: 2, padding: .same, depthMultiplier: 2, activation: .relu,
                            depthwiseRegularizer: .l2(0.25), name: "dw_c"),
            SeparableConv2D(6, kernelSize: 3, dilationRate: 2, activation: .sigmoid, useBias: false,
                            pointwiseInitializer: .heNormal, name: "sep_c"),
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

    /// The fixture's saved model, built in Kestrel.
    private func separableModel() throws -> Sequential {
        try Sequential(name: "separable") {
            Input(shape: [10, 10, 3])
            DepthwiseConv2D(kernelSize: 3, depthMultiplier: 2, activation: .relu, name: "dw")
            SeparableConv2D(8, kernelSize: 3, padding: .same, depthMultiplier: 2, name: "sep")
            DepthwiseConv2D(kernelSize: 2, strides: 2, useBias: false, name: "dw_2")
            GlobalAveragePooling2D(name: "gap")
            Dense(4, activation: .softmax, name: "head")
        }
    }

    func testParameterCountsEqualKerasSummary() throws {
        let all = try fixture()
        let counts = try XCTUnwrap(all["param_counts"] as? [String: Int])
        let model = try separableModel()
        for layer in model.layers { XCTAssertEqual(layer.countParams(), counts[layer.name], layer.name) }
        XCTAssertEqual(model.countParams(), all["total_params"] as? Int)
        let summary = try String(contentsOf: KerasFixture.directory.appendingPathComponent("summary_separable.txt"), encoding: .utf8)
        XCTAssertEqual(model.summaryText(), summary)
    }

    func testLoadsTheKerasSavedModelWithEqualPredictions() throws {
        let saved = try XCTUnwrap(try fixture()["saved_model"] as? [String: Any])
        let model = try loadModel(KerasFixture.directory.appendingPathComponent("saving/separable.keras").path)
        XCTAssertEqual(model.layers.map(\.className), ["DepthwiseConv2D", "SeparableConv2D", "DepthwiseConv2D", "GlobalAveragePooling2D", "Dense"])
        XCTAssertEqual(model.optimizer?.iterations, saved["iterations"] as? Int)
        assertClose(try model.predict(try KerasFixture.tensor(saved["x"])), try KerasFixture.tensor(saved["y"]), tolerance: 1e-5, "predictions")
    }

    func testKestrelSaveAndLoadKeepsPredictionsAndKerasWeightLayout() throws {
        Kestrel.setRandomSeed(5)
        let model = try separableModel()
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
        var generator = RandomGenerator(seed: 3)
        let x = try Tensor.randomNormal([8, 10, 10, 3], mean: 0, standardDeviation: 1, generator: &generator)
        try model.fit(x, Tensor((0..<8).map { Float($0 % 4) }), epochs: 1, batchSize: 4, verbose: .silent)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("separable-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        let loaded = try loadModel(path)
        XCTAssertEqual(try loaded.predict(x).scalars, try model.predict(x).scalars)
        XCTAssertEqual(loaded.weights.map(\.name), ["kernel", "bias", "depthwise_kernel", "pointwise_kernel", "bias", "kernel", "kernel", "bias"])
        let members = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: path)), fileName: path, wanted: ["model.weights.h5"])
        let file = try HDF5File.open(image: try XCTUnwrap(members["model.weights.h5"]), fileName: "model.weights.h5")
        // Keras's paths: the snake-case class name, numbered per class (the fixture file Keras wrote has the same).
        XCTAssertEqual(try file.childNames(of: "layers"),
                       ["dense", "depthwise_conv2d", "depthwise_conv2d_1", "global_average_pooling2d", "separable_conv2d"])
        XCTAssertEqual(try file.childNames(of: "layers/separable_conv2d/vars"), ["0", "1", "2"])
        XCTAssertEqual(try file.datasetInfo("layers/separable_conv2d/vars/0").shape, [3, 3, 6, 2])
        XCTAssertEqual(try file.datasetInfo("layers/separable_conv2d/vars/1").shape, [1, 1, 12, 8])
        XCTAssertEqual(try file.datasetInfo("layers/separable_conv2d/vars/2").shape, [8])
        XCTAssertEqual(try file.datasetInfo("layers/depthwise_conv2d/vars/0").shape, [3, 3, 3, 2])
        XCTAssertEqual(try file.childNames(of: "layers/depthwise_conv2d_1/vars"), ["0"])
    }

    func testWeightGradientsMatchFiniteDifferences() throws {
        let layer = SeparableConv2D(3, kernelSize: 2, strides: 2, padding: .same, depthMultiplier: 2, activation: .tanh)
        let x = uniformTensor([2, 5, 4, 2], low: -1, high: 1, seed: 21)
        _ = try layer(x)
        for variable in layer.weights { try variable.assign(uniformTensor(variable.value.shape, low: -0.8, high: 0.8, seed: 22)) }
        let projection = uniformTensor(try layer(x).shape, low: -1, high: 1, seed: 23)
        func loss() throws -> Tensor { try (try layer(x) * projection).sum() }
        let (_, gradients) = try valueWithGradients(for: layer.weights, loss)
        for (variable, analytic) in zip(layer.weights, gradients) {
            let original = variable.value.scalars
            for element in original.indices {
                var shifted = original
                shifted[element] += 1e-2
                try variable.assign(try Tensor(shape: variable.value.shape, scalars: shifted))
                let plus = try loss().scalar ?? .nan
                shifted[element] -= 2e-2
                try variable.assign(try Tensor(shape: variable.value.shape, scalars: shifted))
                let minus = try loss().scalar ?? .nan
                try variable.assign(try Tensor(shape: variable.value.shape, scalars: original))
                XCTAssertEqual(analytic.scalars[element], (plus - minus) / 2e-2, accuracy: 2e-2, "\(variable.name)[\(element)]")
            }
        }
        // And the input gradient through both layers.
        let depthwise = DepthwiseConv2D(kernelSize: 3, padding: .same, depthMultiplier: 2, dilationRate: 2)
        let tracked = x.requiringGradient()
        let inputProjection = uniformTensor([2, 5, 4, 4], low: -1, high: 1, seed: 24)
        let analytic = try gradient(of: try (try depthwise(tracked) * inputProjection).sum(), wrt: [tracked])[0]
        var values = x.scalars
        for element in values.indices {
            let original = values[element]
            values[element] = original + 1e-2
            let plus = try (try depthwise(try Tensor(shape: x.shape, scalars: values)) * inputProjection).sum().scalar ?? .nan
            values[element] = original - 1e-2
            let minus = try (try depthwise(try Tensor(shape: x.shape, scalars: values)) * inputProjection).sum().scalar ?? .nan
            values[element] = original
            XCTAssertEqual(analytic.scalars[element], (plus - minus) / 2e-2, accuracy: 2e-2, "input[\(element)]")
        }
    }

    func testTextSpecificationEntries() throws {
        let spec = try ModelSpecification(parsing: "input 12x12x3, depthwiseconv2d 3 relu same multiplier=2, separableconv2d 8 3x2 strides=2, gap, dense 2 softmax")
        XCTAssertEqual(spec.layers[1], .depthwiseConv2D(kernelSize: 3, strides: 1, padding: .same, depthMultiplier: 2, activation: .relu))
        XCTAssertEqual(spec.layers[2], .separableConv2D(filters: 8, kernelSize: WindowSize(3, 2), strides: 2, padding: .valid,
                                                        depthMultiplier: 1, activation: .linear))
        let model = try spec.makeModel()
        XCTAssertEqual(model.layers[0].countParams(), 3 * 3 * 6 + 6)
        XCTAssertEqual(model.layers[1].countParams(), 3 * 2 * 6 + 6 * 8 + 8)
        XCTAssertThrowsError(try ModelSpecification(parsing: "depthwise 3 multiplier=0.5")) { error in
            XCTAssertTrue("\(error)".contains("multiplier"), "\(error)")
        }
    }
}
