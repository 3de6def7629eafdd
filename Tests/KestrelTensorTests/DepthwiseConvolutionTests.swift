import XCTest
@testable import KestrelTensor

/// A direct NHWC depthwise convolution in Float64 (TensorFlow's padding on the dilated window),
/// written independently of the engine's kernel, to check it against.
private func referenceDepthwise(_ input: Tensor, _ filter: Tensor, bias: Tensor?, strides: (Int, Int), same: Bool,
                                dilation: (Int, Int)) -> Tensor {
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (kh, kw, m) = (filter.shape[0], filter.shape[1], filter.shape[3])
    func axis(_ size: Int, _ k: Int, _ s: Int) -> (Int, Int) {
        if !same { return ((size - k) / s + 1, 0) }
        let out = (size + s - 1) / s
        return (out, max((out - 1) * s + k - size, 0) / 2)
    }
    let (oh, top) = axis(h, (kh - 1) * dilation.0 + 1, strides.0), (ow, left) = axis(w, (kw - 1) * dilation.1 + 1, strides.1)
    let x = input.scalars, f = filter.scalars, b = bias?.scalars
    var out = [Float](repeating: 0, count: n * oh * ow * c * m)
    for image in 0..<n {
        for row in 0..<oh {
            for column in 0..<ow {
                for channel in 0..<c {
                    for k in 0..<m {
                        var total = Double(b?[channel * m + k] ?? 0)
                        for i in 0..<kh {
                            for j in 0..<kw {
                                let y = row * strides.0 - top + i * dilation.0, xx = column * strides.1 - left + j * dilation.1
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                total += Double(x[((image * h + y) * w + xx) * c + channel]) * Double(f[((i * kw + j) * c + channel) * m + k])
                            }
                        }
                        out[((image * oh + row) * ow + column) * c * m + channel * m + k] = Float(total)
                    }
                }
            }
        }
    }
    return try! Tensor(shape: [n, oh, ow, c * m], scalars: out)  // shape computed from valid literal sizes
}

final class DepthwiseConvolutionTests: XCTestCase {
    func testKnownValuesTwoChannelsKeptApart() throws {
        // Channel 0 holds 1…9, channel 1 holds 10·(1…9); a 2×2 kernel sums the diagonal of channel 0
        // and takes the top-left value of channel 1 (times −1).
        let values = (1...9).flatMap { [Float($0), Float(10 * $0)] }
        let image = try Tensor(shape: [1, 3, 3, 2], scalars: values)
        let filter = try Tensor(shape: [2, 2, 2, 1], scalars: [1, -1, 0, 0, 0, 0, 1, 0])
        let output = try Tensor.depthwiseConv2d(image, filter: filter, bias: Tensor([0.5, 0]))
        XCTAssertEqual(output.shape, [1, 2, 2, 2])
        XCTAssertEqual(output.scalars, [6.5, -10, 8.5, -20, 12.5, -40, 14.5, -50])
    }

    func testMatchesDirectLoopsAcrossGeometriesMultipliersAndDilations() throws {
        let cases: [(kernel: (Int, Int), strides: (Int, Int), same: Bool, multiplier: Int, dilation: (Int, Int))] = [
            ((3, 3), (1, 1), true, 1, (1, 1)), ((3, 3), (1, 1), false, 2, (1, 1)), ((2, 2), (2, 2), true, 1, (1, 1)),
            ((4, 4), (2, 2), true, 3, (1, 1)), ((3, 2), (2, 1), false, 1, (1, 1)), ((1, 1), (1, 1), false, 2, (1, 1)),
            ((3, 3), (1, 1), true, 1, (2, 2)), ((2, 3), (1, 1), false, 2, (2, 1)), ((5, 5), (3, 3), true, 1, (1, 1)),
        ]
        for (index, testCase) in cases.enumerated() {
            // 11 channels: the SIMD8 loop and its scalar tail both run.
            let input = sampleTensor([2, 7, 6, 11], seed: UInt64(index))
            let filter = sampleTensor([testCase.kernel.0, testCase.kernel.1, 11, testCase.multiplier], seed: UInt64(index + 50))
            let bias = sampleTensor([11 * testCase.multiplier], seed: UInt64(index + 100))
            let output = try Tensor.depthwiseConv2d(input, filter: filter, bias: bias, strides: testCase.strides,
                                                    padding: testCase.same ? .same : .valid, dilation: testCase.dilation)
            let expected = referenceDepthwise(input, filter, bias: bias, strides: testCase.strides, same: testCase.same,
                                              dilation: testCase.dilation)
            XCTAssertEqual(output.shape, expected.shape, "case \(index)")
            XCTAssertLessThan(maxDifference(output, expected), 1e-5, "case \(index)")
        }
    }

    func testEqualsAFullConvolutionWithABlockDiagonalKernel() throws {
        // A depthwise kernel is a Conv2D kernel that is zero between different channels.
        let input = sampleTensor([2, 6, 5, 3], seed: 4), filter = sampleTensor([3, 3, 3, 2], seed: 5)
        var full = [Float](repeating: 0, count: 3 * 3 * 3 * 6)
        for tap in 0..<9 {
            for channel in 0..<3 {
                for m in 0..<2 { full[(tap * 3 + channel) * 6 + channel * 2 + m] = filter.scalars[(tap * 3 + channel) * 2 + m] }
            }
        }
        let dense = try Tensor.conv2d(input, filter: try Tensor(shape: [3, 3, 3, 6], scalars: full), strides: (2, 1), padding: .same)
        let depthwise = try Tensor.depthwiseConv2d(input, filter: filter, strides: (2, 1), padding: .same)
        XCTAssertLessThan(maxDifference(dense, depthwise), 1e-5)
    }

    func testGradientsUnitMultiplierValid() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 5, 4, 3]), sampleTensor([3, 3, 3, 1], seed: 2), sampleTensor([3], seed: 3)]) { x in
            try weightedSum(Tensor.depthwiseConv2d(x[0], filter: x[1], bias: x[2]))
        }
    }

    func testGradientsMultiplierStridedSame() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 5, 6, 2]), sampleTensor([2, 4, 2, 3], seed: 2), sampleTensor([6], seed: 3)]) { x in
            try weightedSum(Tensor.depthwiseConv2d(x[0], filter: x[1], bias: x[2], strides: (2, 3), padding: .same))
        }
    }

    func testGradientsDilatedSameWithoutBias() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([1, 6, 5, 9]), sampleTensor([3, 2, 9, 2], seed: 4)]) { x in
            try weightedSum(Tensor.depthwiseConv2d(x[0], filter: x[1], padding: .same, dilation: (2, 2)))
        }
    }

    func testGradientsUnitMultiplierDilatedSameEvenKernel() throws {
        // Unit stride and multiplier: the input gradient takes the flipped-kernel forward path.
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 6, 5, 10]), sampleTensor([2, 3, 10, 1], seed: 5), sampleTensor([10], seed: 6)]) { x in
            try weightedSum(Tensor.depthwiseConv2d(x[0], filter: x[1], bias: x[2], padding: .same, dilation: (2, 1)))
        }
    }

    func testParallelPathMatchesSerialPath() throws {
        // Multiplier 2 strided (the scatter input gradient) and multiplier 1 unit stride (the flipped-kernel one).
        for (multiplier, strides) in [(2, (2, 1)), (1, (1, 1))] {
            let input = sampleTensor([5, 9, 9, 10], seed: 7), filter = sampleTensor([3, 3, 10, multiplier], seed: 8)
            let bias = sampleTensor([10 * multiplier], seed: 9)
            func valueAndGradients() throws -> [Tensor] {
                let tracked = [input, filter, bias].map { $0.requiringGradient() }
                let output = try Tensor.depthwiseConv2d(tracked[0], filter: tracked[1], bias: tracked[2], strides: strides, padding: .same)
                return [output] + (try gradient(of: weightedSum(output), wrt: tracked))
            }
            let serial = try EngineConfiguration.withChanges({ $0.threadCount = 1 }, valueAndGradients)
            let parallel = try EngineConfiguration.withChanges({
                $0.threadCount = 3  // three workers over five images, even on a one-core machine
                $0.convolutionParallelFlops = 0
            }, valueAndGradients)
            let expected = referenceDepthwise(input, filter, bias: bias, strides: strides, same: true, dilation: (1, 1))
            XCTAssertLessThan(maxDifference(serial[0], expected), 1e-5, "multiplier \(multiplier)")
            for (a, b) in zip(serial, parallel) { XCTAssertLessThan(maxDifference(a, b), 1e-4, "multiplier \(multiplier)") }
        }
    }

    func testWrongShapesAndArgumentsThrow() {
        let input = sampleTensor([1, 5, 5, 3])
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 2, 1]))) { error in
            XCTAssertTrue("\(error)".contains("3 channels"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 3, 2]), bias: sampleTensor([3])))
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 3])))
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 3, 1]), dilation: (0, 1)))
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 3, 1]), dilation: (3, 1))) { error in
            XCTAssertTrue("\(error)".contains("larger than"), "a 7-tall dilated window does not fit 5 rows: \(error)")
        }
        XCTAssertThrowsError(try Tensor.depthwiseConv2d(input, filter: sampleTensor([3, 3, 3, 1]), dilation: (Int.max, 1)))
    }
}
