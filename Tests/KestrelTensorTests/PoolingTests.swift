import XCTest
@testable import KestrelTensor

final class PoolingTests: XCTestCase {
    /// A 4×4 single-channel image holding 0…15 row by row.
    private let ramp = try! Tensor(shape: [1, 4, 4, 1], scalars: (0..<16).map(Float.init))

    /// Distinct values (no ties, far apart) so finite differences never flip a window's maximum.
    private func distinct(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
        let count = shape.reduce(1, *)
        var generator = RandomGenerator(seed: seed)
        let order = (0..<count).shuffled(using: &generator)
        return try! Tensor(shape: shape, scalars: order.map { Float($0) * 0.1 - 1 })
    }

    func testMaxPoolKnownValues() throws {
        let output = try Tensor.maxPool2d(ramp, poolSize: (2, 2))
        XCTAssertEqual(output.shape, [1, 2, 2, 1])
        XCTAssertEqual(output.scalars, [5, 7, 13, 15])
    }

    func testMaxPoolSameIgnoresPadding() throws {
        let negative = ramp * -1  // the padded zeros must not win
        let output = try Tensor.maxPool2d(negative, poolSize: (3, 3), strides: (2, 2), padding: .same)
        XCTAssertEqual(output.shape, [1, 2, 2, 1])
        XCTAssertEqual(output.scalars, [-0, -2, -8, -10])
    }

    func testAveragePoolSameDividesByValidCount() throws {
        let output = try Tensor.avgPool2d(ramp, poolSize: (3, 3), strides: (2, 2), padding: .same)
        // 'same' with 4 → 2 outputs pads 1 at the end: windows rows {0,1,2} and {2,3}.
        XCTAssertEqual(output.shape, [1, 2, 2, 1])
        let expected: [Float] = [5, 6.5, 11, 12.5]
        for (value, target) in zip(output.scalars, expected) { XCTAssertEqual(value, target, accuracy: 1e-5) }
    }

    func testAveragePoolValidStrideOne() throws {
        let output = try Tensor.avgPool2d(ramp, poolSize: (2, 2), strides: (1, 1))
        XCTAssertEqual(output.shape, [1, 3, 3, 1])
        XCTAssertEqual(output.scalars, [2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5])
    }

    func testGlobalPools() throws {
        let input = try Tensor(shape: [1, 2, 2, 2], scalars: [1, 10, 2, 20, 3, 30, 4, 40])
        XCTAssertEqual(try Tensor.globalAveragePool2d(input).scalars, [2.5, 25])
        XCTAssertEqual(try Tensor.globalAveragePool2d(input, keepDims: true).shape, [1, 1, 1, 2])
        XCTAssertEqual(try Tensor.globalMaxPool2d(input).scalars, [4, 40])
    }

    func testMaxPoolGradients() throws {
        try assertGradientsMatchFiniteDifferences([distinct([2, 5, 5, 2])]) { x in
            try weightedSum(Tensor.maxPool2d(x[0], poolSize: (2, 2), strides: (2, 2), padding: .same))
        }
        try assertGradientsMatchFiniteDifferences([distinct([1, 5, 4, 3], seed: 2)]) { x in
            try weightedSum(Tensor.maxPool2d(x[0], poolSize: (3, 2), strides: (1, 1), padding: .valid))
        }
    }

    func testMaxPoolManyChannelsMatchesWindowMaximum() throws {
        // 9 channels: eight SIMD lanes plus a scalar tail.
        let input = distinct([2, 5, 5, 9], seed: 6)
        let output = try Tensor.maxPool2d(input, poolSize: (2, 2), strides: (2, 2), padding: .same)
        let x = input.scalars, y = output.scalars
        for image in 0..<2 {
            for row in 0..<3 {
                for column in 0..<3 {
                    for channel in 0..<9 {
                        var best = -Float.infinity
                        for i in (2 * row)..<min(2 * row + 2, 5) {
                            for j in (2 * column)..<min(2 * column + 2, 5) { best = max(best, x[((image * 5 + i) * 5 + j) * 9 + channel]) }
                        }
                        XCTAssertEqual(y[((image * 3 + row) * 3 + column) * 9 + channel], best)
                    }
                }
            }
        }
        try assertGradientsMatchFiniteDifferences([distinct([1, 4, 4, 9], seed: 7)]) { x in
            try weightedSum(Tensor.maxPool2d(x[0]))
        }
    }

    func testMaxPoolGradientGoesToFirstWinnerOfTiedWindows() throws {
        // Every window of 2×2 holds four equal values: the first (top-left) element wins and takes the
        // whole gradient; the others get 0, over 8 SIMD lanes + a tail and a stride-3 case with gaps.
        for (size, stride) in [(4, 2), (7, 3)] {
            let input = try Tensor(shape: [1, size, size, 9], scalars: [Float](repeating: 1.5, count: size * size * 9)).requiringGradient()
            let output = try Tensor.maxPool2d(input, poolSize: (2, 2), strides: (stride, stride))
            let weights = try Tensor(shape: output.shape, scalars: (0..<output.count).map { Float($0 + 1) })
            let grad = try gradient(of: (output * weights).sum(), wrt: [input])[0].scalars
            let outputSize = output.shape[1]
            for row in 0..<size {
                for column in 0..<size {
                    let winsWindow = row % stride == 0 && column % stride == 0 && row / stride < outputSize && column / stride < outputSize
                    for channel in 0..<9 {
                        let expected = winsWindow ? Float(((row / stride) * outputSize + column / stride) * 9 + channel + 1) : 0
                        XCTAssertEqual(grad[(row * size + column) * 9 + channel], expected, "size \(size) row \(row) column \(column) channel \(channel)")
                    }
                }
            }
        }
    }

    func testAveragePoolGradients() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 5, 5, 2])]) { x in
            try weightedSum(Tensor.avgPool2d(x[0], poolSize: (3, 3), strides: (2, 2), padding: .same))
        }
        try assertGradientsMatchFiniteDifferences([sampleTensor([1, 4, 6, 2], seed: 3)]) { x in
            try weightedSum(Tensor.avgPool2d(x[0], poolSize: (2, 3), strides: (1, 2), padding: .valid))
        }
    }

    func testGlobalPoolGradients() throws {
        try assertGradientsMatchFiniteDifferences([distinct([2, 3, 3, 2])]) { x in
            try weightedSum(Tensor.globalAveragePool2d(x[0])) + weightedSum(Tensor.globalMaxPool2d(x[0]), seed: 5)
        }
    }

    func testLargeBatchUsesParallelPathConsistently() throws {
        let input = distinct([8, 16, 16, 64])
        let tracked = input.requiringGradient()
        let output = try Tensor.maxPool2d(tracked)
        let grad = try gradient(of: output.sum(), wrt: [tracked])[0]
        XCTAssertEqual(try grad.sum().scalar, Float(output.count))
        let single = try Tensor.maxPool2d(try input.slice(rows: 5..<6))
        XCTAssertEqual(single.scalars, try output.slice(rows: 5..<6).scalars)
    }

    func testPoolingErrors() {
        assertThrowsShape(try Tensor.maxPool2d(try Tensor.zeros([4, 4, 3])), ["[4, 4, 3]"])
        assertThrowsShape(try Tensor.avgPool2d(try Tensor.zeros([1, 2, 2, 1]), poolSize: (3, 3)), ["[1, 2, 2, 1]"])
        assertThrowsShape(try Tensor.globalAveragePool2d(try Tensor.zeros([2, 3])), ["[2, 3]"])
        XCTAssertThrowsError(try Tensor.maxPool2d(try Tensor.zeros([1, 4, 4, 1]), poolSize: (0, 2)))
        XCTAssertThrowsError(try Tensor.maxPool2d(try Tensor.zeros([1, 4, 4, 1]), strides: (1, -1)))
    }
}
