import Foundation
import XCTest
@testable import Kestrel

/// Keras configs that leave out optional arguments (`use_bias`, `strides`, `padding`, `momentum`…) read as
/// Keras reads them: real Keras 3.15.1 filled in every omitted default (scripts/fixtures/
/// make_keras_omitted_defaults_fixtures.py); Kestrel's readers must give the same layer — the same
/// parameter count and output shape, and the same value for every argument both configs write.
final class OmittedDefaultsKerasTests: XCTestCase {
    private struct Fixture: Decodable {
        let cases: [Case]
    }

    private struct Case: Decodable {
        let className: String
        let config: ConfigValue
        let inputShape: [Int]
        let outputShape: [Int]
        let countParams: Int
        let kerasConfig: ConfigValue
    }

    func testEveryReaderFillsInKerassDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/omitted_defaults.json")
        let cases = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path)).cases
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        for testCase in cases {
            let input = ConfigValue.object(["class_name": .string("InputLayer"),
                                            "config": .object(["batch_shape": .array([.null] + testCase.inputShape.map(ConfigValue.int))])])
            let layer = ConfigValue.object(["class_name": .string(testCase.className), "config": testCase.config])
            let json = ConfigValue.object(["class_name": .string("Sequential"),
                                           "config": .object(["name": .string("m"), "layers": .array([input, layer])])]).jsonText
            let model = try modelFromJSON(json)
            let built = try XCTUnwrap(model.layers.last, testCase.className)
            XCTAssertEqual(model.countParams(), testCase.countParams, "\(testCase.className): parameter count")
            let output = try model.predict(try Tensor.zeros([1] + testCase.inputShape), verbose: 0)
            XCTAssertEqual(Array(output.shape.dropFirst()), testCase.outputShape, "\(testCase.className): output shape")
            for (key, expected) in testCase.kerasConfig.objectValue ?? [:] {
                guard let actual = built.config[key] else { continue }
                XCTAssertTrue(Self.same(actual, expected), "\(testCase.className).\(key): Kestrel \(actual), Keras \(expected)")
            }
        }
    }

    /// Equal as Keras values: numbers by value (1 == 1.0), arrays element by element, nulls and nested objects skipped.
    private static func same(_ lhs: ConfigValue, _ rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.object, _), (_, .object), (.null, _), (_, .null): return true
        case let (.array(left), .array(right)): return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        // A built Keras LayerNormalization writes its axis as a list ([-1]); Kestrel writes the number, which Keras reads the same.
        case let (.int, .array(right)) where right.count == 1: return same(lhs, right[0])
        default:
            if let left = lhs.doubleValue, let right = rhs.doubleValue { return Swift.abs(left - right) < 1e-6 }
            return lhs == rhs
        }
    }
}
