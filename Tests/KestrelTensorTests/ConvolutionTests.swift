import XCTest
@testable import KestrelTensor

final class ConvolutionTests: XCTestCase {
    private let image3x3 = try! Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    private let diagonal2x2 = try! Tensor(shape: [2, 2, 1, 1], scalars: [1, 0, 0, 1])

    func testValidConvolutionOfKnownImage() throws {
        let output = try Tensor.conv2d(image3x3, filter: diagonal2x2, bias: nil)
        XCTAssertEqual(output.shape, [1, 2, 2, 1])
        XCTAssertEqual(output.scalars, [6, 8, 12, 14])
    }

    func testSamePaddingWithEvenKernelPadsBottomRight() throws {
        let output = try Tensor.conv2d(image3x3, filter: diagonal2x2, bias: Tensor([10]), padding: .same)
        XCTAssertEqual(output.shape, [1, 3, 3, 1])
        XCTAssertEqual(output.scalars, [16, 18, 13, 22, 24, 16, 17, 18, 19])
    }

    func testStridedSameOutputSize() throws {
        let input = try Tensor.zeros([2, 7, 8, 3]), filter = try Tensor.zeros([3, 3, 3, 5])
        XCTAssertEqual(try Tensor.conv2d(input, filter: filter, strides: (2, 3), padding: .same).shape, [2, 4, 3, 5])
        XCTAssertEqual(try Tensor.conv2d(input, filter: filter, strides: (2, 3), padding: .valid).shape, [2, 3, 2, 5])
    }

    func testMatchesDirectConvolutionAcrossGeometries() throws {
        let cases: [(kernel: (Int, Int), strides: (Int, Int), same: Bool)] = [
            ((3, 3), (1, 1), true), ((3, 3), (1, 1), false), ((2, 2), (2, 2), true), ((4, 4), (2, 2), true),
            ((3, 2), (2, 1), false), ((1, 1), (1, 1), false), ((1, 1), (2, 2), true), ((5, 5), (3, 3), true),
        ]
        for (index, testCase) in cases.enumerated() {
            let input = sampleTensor([2, 7, 6, 3], seed: UInt64(index))
            let filter = sampleTensor([testCase.kernel.0, testCase.kernel.1, 3, 4], seed: UInt64(index + 50))
            let bias = sampleTensor([4], seed: UInt64(index + 100))
            let output = try Tensor.conv2d(input, filter: filter, bias: bias, strides: testCase.strides,
                                           padding: testCase.same ? .same : .valid)
            let expected = referenceConv2d(input, filter, bias: bias, strides: testCase.strides, same: testCase.same)
            XCTAssertEqual(output.shape, expected.shape, "case \(index)")
            XCTAssertLessThan(maxDifference(output, expected), 1e-4, "case \(index)")
        }
    }

    func testParallelChunkedPathMatchesSerialPath() throws {
        let input = sampleTensor([3, 9, 9, 4], seed: 7), filter = sampleTensor([3, 3, 4, 5], seed: 8)
        let bias = sampleTensor([5], seed: 9)
        func valueAndGradients() throws -> [Tensor] {
            let tracked = [input, filter, bias].map { $0.requiringGradient() }
            let output = try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], strides: (2, 1), padding: .same)
            return [output] + (try gradient(of: weightedSum(output), wrt: tracked))
        }
        let serial = try valueAndGradients()
        let parallel = try EngineConfiguration.withChanges({
            $0.threadCount = Swift.max(2, $0.threadCount)  // split even on a one-core machine
            $0.convolutionParallelFlops = 0
            $0.convolutionColumnChunkBytes = 7 * 36 * 4  // 7 positions per chunk: chunks cut across image rows
        }, valueAndGradients)
        for (a, b) in zip(serial, parallel) { XCTAssertLessThan(maxDifference(a, b), 1e-4) }
    }

    /// With several workers the blocks of images go to whichever worker is free, but the kernel
    /// gradient is summed per block in block order: the same inputs give bit-identical gradients on
    /// every run (a seeded CNN fit repeats exactly). Summed per worker, the order changed with timing.
    func testParallelKernelGradientIsBitIdenticalFromRunToRun() throws {
        let input = sampleTensor([16, 6, 6, 3], seed: 11), filter = sampleTensor([3, 3, 3, 8], seed: 12)
        let bias = sampleTensor([8], seed: 13)
        func gradients() throws -> [[Float]] {
            let tracked = [input, filter, bias].map { $0.requiringGradient() }
            let output = try Tensor.conv2d(tracked[0], filter: tracked[1], bias: tracked[2], padding: .same)
            return try gradient(of: weightedSum(output), wrt: tracked).map(\.scalars)
        }
        try EngineConfiguration.withChanges({
            $0.threadCount = Swift.max(2, $0.threadCount)
            $0.convolutionParallelFlops = 0
            $0.convolutionColumnChunkBytes = 36 * 27 * 4  // one image per task: 16 tasks, 8 blocks for 2 workers
            $0.convolutionFilterGradientChunkBytes = 36 * 27 * 4
        }) {
            let first = try gradients()
            for run in 0..<40 {
                let again = try gradients()
                XCTAssertTrue(again == first, "run \(run): gradients differ from the first run's in their last bits")
            }
        }
    }

    func testGradientsValidStrideOne() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 5, 4, 2]), sampleTensor([3, 3, 2, 3], seed: 2), sampleTensor([3], seed: 3)]) { x in
            try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: x[2]))
        }
    }

    func testGradientsSameEvenKernelStrided() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 5, 6, 2]), sampleTensor([2, 4, 2, 2], seed: 2), sampleTensor([2], seed: 3)]) { x in
            try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: x[2], strides: (2, 3), padding: .same))
        }
    }

    func testGradientsSameEvenKernelUnitStride() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([2, 4, 5, 2]), sampleTensor([2, 4, 2, 3], seed: 4)]) { x in
            try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: nil, padding: .same))
        }
    }

    func testInputGradientPathsAgree() throws {
        let input = sampleTensor([3, 6, 7, 3], seed: 12).requiringGradient()
        for (kernel, padding) in [((3, 3), Padding.same), ((2, 4), .same), ((3, 2), .valid)] {
            let filter = sampleTensor([kernel.0, kernel.1, 3, 4], seed: 13)
            func inputGradient(transposed: Bool) throws -> Tensor {
                try EngineConfiguration.withChanges({ $0.transposedConvolutionInputGradient = transposed }) {
                    try gradient(of: weightedSum(Tensor.conv2d(input, filter: filter, padding: padding)), wrt: [input])[0]
                }
            }
            XCTAssertLessThan(maxDifference(try inputGradient(transposed: true), try inputGradient(transposed: false)), 1e-4)
        }
    }

    func testGradientsSameOddKernel() throws {
        try assertGradientsMatchFiniteDifferences([sampleTensor([1, 4, 4, 3]), sampleTensor([3, 3, 3, 2], seed: 5)]) { x in
            try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: nil, padding: .same))
        }
    }

    func testGradientsPointwise() throws {
        try assertGradientsMatchFiniteDifferences(
            [sampleTensor([2, 3, 3, 3]), sampleTensor([1, 1, 3, 2], seed: 6), sampleTensor([2], seed: 7)]) { x in
            try weightedSum(Tensor.conv2d(x[0], filter: x[1], bias: x[2], padding: .same))
        }
    }

    func testGradientOnlyForFilterSkipsInput() throws {
        let filter = sampleTensor([2, 2, 1, 1]).requiringGradient()
        let output = try Tensor.conv2d(image3x3, filter: filter, bias: nil)
        let gradients = try gradient(of: output.sum(), wrt: [filter])
        XCTAssertEqual(gradients[0].scalars, [12, 16, 24, 28])  // sums of the four 2×2 windows
    }

    func testShapeErrorsNameTheShapes() throws {
        let input = try Tensor.zeros([1, 4, 4, 3])
        assertThrowsShape(try Tensor.conv2d(try Tensor.zeros([4, 4, 3]), filter: try Tensor.zeros([3, 3, 3, 2])), ["[4, 4, 3]"])
        assertThrowsShape(try Tensor.conv2d(input, filter: try Tensor.zeros([3, 3, 3])), ["[3, 3, 3]"])
        assertThrowsShape(try Tensor.conv2d(input, filter: try Tensor.zeros([3, 3, 2, 5])), ["[1, 4, 4, 3]", "[3, 3, 2, 5]"])
        assertThrowsShape(try Tensor.conv2d(input, filter: try Tensor.zeros([3, 3, 3, 5]), bias: try Tensor.zeros([4])), ["[4]", "[5]"])
        assertThrowsShape(try Tensor.conv2d(input, filter: try Tensor.zeros([5, 5, 3, 1])), ["[1, 4, 4, 3]"])
        XCTAssertThrowsError(try Tensor.conv2d(input, filter: try Tensor.zeros([3, 3, 3, 1]), strides: (0, 1))) { error in
            XCTAssertTrue(error is KestrelError)
        }
        XCTAssertThrowsError(try Tensor.conv2d(input, filter: try Tensor.zeros([0, 3, 3, 1]))) { error in
            XCTAssertTrue(error is KestrelError)
        }
    }

    func testEmptyBatchAndChannels() throws {
        let emptyBatch = try Tensor.conv2d(try Tensor.zeros([0, 4, 4, 2]), filter: try Tensor.ones([3, 3, 2, 5]), padding: .same)
        XCTAssertEqual(emptyBatch.shape, [0, 4, 4, 5])
        let noChannels = try Tensor.conv2d(try Tensor.zeros([2, 4, 4, 0]), filter: try Tensor.ones([3, 3, 0, 2]), bias: Tensor([1, 2]))
        XCTAssertEqual(noChannels.scalars, [Float](repeating: 0, count: 16).enumerated().map { $0.offset % 2 == 0 ? 1 : 2 })
        let pooled = try Tensor.maxPool2d(try Tensor.zeros([0, 4, 4, 3]))
        XCTAssertEqual(pooled.shape, [0, 2, 2, 3])
    }

    func testPaddingParsesKerasStrings() {
        XCTAssertEqual(Padding(rawValue: "same"), .same)
        XCTAssertEqual(Padding(rawValue: "valid"), .valid)
        XCTAssertNil(Padding(rawValue: "causal"))
    }
}

/// Asserts that `expression` throws a `KestrelError` whose message contains every one of `fragments`.
func assertThrowsShape<T>(_ expression: @autoclosure () throws -> T, _ fragments: [String],
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard let error = error as? KestrelError else {
            return XCTFail("expected a KestrelError, got \(error)", file: file, line: line)
        }
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks \(fragment)", file: file, line: line)
        }
    }
}
