import Foundation
import XCTest
@testable import Kestrel

/// Files made by real Keras 3 (scripts/fixtures/make_keras_saving_fixtures.py) and what Keras computed with them.
enum KerasSavingFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/keras/saving")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func expected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    static func floats(_ value: Any?) throws -> [Float] {
        try XCTUnwrap(value as? [Double]).map(Float.init)
    }

    static func ints(_ value: Any?) throws -> [Int] {
        try XCTUnwrap(value as? [Int])
    }

    /// A fresh temporary folder, removed by the test's teardown block.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-saving-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
