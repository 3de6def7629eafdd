import Foundation
import XCTest
@testable import Kestrel

/// Model specs, Keras configs and layer arguments a robustness probe found that used to trap
/// (overflowing products, strides, huge allocations): each must be a thrown error.
final class HostileSpecificationTests: XCTestCase {
    private func assertModelFails(_ spec: String, inputShape: [Int], mentioning parts: [String] = [],
                                  file: StaticString = #filePath, line: UInt = #line) {
        do {
            let model = try ModelSpecification(parsing: spec).makeModel(inputShape: inputShape)
            _ = try model.outputShape(forInput: inputShape)
            XCTFail("'\(spec)' built a model", file: file, line: line)
        } catch {
            for part in parts { XCTAssertTrue("\(error)".contains(part), "'\(part)' missing in: \(error)", file: file, line: line) }
        }
    }

    func testReshapeWhoseProductOverflows() {
        assertModelFails("reshape 3037000500x3037000500", inputShape: [4], mentioning: ["target_shape"])
        XCTAssertThrowsError(try Reshape([3_037_000_500, 3_037_000_500]).computeOutputShape([4]))
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}}, {"class_name": "Reshape", "config": {"target_shape": [3037000500, 3037000500]}}]}}"#
        XCTAssertThrowsError(try ModelSpecification(kerasJSON: Data(json.utf8)).makeModel())
    }

    func testKerasNumbersThatAreNotWholeIntsAreRejected() {
        for units in ["1e19", "-1e30", "9223372036854775808", "2.5"] {
            let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": \#(units)}}]}}"#
            XCTAssertThrowsError(try ModelSpecification(kerasJSON: Data(json.utf8)), units) { error in
                XCTAssertTrue("\(error)".contains("\"units\""), "\(error)")
            }
        }
        let kernel = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [3, 1e30]}}]}}"#
        XCTAssertThrowsError(try ModelSpecification(kerasJSON: Data(kernel.utf8)))
    }

    func testConvolutionWithAHugeKernel() {
        assertModelFails("conv2d 4 3037000500x3037000500", inputShape: [8, 8, 1])
        assertModelFails("conv2d 4 3037000500x3037000500 same", inputShape: [8, 8, 1])
        XCTAssertEqual(Initializer.fans([3_037_000_500, 3_037_000_500, 1, 4]).fanIn, Float(3_037_000_500) * Float(3_037_000_500))
    }

    func testPoolingWithAHugeStride() throws {
        // The text spec is read as a Keras config, whose sizes are bounded (2^31): a clear error, no overflow.
        assertModelFails("maxpool 2 strides=9223372036854775807, flatten", inputShape: [8, 8, 1], mentioning: ["MaxPooling2D", "\"strides\""])
        let model = try ModelSpecification(parsing: "maxpool 2 same strides=2147483648, flatten").makeModel(inputShape: [8, 8, 1])
        XCTAssertEqual(try model(try Tensor.ones([1, 8, 8, 1])).shape, [1, 1])
        // The layer itself takes Int.max strides ('valid' and 'same': one output per axis) without overflow.
        XCTAssertEqual(try MaxPooling2D(poolSize: 2, strides: [Int.max, Int.max]).computeOutputShape([8, 8, 1]), [1, 1, 1])
        XCTAssertEqual(try MaxPooling2D(poolSize: 2, strides: [Int.max, Int.max], padding: .same).computeOutputShape([8, 8, 1]), [1, 1, 1])
    }

    func testDenseTooLargeForMemoryNamesTheLayerAndTheBytes() {
        assertModelFails("dense 1000000000", inputShape: [784], mentioning: ["Dense", "kernel", "3136000000000 bytes"])
        let layer = Dense(Int.max / 2, name: "huge_dense")
        XCTAssertThrowsError(try layer.buildIfNeeded(inputShape: [16])) { error in
            XCTAssertTrue("\(error)".contains("huge_dense"), "\(error)")
        }
    }
}
