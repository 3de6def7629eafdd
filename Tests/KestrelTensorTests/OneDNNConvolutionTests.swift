#if OneDNN
import XCTest
@testable import KestrelTensor

/// The oneDNN convolution path (`OneDNN` trait) against the reference backend: forward, input gradient,
/// kernel gradient and bias gradient, for every oneDNN variant on shapes with odd sizes, 1×1 windows,
/// strides and 'valid'/'same' padding, on 1 and 2 threads.
///
/// Each case first asks oneDNN for its primitive, so a variant that silently fell back to im2col
/// cannot pass as oneDNN: direct convolution must exist for every case; Winograd (AVX-512 only, 3×3
/// stride 1 in oneDNN 2.6) is checked where oneDNN has it. Tolerance: `|oneDNN − reference| ≤ 1e-4 ·
/// max(1, |reference|)` for every variant (the differential tests' tolerance for convolutions: Float sums
/// of a few hundred terms against Double). Winograd's transforms add rounding error: on inputs of
/// realistic scale its worst relative error measured 2.5e-5 against direct's 5.6e-6
/// (`testWinogradErrorIsMeasuredAndBounded` prints both).
final class OneDNNConvolutionTests: XCTestCase {
    private struct Case {
        let input: [Int]
        let window: (Int, Int)
        let outChannels: Int
        let strides: (Int, Int)
        let padding: Padding
    }

    private let cases = [
        Case(input: [2, 5, 7, 3], window: (3, 3), outChannels: 4, strides: (1, 1), padding: .same),
        Case(input: [3, 7, 5, 2], window: (3, 3), outChannels: 5, strides: (1, 1), padding: .valid),
        Case(input: [2, 9, 8, 3], window: (3, 3), outChannels: 3, strides: (2, 2), padding: .same),
        Case(input: [1, 7, 6, 2], window: (3, 2), outChannels: 3, strides: (2, 1), padding: .valid),
        Case(input: [2, 4, 5, 6], window: (1, 1), outChannels: 7, strides: (1, 1), padding: .valid),
        Case(input: [3, 6, 6, 5], window: (2, 2), outChannels: 4, strides: (1, 1), padding: .same),  // even window: pad after
        Case(input: [4, 12, 12, 16], window: (3, 3), outChannels: 16, strides: (1, 1), padding: .same),
    ]

    private let variants: [OneDNNConvolutionVariant] = [
        .init(.direct, .nhwc), .init(.direct, .any), .init(.winograd, .any), .init(.automatic, .any),
    ]

    /// Forward and the three gradients on `device` through `route`: `[output, dInput, dKernel, dBias]`.
    private func results(_ device: Device, _ route: OneDNNConvolutionRoute, _ testCase: Case, threads: Int,
                         seed: UInt64) throws -> [Tensor] {
        let input = sampleTensor(testCase.input, seed: seed)
        let filter = sampleTensor([testCase.window.0, testCase.window.1, testCase.input[3], testCase.outChannels], seed: seed + 1)
        let bias = sampleTensor([testCase.outChannels], seed: seed + 2)
        return try EngineConfiguration.withChanges({ $0.device = device; $0.threadCount = threads; $0.convolutionAlgorithm = .oneDNN }) {
            try OneDNNConvolution.$route.withValue(route) {
                let tracked = [input, filter, bias].map { $0.to(device).requiringGradient() }
                let output = try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], strides: testCase.strides,
                                               padding: testCase.padding)
                let gradients = try gradient(of: weightedSum(output), wrt: tracked)
                return ([output.detached] + gradients).map { $0.to(.cpu) }
            }
        }
    }

    /// The worst `|a − e| / max(1, |e|)` over all elements.
    private func worstError(_ actual: Tensor, _ expected: Tensor) -> Float {
        XCTAssertEqual(actual.shape, expected.shape)
        return zip(actual.scalars, expected.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }

    /// Whether oneDNN has a primitive for every pass of `testCase` in `variant`.
    private func available(_ variant: OneDNNConvolutionVariant, _ testCase: Case) -> Bool {
        OneDNNConvolutionPass.allCases.allSatisfy { pass in
            let filter = [testCase.window.0, testCase.window.1, testCase.input[3], testCase.outChannels]
            return (try? OneDNNConvolution.implementation(inputShape: testCase.input, filterShape: filter,
                                                          strides: testCase.strides, padding: testCase.padding,
                                                          pass: pass, variant: variant, bias: true)) != nil
        }
    }

    func testEveryVariantMatchesTheReferenceBackend() throws {
        var checked: [String] = []
        for threads in [1, 2] {
            for (index, testCase) in cases.enumerated() {
                let expected = try results(.reference, .measured, testCase, threads: threads, seed: UInt64(10 * index))
                for variant in variants {
                    guard available(variant, testCase) else {
                        XCTAssertNotEqual(variant.algorithm, .direct, "oneDNN has no direct primitive for case \(index)")
                        continue
                    }
                    let actual = try results(.cpu, .oneDNN(variant), testCase, threads: threads, seed: UInt64(10 * index))
                                        for (name, (a, e)) in zip(["output", "input gradient", "kernel gradient", "bias gradient"], zip(actual, expected)) {
                        XCTAssertLessThanOrEqual(worstError(a, e), 1e-4, "case \(index) \(variant) \(threads) thread(s): \(name)")
                    }
                    checked.append("\(index) \(variant)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked.count, 2 * 2 * cases.count, "direct/nhwc and direct/any must run every case")
    }

    func testMeasuredRouteMatchesTheReferenceBackend() throws {
        for (index, testCase) in cases.enumerated() {
            let expected = try results(.reference, .measured, testCase, threads: 2, seed: UInt64(7 + index))
            let actual = try results(.cpu, .measured, testCase, threads: 2, seed: UInt64(7 + index))
            for (a, e) in zip(actual, expected) { XCTAssertLessThanOrEqual(worstError(a, e), 1e-4, "case \(index)") }
        }
    }

    /// The measured route on a shape it gives to Winograd (3×3, 64 → 64 channels, 16×16, batch 16),
    /// against im2col on the same CPU backend (im2col is checked against the reference backend above and
    /// in `OperationDifferentialTests`; the Double reference is too slow at this size in a debug build).
    func testMeasuredWinogradShapeMatchesIm2col() throws {
        let testCase = Case(input: [16, 16, 16, 64], window: (3, 3), outChannels: 64, strides: (1, 1), padding: .same)
        let geometry = try WindowGeometry(operation: "test", inputShape: testCase.input, window: testCase.window,
                                          strides: testCase.strides, padding: testCase.padding)
        XCTAssertEqual(OneDNNConvolution.measuredVariant(geometry, outputChannels: 64, pass: .forward, threads: 2),
                       OneDNNConvolutionVariant(.winograd, .any))
        XCTAssertNil(OneDNNConvolution.measuredVariant(geometry, outputChannels: 64, pass: .filterGradient, threads: 2))
        try XCTSkipUnless(available(OneDNNConvolutionVariant(.winograd, .any), testCase), "oneDNN 2.6 has Winograd only on AVX-512")
        let expected = try results(.cpu, .im2col, testCase, threads: 2, seed: 31)
        let actual = try results(.cpu, .measured, testCase, threads: 2, seed: 31)
        let errors = zip(actual, expected).map { worstError($0, $1) }
        print("measured route (Winograd) against im2col, worst relative error (output, dX, dW, dB): \(errors)")
        for (name, error) in zip(["output", "input gradient", "kernel gradient", "bias gradient"], errors) {
            XCTAssertLessThanOrEqual(error, 1e-4, name)
        }
        XCTAssertEqual(actual[2].scalars, expected[2].scalars, "the kernel gradient stays on im2col for this shape")
    }

    /// A variant oneDNN has no primitive for (Winograd of a 3×2 window, stride 2) falls back to im2col
    /// and still gives the right results: no trap, no wrong numbers.
    func testVariantWithoutPrimitiveFallsBackToIm2col() throws {
        let testCase = cases[3], winograd = OneDNNConvolutionVariant(.winograd, .any)
        XCTAssertThrowsError(try OneDNNConvolution.implementation(
            inputShape: testCase.input, filterShape: [3, 2, 2, 3], strides: testCase.strides, padding: testCase.padding,
            pass: .forward, variant: winograd, bias: true))
        let expected = try results(.reference, .measured, testCase, threads: 2, seed: 5)
        let actual = try results(.cpu, .oneDNN(winograd), testCase, threads: 2, seed: 5)
        for (a, e) in zip(actual, expected) { XCTAssertLessThanOrEqual(worstError(a, e), 1e-4) }
    }

    /// oneDNN's kernel gradient on 2 threads (its threads reduce partial sums) is bit-identical from run
    /// to run, so a seeded fit that uses it repeats exactly.
    func testKernelGradientIsBitIdenticalFromRunToRunOnTwoThreads() throws {
        let testCase = cases[6]
        for variant in variants where available(variant, testCase) {
            let first = try results(.cpu, .oneDNN(variant), testCase, threads: 2, seed: 3)
            for run in 0..<10 {
                let again = try results(.cpu, .oneDNN(variant), testCase, threads: 2, seed: 3)
                XCTAssertTrue(zip(first, again).allSatisfy { $0.scalars == $1.scalars }, "\(variant) run \(run) differs")
            }
        }
    }

    /// Winograd's error on inputs of realistic scale (uniform [-1, 1) images, kernel weights ~0.05) on
    /// the seed CNN's middle shape, printed and bounded; direct on the same data for comparison.
    func testWinogradErrorIsMeasuredAndBounded() throws {
        let testCase = Case(input: [2, 16, 16, 32], window: (3, 3), outChannels: 32, strides: (1, 1), padding: .same)
        let winograd = OneDNNConvolutionVariant(.winograd, .any)
        try XCTSkipUnless(available(winograd, testCase), "oneDNN 2.6 has Winograd only on AVX-512")
        let expected = try results(.reference, .measured, testCase, threads: 2, seed: 21)
        for variant in [OneDNNConvolutionVariant(.direct, .nhwc), winograd] {
            let actual = try results(.cpu, .oneDNN(variant), testCase, threads: 2, seed: 21)
            let errors = zip(actual, expected).map { worstError($0, $1) }
            print("oneDNN \(variant) worst relative error (output, dX, dW, dB): \(errors)")
            XCTAssertLessThanOrEqual(errors.max() ?? 0, 1e-4)
        }
    }
}
#endif
