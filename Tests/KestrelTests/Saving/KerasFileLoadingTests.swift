import Foundation
import XCTest
@testable import Kestrel

/// `.keras`, `.weights.h5` and architecture JSON files written by real Keras 3: Kestrel loads them,
/// predicts what Keras predicted, and continues training exactly where Keras stopped.
final class KerasFileLoadingTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    func testKerasModelsPredictAsKeras() throws {
        let expected = try F.expected()
        for name in ["mlp", "cnn"] {
            let fixture = try XCTUnwrap(expected[name])
            let model = try loadModel(F.path("\(name).keras"))
            let x = try Tensor(shape: try F.ints(fixture["shape"]), scalars: try F.floats(fixture["x"]))
            let predictions = try model.predict(x).scalars
            XCTAssertLessThanOrEqual(F.maxDifference(predictions, try F.floats(fixture["predictions"])), 1e-5, name)
            XCTAssertEqual(model.loss?.name, "sparse_categorical_crossentropy")
            XCTAssertEqual(model.metricsNames, ["loss", "accuracy"])
        }
    }

    func testCNNLayersAndBatchNormalizationStatisticsAreKeras() throws {
        let model = try XCTUnwrap(try loadModel(F.path("cnn.keras")) as? Sequential)
        XCTAssertEqual(model.layers.map(\.className), ["Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense"])
        let norm = try XCTUnwrap(model.layers[1] as? BatchNormalization)
        XCTAssertEqual(norm.weights.map(\.name), ["gamma", "beta", "moving_mean", "moving_variance"])
        XCTAssertNotEqual(norm.movingMean?.value.scalars, [0, 0, 0, 0], "moving statistics come from the file")
        let sgd = try XCTUnwrap(model.optimizer as? SGD)
        XCTAssertEqual(sgd.momentum, 0.9)
        XCTAssertEqual(sgd.learningRate, 0.05)
        XCTAssertEqual(sgd.iterations, 12)
    }

    func testOneMoreFitStepGivesKerasNextWeights() throws {
        let expected = try F.expected()
        for name in ["mlp_adam", "cnn_sgd"] {
            let fixture = try XCTUnwrap(expected[name])
            let model = try loadModel(F.path("\(name).keras"))
            let x = try Tensor(shape: try F.ints(fixture["shape"]), scalars: try F.floats(fixture["batch_x"]))
            let y = Tensor(try F.ints(fixture["batch_y"]).map(Float.init))
            try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
            XCTAssertEqual(model.optimizer?.iterations, fixture["iterations_after"] as? Int, name)
            let next = try XCTUnwrap(fixture["next_weights"] as? [[Double]])
            XCTAssertEqual(model.weights.count, next.count, name)
            for (variable, values) in zip(model.weights, next) {
                XCTAssertLessThanOrEqual(F.maxDifference(variable.value.scalars, values.map(Float.init)), 1e-5, "\(name) \(variable.name)")
            }
        }
    }

    func testArchitectureJSONPlusWeightsFilePredictAsKeras() throws {
        let fixture = try XCTUnwrap(try F.expected()["mlp"])
        let json = try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8)
        let model = try modelFromJSON(json)
        XCTAssertNil(model.optimizer, "model_from_json does not compile")
        try model.loadWeights(F.path("mlp.weights.h5"))
        let x = try Tensor(shape: try F.ints(fixture["shape"]), scalars: try F.floats(fixture["x"]))
        XCTAssertLessThanOrEqual(F.maxDifference(try model.predict(x).scalars, try F.floats(fixture["predictions"])), 1e-5)
    }

    func testKerasSequentialConfigReaderSharesTheRegistry() throws {
        let spec = try ModelSpecification(kerasJSON: Data(contentsOf: URL(fileURLWithPath: F.path("mlp.json"))))
        let model = try spec.makeModel()
        let dense = try XCTUnwrap(model.layers.first as? Dense)
        XCTAssertEqual(dense.units, 16)
        XCTAssertEqual(dense.kernelRegularizer, .l2(0.001))
        XCTAssertEqual(model.countParams(), 12 * 16 + 16 + 16 * 3 + 3)
    }
}
