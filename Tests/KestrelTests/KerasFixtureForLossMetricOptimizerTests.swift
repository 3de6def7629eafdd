import Foundation
import XCTest
@testable import Kestrel

/// Reads the JSON reference files that `scripts/fixtures/make_keras_olm_fixtures.py` computed with Keras 3.
enum KerasFixture {
    /// `Tests/Fixtures/keras/`, found from this source file's path (no Python at test time).
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras")
    }

    /// The parsed top-level object of `name` (e.g. "optimizers.json").
    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KestrelError.fileError("\(name) is not a JSON object")
        }
        return object
    }

    /// A `{"shape": [...], "values": [...]}` object as a tensor.
    static func tensor(_ object: Any?) throws -> Tensor {
        guard let object = object as? [String: Any], let shape = object["shape"] as? [Int],
              let values = object["values"] as? [Double] else {
            throw KestrelError.fileError("fixture tensor is malformed: \(String(describing: object))")
        }
        return try Tensor(shape: shape, scalars: values.map(Float.init))
    }

    /// A list of numbers as Floats.
    static func floats(_ object: Any?) -> [Float]? {
        (object as? [Double])?.map(Float.init)
    }

    /// A config value as a Float (JSON numbers and booleans both arrive as NSNumber).
    static func float(_ config: [String: Any], _ key: String) -> Float? {
        (config[key] as? NSNumber).map { $0.floatValue }
    }

    /// A config value as a Bool.
    static func bool(_ config: [String: Any], _ key: String) -> Bool? {
        (config[key] as? NSNumber).map { $0.boolValue }
    }
}

/// Asserts that `actual` matches `expected` elementwise within a relative tolerance (absolute near zero).
func assertClose(_ actual: [Float], _ expected: [Float], relative: Float = 1e-5, absolute: Float = 1e-6,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count differs. \(message())", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let bound = Swift.max(absolute, relative * Swift.abs(e))
        if !(Swift.abs(a - e) <= bound) {
            XCTFail("element \(index): got \(a), Keras \(e) (|diff| \(Swift.abs(a - e)) > \(bound)). \(message())",
                    file: file, line: line)
            return
        }
    }
}
