import Foundation
import XCTest
@testable import KestrelTensor

/// `Tensor.description` against what NumPy's `print` shows for the same float32 arrays (default print
/// options: threshold 1000, edgeitems 3, linewidth 75, precision 8). Made by
/// scripts/fixtures/make_numpy_print_fixtures.py.
final class NumPyPrintFixtureTests: XCTestCase {
    private struct Fixture: Decodable {
        let cases: [Case]
    }

    private struct Case: Decodable {
        let name: String
        let shape: [Int]
        let bits: [UInt32]
        let text: String
    }

    func testEveryArrayPrintsAsNumPyPrintsIt() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tensor/numpy_print.json")
        let cases = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path)).cases
        XCTAssertGreaterThan(cases.count, 20)
        for testCase in cases {
            let tensor = try Tensor(shape: testCase.shape, scalars: testCase.bits.map(Float.init(bitPattern:)))
            let header = testCase.shape.isEmpty ? "Tensor(shape: [], " : "Tensor(shape: \(testCase.shape))\n"
            let expected = testCase.shape.isEmpty ? header + testCase.text + ")" : header + testCase.text
            XCTAssertEqual(tensor.description, expected, testCase.name)
        }
    }
}
