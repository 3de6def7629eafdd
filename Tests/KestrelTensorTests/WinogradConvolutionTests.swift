import XCTest
@testable import KestrelTensor

/// Winograd F(2×2, 3×3) and F(4×4, 3×3) against im2col (same backend), against the Double reference
/// backend and the simulated device, against finite differences, across the transforms' vector paths
/// and from run to run.
///
/// Relative error here is `max|a − b| / max|b|` over a whole tensor (b the im2col or reference result):
/// the error of Winograd grows with the magnitude of the tile's values, not of each output, so a
/// per-element ratio would be dominated by outputs that are near zero by cancellation.
final class WinogradConvolutionTests: XCTestCase {
    private static let algorithms: [(ConvolutionAlgorithm, tolerance: Float)] = [(.winograd2x2, 1e-5), (.winograd4x4, 1e-4)]

    /// Output and the gradients of Σ w·output for input, filter and bias, under `algorithm`.
    private func valueAndGradients(_ algorithm: ConvolutionAlgorithm, input: Tensor, filter: Tensor, bias: Tensor,
                                   padding: Padding, device: Device = .cpu,
                                   change: (inout EngineConfiguration) -> Void = { _ in }) throws -> [Tensor] {
        try EngineConfiguration.withChanges({
            $0.convolutionAlgorithm = algorithm
            $0.device = device
            change(&$0)
        }) {
            let tracked = [input, filter, bias].map { $0.to(device).requiringGradient() }
            let output = try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], padding: padding)
            let weights = sampleTensor(output.shape, seed: 99).to(device)
            let gradients = try gradient(of: (output * weights).sum(), wrt: tracked)
            return ([output.detached] + gradients).map { $0.to(.cpu) }
        }
    }

    /// Shapes with odd sizes (partial tiles), channel counts below, at and above a vector's width.
    private let cases: [(input: [Int], outChannels: Int, padding: Padding)] = [
        ([2, 7, 9, 5], 3, .same), ([2, 7, 9, 5], 3, .valid), ([3, 8, 8, 37], 19, .same),
        ([1, 3, 3, 2], 2, .valid), ([2, 5, 11, 70], 33, .valid), ([4, 6, 6, 16], 17, .same),
    ]

    func testForwardAndGradientsMatchIm2colWithinTolerance() throws {
        for (index, (inputShape, outChannels, padding)) in cases.enumerated() {
            let input = sampleTensor(inputShape, seed: UInt64(10 + index))
            let filter = sampleTensor([3, 3, inputShape[3], outChannels], seed: UInt64(20 + index))
            let bias = sampleTensor([outChannels], seed: UInt64(30 + index))
            let direct = try valueAndGradients(.im2col, input: input, filter: filter, bias: bias, padding: padding)
            for (algorithm, tolerance) in Self.algorithms {
                let winograd = try valueAndGradients(algorithm, input: input, filter: filter, bias: bias, padding: padding)
                for (part, (a, b)) in ["output", "input gradient", "kernel gradient", "bias gradient"].enumerated().map({ ($1, (winograd[$0], direct[$0])) }) {
                    XCTAssertEqual(a.shape, b.shape)
                    XCTAssertLessThanOrEqual(relativeError(a, b), tolerance, "\(algorithm) \(inputShape)→\(outChannels) \(padding): \(part)")
                }
            }
        }
    }

    /// A wrong transform is off by O(1), far beyond rounding: this guards the comparison itself.
    func testComparisonDetectsAWrongKernel() throws {
        let input = sampleTensor([1, 6, 6, 4], seed: 1), filter = sampleTensor([3, 3, 4, 4], seed: 2)
        let bias = sampleTensor([4], seed: 3)
        let winograd = try valueAndGradients(.winograd4x4, input: input, filter: filter, bias: bias, padding: .same)
        let other = try valueAndGradients(.im2col, input: input, filter: filter * 1.001, bias: bias, padding: .same)
        XCTAssertGreaterThan(relativeError(winograd[0], other[0]), 1e-4)
    }

    func testMatchesTheReferenceAndSimulatedBackends() throws {
        let input = sampleTensor([2, 9, 7, 12], seed: 4), filter = sampleTensor([3, 3, 12, 9], seed: 5)
        let bias = sampleTensor([9], seed: 6)
        for padding in [Padding.same, .valid] {
            let reference = try valueAndGradients(.im2col, input: input, filter: filter, bias: bias, padding: padding, device: .reference)
            for (algorithm, tolerance) in Self.algorithms {
                for device in [Device.cpu, .simulated] {
                    let fast = try valueAndGradients(algorithm, input: input, filter: filter, bias: bias, padding: padding, device: device)
                    for (part, (a, b)) in zip(fast, reference).enumerated() {
                        XCTAssertLessThanOrEqual(relativeError(a, b), tolerance, "\(algorithm) on \(device) \(padding): part \(part)")
                    }
                }
            }
        }
    }

    /// Each vector path (portable C, AVX2, AVX-512; a path the processor lacks falls back to a narrower one)
    /// performs the same operations in the same order: results are bit-identical.
    func testVectorPathsGiveIdenticalResults() throws {
        let input = sampleTensor([2, 9, 10, 37], seed: 7), filter = sampleTensor([3, 3, 37, 21], seed: 8)
        let bias = sampleTensor([21], seed: 9)
        for (algorithm, _) in Self.algorithms {
            let results = try [1, 8, 16].map { width in
                try valueAndGradients(algorithm, input: input, filter: filter, bias: bias, padding: .same) {
                    $0.winogradVectorWidth = width
                }.map(\.scalars)
            }
            XCTAssertTrue(results[1] == results[0], "\(algorithm): AVX2 path differs from the portable path")
            XCTAssertTrue(results[2] == results[0], "\(algorithm): AVX-512 path differs from the portable path")
        }
    }

    /// Blocks of images go to whichever worker is free; the kernel gradient is summed per block in block
    /// order, so repeated runs give bit-identical gradients. Small chunks cut tiles across images.
    func testParallelGradientsAreBitIdenticalFromRunToRunAndMatchSerial() throws {
        let input = sampleTensor([12, 6, 7, 8], seed: 11), filter = sampleTensor([3, 3, 8, 6], seed: 12)
        let bias = sampleTensor([6], seed: 13)
        for (algorithm, tolerance) in Self.algorithms {
            let serial = try valueAndGradients(algorithm, input: input, filter: filter, bias: bias, padding: .same) {
                $0.threadCount = 1
            }
            func parallel() throws -> [Tensor] {
                try valueAndGradients(algorithm, input: input, filter: filter, bias: bias, padding: .same) {
                    $0.threadCount = Swift.max(2, $0.threadCount)
                    $0.convolutionParallelFlops = 0
                    $0.winogradChunkBytes = 5 * 36 * 14 * 4
                    $0.winogradGradientChunkBytes = 5 * 36 * 14 * 4
                }
            }
            let first = try parallel()
            for (a, b) in zip(first, serial) { XCTAssertLessThanOrEqual(relativeError(a, b), tolerance) }
            for run in 0..<20 {
                XCTAssertTrue(try parallel().map(\.scalars) == first.map(\.scalars), "\(algorithm) run \(run) differs")
            }
        }
    }

    func testGradientsMatchFiniteDifferences() throws {
        for algorithm in [ConvolutionAlgorithm.winograd2x2, .winograd4x4] {
            try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = algorithm }) {
                for padding in [Padding.same, .valid] {
                    try assertGradientsMatchFiniteDifferences(
                        [sampleTensor([2, 5, 6, 3]), sampleTensor([3, 3, 3, 2], seed: 2), sampleTensor([2], seed: 3)]) { x in
                        try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: x[2], padding: padding))
                    }
                }
            }
        }
    }

    func testAutomaticRuleKeepsIm2colWhereWinogradLoses() throws {
        func tile(_ input: [Int], window: (Int, Int) = (3, 3), strides: (Int, Int) = (1, 1), outChannels: Int) throws -> Int? {
            let geometry = try WindowGeometry(operation: "test", inputShape: input, window: window, strides: strides, padding: .same)
            return ConvolutionAlgorithm.automatic.winogradTile(for: geometry, outputChannels: outChannels)
        }
        XCTAssertNil(try tile([128, 32, 32, 3], outChannels: 64), "3 input channels")
        XCTAssertNil(try tile([128, 32, 32, 64], strides: (2, 2), outChannels: 64), "stride 2")
        XCTAssertNil(try tile([128, 32, 32, 64], window: (5, 5), outChannels: 64), "5×5")
        XCTAssertNil(try tile([128, 32, 32, 64], window: (1, 1), outChannels: 64), "1×1")
        XCTAssertEqual(try tile([128, 32, 32, 64], outChannels: 64), 4)
        XCTAssertEqual(try tile([128, 16, 16, 128], outChannels: 128), 4)
        XCTAssertEqual(try tile([128, 8, 8, 128], outChannels: 256), 4)
        XCTAssertNil(try tile([128, 32, 32, 16], outChannels: 64), "16 input channels")
        // 2×2 outputs: one F(4×4) tile is 36 products for 4 outputs, F(2×2) 16; 1×1: 16 > 9 direct.
        XCTAssertEqual(try tile([8, 2, 2, 64], outChannels: 64), 2)
        XCTAssertNil(try tile([8, 1, 1, 64], outChannels: 64), "1×1 output")
        XCTAssertNil(ConvolutionAlgorithm.im2col.winogradTile(
            for: try WindowGeometry(operation: "test", inputShape: [1, 8, 8, 64], window: (3, 3), strides: (1, 1), padding: .same),
            outputChannels: 64))
    }

    func testEnvironmentSettingIsParsedAndUnknownValuesFallBackToAutomatic() {
        func parse(_ text: String?) -> ConvolutionAlgorithm {
            EngineConfiguration.automaticConvolutionAlgorithm(environment: text.map { ["KESTREL_CONVOLUTION": $0] } ?? [:])
        }
        XCTAssertEqual(parse(nil), .automatic)
        XCTAssertEqual(parse("im2col"), .im2col)
        XCTAssertEqual(parse(" Winograd2x2 "), .winograd2x2)
        XCTAssertEqual(parse("winograd4x4"), .winograd4x4)
        XCTAssertEqual(parse("winograd8x8"), .automatic)
    }
}
