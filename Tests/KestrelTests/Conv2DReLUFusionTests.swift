import XCTest
@testable import Kestrel

/// `Conv2D(activation: .relu)` computes its ReLU inside the convolution: the same output and weight
/// gradients as the same convolution followed by a separate `Activation("relu")` layer.
final class Conv2DReLUFusionTests: XCTestCase {
    func testReLUConv2DMatchesConvolutionThenActivationLayer() throws {
        for algorithm in [ConvolutionAlgorithm.winograd4x4, .winograd2x2, .im2col] {
            try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = algorithm }) {
                Kestrel.setRandomSeed(3)
                let fused = Conv2D(6, kernelSize: 3, padding: .same, activation: .relu)
                let linear = Conv2D(6, kernelSize: 3, padding: .same)
                let relu = Activation(.relu)
                var generator = RandomGenerator(seed: 5)
                let x = try Tensor.randomUniform([2, 7, 6, 5], low: -1, high: 1, generator: &generator)
                _ = try fused(x)
                _ = try linear(x)
                try linear.kernel!.assign(fused.kernel!.value)
                try linear.bias!.assign(try Tensor.randomUniform([6], low: -0.3, high: 0.3, generator: &generator))
                try fused.bias!.assign(linear.bias!.value)
                let projection = try Tensor.randomUniform([2, 7, 6, 6], low: -1, high: 1, generator: &generator)
                let (fusedLoss, fusedGradients) = try valueWithGradients(for: fused.weights) {
                    try (try fused(x, training: true) * projection).sum()
                }
                let (linearLoss, linearGradients) = try valueWithGradients(for: linear.weights) {
                    try (try relu(try linear(x, training: true)) * projection).sum()
                }
                let output = try fused(x).scalars
                XCTAssertEqual(output, try relu(try linear(x)).scalars, "\(algorithm)")
                XCTAssertTrue(output.contains(0) && output.contains { $0 > 0 }, "both sides of the ReLU are exercised")
                XCTAssertEqual(fusedLoss.scalars, linearLoss.scalars, "\(algorithm)")
                for (a, b) in zip(fusedGradients, linearGradients) { XCTAssertEqual(a.scalars, b.scalars, "\(algorithm)") }
            }
        }
    }
}
