import XCTest
@testable import Kestrel

/// Finite-difference checks of the gradients flowing through the layers functional models use.
final class FunctionalLayerGradientTests: XCTestCase {
    /// Checks d(Σ output·R)/d(input) for every input element against central differences.
    private func assertInputGradients(_ inputs: [Tensor], tolerance: Float = 2e-2, _ name: String,
                                      _ forward: ([Tensor]) throws -> Tensor, file: StaticString = #filePath, line: UInt = #line) throws {
        let probe = try forward(inputs)
        let projection = uniformTensor(probe.shape, low: -1, high: 1, seed: 7)
        func value(_ values: [Tensor]) throws -> Double { Double(try (try forward(values) * projection).sum().scalar ?? .nan) }
        let tracked = inputs.map { $0.requiringGradient() }
        let analytic = try gradient(of: try (try forward(tracked) * projection).sum(), wrt: tracked)
        let epsilon: Float = 1e-2
        for (which, input) in inputs.enumerated() {
            var scalars = input.scalars
            for element in scalars.indices {
                let original = scalars[element]
                var values = inputs
                scalars[element] = original + epsilon
                values[which] = try Tensor(shape: input.shape, scalars: scalars)
                let plus = try value(values)
                scalars[element] = original - epsilon
                values[which] = try Tensor(shape: input.shape, scalars: scalars)
                let minus = try value(values)
                scalars[element] = original
                let numeric = Float((plus - minus) / Double(2 * epsilon))
                let exact = analytic[which].scalars[element]
                XCTAssertLessThanOrEqual(abs(numeric - exact) / max(1, abs(numeric)), tolerance,
                                         "\(name) input \(which) element \(element): \(exact) vs \(numeric)", file: file, line: line)
            }
        }
    }

    /// Inputs whose elements differ enough that maximum/minimum have no ties within ±epsilon.
    private func spread(_ shape: [Int], seed: UInt64) throws -> Tensor {
        let count = shape.reduce(1, *)
        var generator = RandomGenerator(seed: seed)
        var values = (0..<count).map { Float($0) * 0.37 - Float(count) * 0.18 + Float(seed) * 0.113 }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            values.swapAt(index, other)
        }
        return try Tensor(shape: shape, scalars: values)
    }

    func testMergeLayerGradients() throws {
        let a = try spread([2, 3], seed: 1), b = try spread([2, 3], seed: 2), c = try spread([2, 3], seed: 3)
        let layers: [Merge] = [Add(), Subtract(), Multiply(), Average(), Maximum(), Minimum(), Concatenate(), Concatenate(axis: 1)]
        for layer in layers {
            let inputs = layer is Subtract ? [a, b] : [a, b, c]
            try assertInputGradients(inputs, layer.className) { try layer($0) }
        }
    }

    func testLayerNormalizationGradientsForInputsAndWeights() throws {
        let layer = LayerNormalization()
        let x = uniformTensor([3, 5], low: -2, high: 2, seed: 11)
        try layer.buildIfNeeded(inputShape: [5])
        try layer.gamma?.assign(uniformTensor([5], low: 0.5, high: 1.5, seed: 12))
        try layer.beta?.assign(uniformTensor([5], low: -0.5, high: 0.5, seed: 13))
        try assertInputGradients([x], "LayerNormalization input") { try layer($0[0]) }
        let gamma = try XCTUnwrap(layer.gamma), beta = try XCTUnwrap(layer.beta)
        let projection = uniformTensor([3, 5], low: -1, high: 1, seed: 14)
        let (_, gradients) = try valueWithGradients(for: [gamma, beta]) { try (try layer(x) * projection).sum() }
        for (variable, analytic) in zip([gamma, beta], gradients) {
            let original = variable.value.scalars
            for element in original.indices {
                var shifted = original
                shifted[element] += 1e-2
                try variable.assign(try Tensor(shape: [5], scalars: shifted))
                let plus = try (try layer(x) * projection).sum().scalar ?? .nan
                shifted[element] -= 2e-2
                try variable.assign(try Tensor(shape: [5], scalars: shifted))
                let minus = try (try layer(x) * projection).sum().scalar ?? .nan
                try variable.assign(try Tensor(shape: [5], scalars: original))
                XCTAssertEqual(analytic.scalars[element], (plus - minus) / 2e-2, accuracy: 2e-2, "\(variable.name)[\(element)]")
            }
        }
    }

    func testGlobalMaxPoolingAndIdentityGradients() throws {
        try assertInputGradients([try spread([2, 2, 3, 2], seed: 5)], "GlobalMaxPooling2D") { try GlobalMaxPooling2D()($0[0]) }
        try assertInputGradients([try spread([2, 4], seed: 6)], "Identity") { try Identity()($0[0]) }
    }

    func testReshapingLayerAndSliceGradients() throws {
        let images = try spread([2, 3, 4, 2], seed: 9)
        try assertInputGradients([images], "ZeroPadding2D") { try ZeroPadding2D(padding: ((1, 0), (2, 1)))($0[0]) }
        try assertInputGradients([images], "Cropping2D") { try Cropping2D(cropping: ((1, 1), (0, 2)))($0[0]) }
        try assertInputGradients([images], "UpSampling2D") { try UpSampling2D(size: (2, 1))($0[0]) }
        try assertInputGradients([images], "slice(axis:range:)") { try $0[0].slice(axis: -1, range: 1..<2) }
        XCTAssertThrowsError(try images.slice(axis: 1, range: 2..<4))
        XCTAssertThrowsError(try Cropping2D(cropping: 2)(images))
        XCTAssertThrowsError(try ZeroPadding2D(padding: -1)(images))
    }
}
