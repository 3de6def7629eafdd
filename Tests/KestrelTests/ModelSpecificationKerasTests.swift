import Foundation
import XCTest
@testable import Kestrel

/// Keras Sequential configs written by real Keras (scripts/fixtures/make_keras_sequential_config_fixtures.py)
/// build models with the parameter counts Keras reported.
final class ModelSpecificationKerasTests: XCTestCase {
    private let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras")

    private func counts() throws -> [String: [String: Int]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("sequential_param_counts.json"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return object.compactMapValues { $0 as? [String: Int] }
    }

    func testKerasConfigsGiveKerasParameterCounts() throws {
        let expected = try counts()
        XCTAssertEqual(Set(expected.keys), ["mlp", "cnn", "gap"])
        for (name, numbers) in expected {
            let data = try Data(contentsOf: directory.appendingPathComponent("sequential_\(name).json"))
            let spec = try ModelSpecification(kerasJSON: data)
            XCTAssertEqual(spec.name, name)
            let model = try spec.makeModel()
            XCTAssertEqual(model.countParams(), numbers["total"], name)
            let trainable = model.weights.filter(\.trainable).reduce(0) { $0 + $1.value.count }
            XCTAssertEqual(trainable, numbers["trainable"], name)
        }
    }

    func testKerasLayerSettingsAreRead() throws {
        let mlp = try ModelSpecification(kerasJSON: Data(contentsOf: directory.appendingPathComponent("sequential_mlp.json")))
        XCTAssertEqual(mlp.inputShape, [28, 28])
        let mlpModel = try mlp.makeModel()
        XCTAssertEqual(mlpModel.layers.map(\.className), ["Flatten", "Dense", "Dropout", "Dense"])
        let hidden = try XCTUnwrap(mlpModel.layers[1] as? Dense)
        XCTAssertEqual([hidden.units, (mlpModel.layers[3] as? Dense)?.units], [128, 10])
        XCTAssertEqual(hidden.activation, .relu)
        XCTAssertEqual(hidden.kernelRegularizer, .l2(0.001))
        XCTAssertEqual((mlpModel.layers[2] as? Dropout)?.rate, 0.5)
        XCTAssertEqual((mlpModel.layers[3] as? Dense)?.activation, .softmax)
        let cnn = try ModelSpecification(kerasJSON: Data(contentsOf: directory.appendingPathComponent("sequential_cnn.json"))).makeModel()
        let strided = try XCTUnwrap(cnn.layers[5] as? Conv2D)
        XCTAssertEqual([strided.filters, strided.kernelSize.height, strided.strides.height], [128, 3, 2])
        XCTAssertEqual(strided.padding, .valid)
        XCTAssertEqual(strided.activation, .relu)
        XCTAssertEqual((cnn.layers.last as? Activation)?.activation, .softmax)
    }

    func testUnsupportedKerasContentIsOneSentence() {
        func message(_ json: String) -> String {
            do {
                _ = try ModelSpecification(kerasJSON: Data(json.utf8))
                return "no error"
            } catch {
                return String(describing: error)
            }
        }
        XCTAssertTrue(message("[1, 2]").hasPrefix("The Keras model file is not a JSON object"))
        XCTAssertTrue(message(#"{"class_name": "Functional", "config": {}}"#).contains("\"layers\" is missing"))
        XCTAssertTrue(message(#"{"class_name": "MyModel", "config": {}}"#).contains("not a Sequential or Functional model's config"))
        XCTAssertEqual(message(#"{"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {}}]}}"#).prefix(56),
                       "Keras layer 1 (LSTM): this layer class is not supported;")
        XCTAssertEqual(message(#"{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"activation": "relu"}}]}}"#),
                       "Keras layer 1 (Dense): \"units\" is missing or not a number.")
    }

    func testAugmentationLayerParsesAndIsIdentityAtInference() throws {
        let layer = try RandomAugmentation(parsing: "flip, rotate:15, shift:0.1, zoom:0.1", seed: 3)
        XCTAssertEqual(layer.pipeline.transforms.count, 4)
        let images = try Tensor(shape: [2, 4, 4, 1], scalars: (0..<32).map(Float.init))
        XCTAssertEqual(try layer(images, training: false).scalars, images.scalars)
        XCTAssertEqual(try layer(images, training: true).shape, [2, 4, 4, 1])
        XCTAssertThrowsError(try RandomAugmentation(parsing: "rotate:abc")) {
            XCTAssertTrue(String(describing: $0).hasPrefix("Augmentation 'rotate:abc': write the largest angle in degrees"), "\($0)")
        }
        XCTAssertThrowsError(try RandomAugmentation(parsing: "blur")) {
            XCTAssertTrue(String(describing: $0).contains("unknown item 'blur'"), "\($0)")
        }
    }
}
