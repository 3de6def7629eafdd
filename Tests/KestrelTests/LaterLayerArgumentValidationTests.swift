import XCTest
@testable import Kestrel

/// Issue 10 item 3 for the layers added with the functional API and the depthwise convolutions:
/// nonsense arguments are rejected when the model is built (`try Sequential {…}` or a functional
/// graph), with a `KestrelError.invalidArgument` naming the layer, the argument, the value and the
/// valid range — never a trap or a silent wrong model.
final class LaterLayerArgumentValidationTests: XCTestCase {
    private func message(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
        } catch KestrelError.invalidArgument(let text) {
            return text
        } catch {
            XCTFail("expected invalidArgument, got \(error)", file: file, line: line)
        }
        return ""
    }

    /// Adds `layer` after an 8×8×2 input and checks the error names every one of `parts`.
    private func assertRejected(_ layer: @autoclosure () -> Layer, mentioning parts: [String],
                                file: StaticString = #filePath, line: UInt = #line) {
        let text = message({ _ = try Sequential { Input(shape: [8, 8, 2]); layer() } }, file: file, line: line)
        for part in parts { XCTAssertTrue(text.contains(part), "'\(part)' missing in: \(text)", file: file, line: line) }
    }

    func testZeroPadding2D() {
        assertRejected(ZeroPadding2D(padding: ((1, -2), (0, 0)), name: "pad"), mentioning: ["ZeroPadding2D 'pad'", "padding", "-2", "≥ 0"])
        assertRejected(ZeroPadding2D(padding: -1), mentioning: ["padding", "Cropping2D"])
        // A padding too large to count is an error, not an overflow trap.
        assertRejected(ZeroPadding2D(padding: ((Int.max, 1), (0, 0))), mentioning: ["ZeroPadding2D", "too large"])
    }

    func testCropping2D() throws {
        assertRejected(Cropping2D(cropping: ((0, 0), (-1, 3)), name: "crop"), mentioning: ["Cropping2D 'crop'", "cropping", "-1", "ZeroPadding2D"])
        XCTAssertThrowsError(try Sequential { Input(shape: [8, 8, 2]); Cropping2D(cropping: ((Int.max, Int.max), (0, 0))) }) { error in
            XCTAssertTrue("\(error)".contains("removes every row or column"), "\(error)")
        }
    }

    func testUpSampling2D() {
        assertRejected(UpSampling2D(size: (0, 2), name: "up"), mentioning: ["UpSampling2D 'up'", "size", "(0, 2)", "at least (1, 1)"])
        assertRejected(UpSampling2D(size: -3), mentioning: ["size", "(-3, -3)"])
        assertRejected(UpSampling2D(size: (Int.max, 2)), mentioning: ["UpSampling2D", "too large"])
    }

    func testMergeLayersInAFunctionalGraph() throws {
        let a = Input(shape: [3]), b = Input(shape: [3])
        let text = message { _ = try Concatenate(axis: 0, name: "join")([a, b]) }
        XCTAssertTrue(text.contains("Concatenate 'join': axis must be a feature axis"), text)
        XCTAssertTrue(text.contains("got 0"), text)
        // Axis 0 is refused on values as well, and a layer of a Model built from the graph is checked too.
        XCTAssertThrowsError(try Concatenate(axis: 0)([try Tensor.ones([2, 3]), try Tensor.ones([2, 3])]))
        for layer in [Add(name: "sum/1"), Subtract(name: "diff/1"), Multiply(name: "times/1"), Average(name: "mean/1"),
                      Maximum(name: "max/1"), Minimum(name: "min/1")] as [Merge] {
            let text = message { _ = try Model(inputs: [a, b], outputs: try layer([a, b])) }
            XCTAssertTrue(text.contains("\(layer.className) '\(layer.name)': name must be a non-empty name without '/'"), text)
        }
        XCTAssertEqual(try Concatenate(axis: -1)([a, b]).shape, [6])  // valid axes still work
    }

    func testLayerNormalization() {
        assertRejected(LayerNormalization(epsilon: .nan, name: "norm"), mentioning: ["LayerNormalization 'norm'", "epsilon", "nan", "> 0"])
        assertRejected(LayerNormalization(epsilon: -0.001), mentioning: ["epsilon", "-0.001"])
        assertRejected(LayerNormalization(epsilon: .infinity), mentioning: ["epsilon", "inf"])
        assertRejected(LayerNormalization(axis: 0), mentioning: ["axis", "batch", "got 0"])
    }

    func testGlobalMaxPooling2D() {
        assertRejected(GlobalMaxPooling2D(name: "pool/max"), mentioning: ["GlobalMaxPooling2D 'pool/max'", "name", "'/'"])
    }

    func testIdentity() {
        assertRejected(Identity(name: ""), mentioning: ["Identity ''", "name must be a non-empty name"])
        XCTAssertNoThrow(try Sequential { Input(shape: [8, 8, 2]); Identity(name: "pass_through") })
    }

    func testDepthwiseConv2D() throws {
        assertRejected(DepthwiseConv2D(kernelSize: [0, 3], name: "dw"), mentioning: ["DepthwiseConv2D 'dw'", "kernelSize", "positive", "(0, 3)"])
        assertRejected(DepthwiseConv2D(kernelSize: 3, strides: [1, 0]), mentioning: ["strides", "(1, 0)"])
        assertRejected(DepthwiseConv2D(kernelSize: 3, depthMultiplier: -1), mentioning: ["depthMultiplier", "positive integer", "-1"])
        assertRejected(DepthwiseConv2D(kernelSize: 3, dilationRate: 0), mentioning: ["dilationRate", "positive"])
        assertRejected(DepthwiseConv2D(kernelSize: 3, strides: 2, dilationRate: 2), mentioning: ["dilationRate", "strides are above 1"])
        assertRejected(DepthwiseConv2D(kernelSize: 3, activation: "rleu"), mentioning: ["activation", "'rleu'"])
        // In a functional graph the call that builds the layer throws.
        XCTAssertThrowsError(try DepthwiseConv2D(kernelSize: 3, depthMultiplier: 0)(Input(shape: [8, 8, 2]))) { error in
            XCTAssertTrue("\(error)".contains("depthMultiplier"), "\(error)")
        }
    }

    func testSeparableConv2D() {
        assertRejected(SeparableConv2D(0, kernelSize: 3, name: "sep"), mentioning: ["SeparableConv2D 'sep'", "filters", "got 0"])
        assertRejected(SeparableConv2D(4, kernelSize: 3, depthMultiplier: 0), mentioning: ["depthMultiplier"])
        assertRejected(SeparableConv2D(4, kernelSize: 3, strides: [2, 1], dilationRate: [1, 2]), mentioning: ["dilationRate", "strides"])
        assertRejected(SeparableConv2D(4, kernelSize: 3, activation: "softmx"), mentioning: ["activation", "'softmx'"])
        assertRejected(SeparableConv2D(4, kernelSize: 3, pointwiseRegularizer: .l2(-1)), mentioning: ["pointwiseRegularizer"])
        // A window that does not fit the input is a shape error naming the layer.
        XCTAssertThrowsError(try Sequential { Input(shape: [8, 8, 2]); SeparableConv2D(4, kernelSize: 5, dilationRate: 2) }) { error in
            XCTAssertTrue("\(error)".contains("SeparableConv2D"), "\(error)")
        }
    }
}
