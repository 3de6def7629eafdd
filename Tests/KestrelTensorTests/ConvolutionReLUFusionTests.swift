import XCTest
@testable import KestrelTensor

/// `Tensor.conv2d(relu: true)`: ReLU computed inside the convolution (in Winograd's output transform on
/// the CPU backend) gives relu(conv2d) and its gradients, on every algorithm and device.
final class ConvolutionReLUFusionTests: XCTestCase {
    private static let algorithms: [(ConvolutionAlgorithm, tolerance: Float)] = [
        (.im2col, 1e-5), (.winograd2x2, 1e-5), (.winograd4x4, 1e-4),
    ]

    /// Output and the gradients of Σ w·output for input, filter and bias, fused or as conv2d then relu().
    private func valueAndGradients(_ algorithm: ConvolutionAlgorithm, fused: Bool, input: Tensor, filter: Tensor,
                                   bias: Tensor, padding: Padding, device: Device = .cpu) throws -> [Tensor] {
        try EngineConfiguration.withChanges({
            $0.convolutionAlgorithm = algorithm
            $0.device = device
        }) {
            let tracked = [input, filter, bias].map { $0.to(device).requiringGradient() }
            let output = fused
                ? try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], padding: padding, relu: true)
                : try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], padding: padding).relu()
            let weights = sampleTensor(output.shape, seed: 99).to(device)
            let gradients = try gradient(of: (output * weights).sum(), wrt: tracked)
            return ([output.detached] + gradients).map { $0.to(.cpu) }
        }
    }

    /// On one backend and algorithm the fused operation computes the same numbers as conv2d followed by
    /// relu(): the same convolution, the same ReLU, the same mask on the gradient.
    func testFusedEqualsConvolutionThenReLUBitForBit() throws {
        let input = sampleTensor([2, 9, 7, 12], seed: 4), filter = sampleTensor([3, 3, 12, 9], seed: 5)
        let bias = sampleTensor([9], seed: 6)
        for (algorithm, _) in Self.algorithms {
            for device in [Device.cpu, .reference, .simulated] {
                for padding in [Padding.same, .valid] {
                    let fused = try valueAndGradients(algorithm, fused: true, input: input, filter: filter, bias: bias,
                                                      padding: padding, device: device)
                    let separate = try valueAndGradients(algorithm, fused: false, input: input, filter: filter, bias: bias,
                                                         padding: padding, device: device)
                    XCTAssertTrue(fused.map(\.scalars) == separate.map(\.scalars), "\(algorithm) on \(device) \(padding)")
                    XCTAssertTrue(fused[0].scalars.contains(0) && fused[0].scalars.contains { $0 > 0 },
                                  "the sample must have outputs on both sides of the ReLU")
                }
            }
        }
    }

    /// The fast backends against the Double reference backend (the oracle), fused on both sides.
    func testFusedMatchesTheReferenceBackend() throws {
        let input = sampleTensor([3, 8, 10, 37], seed: 14), filter = sampleTensor([3, 3, 37, 19], seed: 15)
        let bias = sampleTensor([19], seed: 16)
        for padding in [Padding.same, .valid] {
            let reference = try valueAndGradients(.im2col, fused: true, input: input, filter: filter, bias: bias,
                                                  padding: padding, device: .reference)
            for (algorithm, tolerance) in Self.algorithms {
                for device in [Device.cpu, .simulated] {
                    let fast = try valueAndGradients(algorithm, fused: true, input: input, filter: filter, bias: bias,
                                                     padding: padding, device: device)
                    for (part, (a, b)) in zip(fast, reference).enumerated() {
                        XCTAssertLessThanOrEqual(relativeError(a, b), tolerance, "\(algorithm) on \(device) \(padding): part \(part)")
                    }
                }
            }
        }
    }

    /// A ReLU left out of the fused path would be caught: the unactivated convolution is far off.
    func testComparisonDetectsAMissingReLU() throws {
        let input = sampleTensor([1, 6, 6, 4], seed: 1), filter = sampleTensor([3, 3, 4, 4], seed: 2)
        let bias = sampleTensor([4], seed: 3)
        let fused = try valueAndGradients(.winograd4x4, fused: true, input: input, filter: filter, bias: bias, padding: .same)
        let linear = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = .winograd4x4 }) {
            try Tensor.conv2d(input, filter: filter, bias: bias, padding: .same)
        }
        XCTAssertGreaterThan(relativeError(linear, fused[0]), 0.1)
    }

    func testFusedGradientsMatchFiniteDifferences() throws {
        for (algorithm, _) in Self.algorithms {
            try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = algorithm }) {
                for padding in [Padding.same, .valid] {
                    try assertGradientsMatchFiniteDifferences(
                        [sampleTensor([2, 5, 6, 3]), sampleTensor([3, 3, 3, 2], seed: 2), sampleTensor([2], seed: 3)],
                        epsilon: 1e-3) { x in
                        try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: x[2], padding: padding, relu: true))
                    }
                }
            }
        }
    }
}
