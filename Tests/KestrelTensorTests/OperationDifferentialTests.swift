import XCTest
@testable import KestrelTensor

/// Differential tests of every engine operation that runs a backend kernel: the operation and its
/// gradient run on `Device.cpu` (`CPUBackend`), on `Device.simulated` (the simulated discrete device,
/// whose memory only its backend reaches) and on `Device.reference` (`ReferenceBackend`), on seeded
/// random shapes (several per operation, with sizes of 1 and odd sizes), and must agree.
///
/// The gradient compared is that of `Σ w·op(x)` for fixed random weights `w`, so every input's
/// gradient is exercised with a non-uniform output gradient. Tolerance: `|fast − reference| ≤
/// tolerance · max(1, |reference|)` with 2e-5 for elementwise kernels, softmax and losses and 1e-4
/// for sums, products and convolutions (Float accumulation over up to a few hundred terms against
/// Double); a wrong index or formula is off by orders of magnitude more.
final class OperationDifferentialTests: XCTestCase {
    private var generator = RandomGenerator(seed: 16)

    private func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * generator.nextUniform() }
    private func size(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.nextUniform() * Float(range.count)) % range.count }

    private func random(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) throws -> Tensor {
        try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in uniform(low, high) })
    }

    /// Random shapes of rank 1–4 with dimensions in 1...7 (odd sizes and 1 included), plus fixed edge cases.
    private func shapes(count: Int = 5) -> [[Int]] {
        var result: [[Int]] = [[1], [1, 1], [13], [3, 5]]
        for _ in 0..<count {
            let rank = size(1...4)
            result.append((0..<rank).map { _ in size(1...7) })
        }
        return result
    }

    /// Runs `operation` with its gradient on `device` (inputs moved there, new tensors made there): the
    /// output and the gradient of `Σ weights·output` with respect to each input (nil gradients when
    /// `differentiable` is false); all results are on `device`.
    private func run(_ device: Device, _ inputs: [Tensor], weights: Tensor?, differentiable: Bool,
                     _ operation: ([Tensor]) throws -> Tensor) throws -> (Tensor, [Tensor]) {
        try EngineConfiguration.withChanges({ $0.device = device }) {
            let moved = inputs.map { $0.to(device) }
            let tracked = differentiable ? moved.map { $0.requiringGradient() } : moved
            let output = try operation(tracked)
            XCTAssertEqual(output.device, device)
            guard differentiable, let weights else { return (output.detached, []) }
            let loss = try (output * weights.to(device)).sum()
            return (output.detached, try gradient(of: loss, wrt: tracked))
        }
    }

    private func assertClose(_ fast: Tensor, _ reference: Tensor, tolerance: Float, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(fast.shape, reference.shape, message, file: file, line: line)
        var worst: Float = 0, worstIndex = 0
        for (index, (a, e)) in zip(fast.scalars, reference.scalars).enumerated() {
            if a.isNaN || e.isNaN {
                if a.isNaN != e.isNaN { return XCTFail("\(message): element \(index) is \(a), reference \(e)", file: file, line: line) }
                continue
            }
            if a == e { continue }
            let error = abs(a - e) / max(1, abs(e))
            if !(error <= worst) { worst = error; worstIndex = index }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): worst element \(worstIndex)", file: file, line: line)
    }

    /// Compares `operation` and its gradient on both backends.
    private func check(_ name: String, _ inputs: [Tensor], tolerance: Float = 2e-5, differentiable: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line,
                       _ operation: ([Tensor]) throws -> Tensor) throws {
        let probe = try run(.cpu, inputs, weights: nil, differentiable: false, operation).0
        let weights = try random(probe.shape, 0.5, 1.5)
        let (fast, fastGradients) = try run(.cpu, inputs, weights: weights, differentiable: differentiable, operation)
        let (plain, plainGradients) = try run(.reference, inputs, weights: weights, differentiable: differentiable, operation)
        let (simulated, simulatedGradients) = try run(.simulated, inputs, weights: weights, differentiable: differentiable,
                                                      operation)
        let shapes = inputs.map(\.shape)
        for (label, output, gradients) in [("cpu", fast, fastGradients), ("simulated", simulated, simulatedGradients)] {
            assertClose(output, plain, tolerance: tolerance, "\(name) \(shapes) forward on \(label)", file: file, line: line)
            XCTAssertEqual(gradients.count, plainGradients.count, file: file, line: line)
            for (index, (a, b)) in zip(gradients, plainGradients).enumerated() {
                assertClose(a, b, tolerance: tolerance, "\(name) \(shapes) gradient \(index) on \(label)", file: file, line: line)
            }
        }
    }

    func testOperationsRunOnTheirOperandsDevice() throws {
        XCTAssertTrue(Tensor([1]).backend is HostBackend<CPUBackend>)
        XCTAssertTrue(Tensor([1]).to(.reference).backend is HostBackend<ReferenceBackend>)
        XCTAssertTrue(EngineConfiguration.withChanges({ $0.device = .simulated }) { Tensor([1]).backend is SimulatedDeviceBackend })
        // The reference backend sums in Double: 1 + 1e-8·n differs from the Float running total.
        let values = try Tensor([1] + [Float](repeating: 1e-8, count: 1000))
        XCTAssertEqual(try values.to(.reference).sum().scalar, Float(1.00001))
        XCTAssertEqual(try values.to(.reference).sum().device, .reference)
        XCTAssertNotEqual(try values.sum().scalar, Float(1.00001), "the CPU backend sums in Float")
    }

    func testUnaryOperations() throws {
        for shape in shapes() {
            let x = try random(shape, -3, 3), positive = try random(shape, 0.1, 3)
            try check("exp", [x]) { $0[0].exp() }
            try check("log", [positive]) { $0[0].log() }
            try check("sqrt", [positive]) { $0[0].sqrt() }
            try check("squared", [x]) { $0[0].squared() }
            try check("pow 3", [x]) { $0[0].pow(3) }
            try check("pow 0.5", [positive]) { $0[0].pow(0.5) }
            try check("abs", [x]) { $0[0].abs() }
            try check("relu", [x]) { $0[0].relu() }
            try check("sigmoid", [x]) { $0[0].sigmoid() }
            try check("tanh", [x]) { $0[0].tanh() }
            try check("clipped", [x]) { $0[0].clipped(lower: -1, upper: 0.5) }
            try check("addingScalar", [x]) { $0[0] + 1.5 }
            try check("scaled", [x]) { $0[0] * -2.5 }
            try check("1 - x", [x]) { 1 - $0[0] }
        }
        // Large enough for the CPU backend to split across threads.
        let large = try random([2 * CPUBackend.unaryElementsPerThread + 5])
        try check("relu (threads)", [large]) { $0[0].relu() }
        try check("tanh (threads)", [large]) { $0[0].tanh() }
    }

    /// Operand shape pairs that broadcast: equal, trailing, middle-1, scalar, both-sided.
    private func broadcastPairs() -> [([Int], [Int])] {
        var pairs: [([Int], [Int])] = [([1], [1]), ([5], [1]), ([1], [5]), ([3, 1, 5], [4, 1]), ([2, 3], [3, 2, 1]), ([], [3])]
        for shape in shapes(count: 4) {
            pairs.append((shape, shape))
            pairs.append((shape, Array(shape.dropFirst())))
            pairs.append((shape.map { _ in 1 } + [1], shape))
            pairs.append((shape.enumerated().map { $0.offset % 2 == 0 ? 1 : $0.element }, shape))
        }
        return pairs
    }

    func testBroadcastingBinaryOperations() throws {
        for (shapeA, shapeB) in broadcastPairs() {
            let a = try random(shapeA, -2, 2), b = try random(shapeB, -2, 2)
            let denominator = try random(shapeB, 0.5, 2)
            try check("add", [a, b], tolerance: 1e-4) { try $0[0] + $0[1] }
            try check("subtract", [a, b], tolerance: 1e-4) { try $0[0] - $0[1] }
            try check("multiply", [a, b], tolerance: 1e-4) { try $0[0] * $0[1] }
            try check("divide", [a, denominator], tolerance: 1e-4) { try $0[0] / $0[1] }
            try check("maximum", [a, b], tolerance: 1e-4) { try $0[0].maximum($0[1]) }
            try check("minimum", [a, b], tolerance: 1e-4) { try $0[0].minimum($0[1]) }
            let condition = try a.greater(Tensor(scalar: 0))
            try check("where", [a, b], tolerance: 1e-4) { try Tensor.where(condition.to($0[0].device), $0[0], $0[1]) }
            let rounded = a.mapped { ($0 * 2).rounded() }, other = b.mapped { ($0 * 2).rounded() }
            for (name, compare) in [("greater", Tensor.greater), ("greaterEqual", Tensor.greaterEqual), ("less", Tensor.less),
                                    ("lessEqual", Tensor.lessEqual), ("equal", Tensor.equal), ("notEqual", Tensor.notEqual)] {
                try check(name, [rounded, other], differentiable: false) { try compare($0[0])($0[1]) }
            }
        }
        let large = try random([CPUBackend.unaryElementsPerThread * 5]), scalar = try random([1])
        try check("multiply (threads)", [large, scalar], tolerance: 1e-4) { try $0[0] * $0[1] }
    }

    func testReductions() throws {
        for shape in shapes() {
            let x = try random(shape, -2, 2)
            var axisSets: [[Int]?] = [nil, [0], [shape.count - 1]]
            if shape.count >= 3 { axisSets.append([1, 2]); axisSets.append([0, 2]) }
            for axes in axisSets {
                for keepDims in [false, true] {
                    let label = "\(axes.map { "\($0)" } ?? "all") keepDims \(keepDims)"
                    try check("sum \(label)", [x], tolerance: 1e-4) { try $0[0].sum(axes: axes, keepDims: keepDims) }
                    try check("mean \(label)", [x], tolerance: 1e-4) { try $0[0].mean(axes: axes, keepDims: keepDims) }
                    try check("max \(label)", [x]) { try $0[0].max(axes: axes, keepDims: keepDims) }
                    try check("min \(label)", [x]) { try $0[0].min(axes: axes, keepDims: keepDims) }
                }
            }
            for axis in 0..<shape.count {
                try check("argmax \(axis)", [x], differentiable: false) { try $0[0].argmax(axis: axis) }
            }
            let fast = x.l2Norm()
            let plain = x.to(.reference).l2Norm()
            XCTAssertEqual(fast, plain, accuracy: 1e-6 * max(1, plain), "l2Norm \(shape)")
        }
    }

    func testSoftmaxAndLogSoftmax() throws {
        for shape in shapes() {
            let x = try random(shape, -4, 4)
            for axis in [-1, 0] {
                try check("softmax axis \(axis)", [x]) { try $0[0].softmax(axis: axis) }
                try check("logSoftmax axis \(axis)", [x]) { try $0[0].logSoftmax(axis: axis) }
            }
        }
    }

    func testMatrixProducts() throws {
        for _ in 0..<6 {
            let (m, k, n) = (size(1...9), size(1...17), size(1...9))
            let a = try random([m, k]), b = try random([k, n]), bias = try random([n])
            try check("matmul [\(m),\(k)]·[\(k),\(n)]", [a, b], tolerance: 1e-4) { try $0[0].matmul($0[1]) }
            try check("affine", [a, b, bias], tolerance: 1e-4) { try Tensor.affine($0[0], weight: $0[1], bias: $0[2]) }
            let batch = size(1...3)
            let left = try random([batch, m, k]), right = try random([batch, k, n])
            try check("batched matmul", [left, right], tolerance: 1e-4) { try $0[0].matmul($0[1]) }
            try check("rank-3 · matrix", [left, b], tolerance: 1e-4) { try $0[0].matmul($0[1]) }
        }
        // Large enough that the CPU backend splits the GEMM across threads.
        let a = try random([96, 160]), b = try random([160, 300])
        try check("matmul (threads)", [a, b], tolerance: 1e-4) { try $0[0].matmul($0[1]) }
    }

    func testConvolutions() throws {
        var cases: [(input: [Int], window: (Int, Int), outChannels: Int, strides: (Int, Int), padding: Padding)] = [
            ([1, 1, 1, 1], (1, 1), 1, (1, 1), .valid),
            ([2, 5, 5, 3], (3, 3), 4, (1, 1), .same),
            ([1, 7, 6, 2], (3, 2), 3, (2, 2), .same),
            ([3, 6, 7, 1], (2, 3), 5, (1, 2), .valid),
            ([2, 4, 4, 3], (1, 1), 2, (1, 1), .valid),
            ([2, 5, 3, 2], (5, 3), 1, (1, 1), .valid),
            ([1, 3, 3, 2], (3, 3), 2, (3, 3), .same),
        ]
        for _ in 0..<3 {
            cases.append(([size(1...3), size(3...8), size(3...8), size(1...4)], (size(1...3), size(1...3)), size(1...5),
                          (size(1...2), size(1...2)), generator.nextUniform() < 0.5 ? .same : .valid))
        }
        cases.append(([4, 12, 12, 8], (3, 3), 16, (1, 1), .same))  // parallel plan on the CPU backend
        for (inputShape, window, outChannels, strides, padding) in cases {
            let input = try random(inputShape)
            let filter = try random([window.0, window.1, inputShape[3], outChannels], -0.5, 0.5)
            let bias = try random([outChannels])
            let label = "conv2d window \(window) strides \(strides) \(padding)"
            try check(label, [input, filter, bias], tolerance: 1e-4) {
                try Tensor.conv2d($0[0], filter: $0[1], bias: $0[2], strides: strides, padding: padding)
            }
            try check(label + " no bias", [input, filter], tolerance: 1e-4) {
                try Tensor.conv2d($0[0], filter: $0[1], strides: strides, padding: padding)
            }
        }
    }

    func testDepthwiseConvolutions() throws {
        let cases: [(input: [Int], window: (Int, Int), multiplier: Int, strides: (Int, Int), padding: Padding, dilation: (Int, Int))] = [
            ([1, 1, 1, 1], (1, 1), 1, (1, 1), .valid, (1, 1)),
            ([2, 5, 6, 3], (3, 3), 1, (1, 1), .same, (1, 1)),
            ([1, 7, 5, 2], (3, 2), 3, (2, 2), .same, (1, 1)),
            ([3, 8, 7, 5], (2, 3), 2, (1, 2), .valid, (2, 1)),
            ([2, 9, 9, 4], (3, 3), 1, (1, 1), .same, (2, 2)),
            ([4, 16, 16, 32], (3, 3), 1, (1, 1), .same, (1, 1)),  // split over images on the CPU backend
        ]
        for (inputShape, window, multiplier, strides, padding, dilation) in cases {
            let input = try random(inputShape)
            let filter = try random([window.0, window.1, inputShape[3], multiplier], -0.5, 0.5)
            let bias = try random([inputShape[3] * multiplier])
            try check("depthwiseConv2d \(window) ×\(multiplier) strides \(strides) \(padding) dilation \(dilation)",
                      [input, filter, bias], tolerance: 1e-4) {
                try Tensor.depthwiseConv2d($0[0], filter: $0[1], bias: $0[2], strides: strides, padding: padding, dilation: dilation)
            }
        }
    }

    func testPooling() throws {
        var cases: [(input: [Int], pool: (Int, Int), strides: (Int, Int)?, padding: Padding)] = [
            ([1, 1, 1, 1], (1, 1), nil, .valid),
            ([2, 4, 4, 3], (2, 2), nil, .valid),
            ([1, 5, 7, 2], (3, 3), (2, 2), .same),
            ([3, 5, 5, 1], (2, 3), (1, 1), .same),
            ([2, 7, 5, 9], (3, 2), (2, 1), .valid),
            // Disjoint windows (max pooling's select path): 8 SIMD lanes + a tail, odd sizes left
            // uncovered ('valid') or clipped ('same'), strides wider than the window, and a batch
            // large enough to split over the cores.
            ([2, 6, 6, 19], (2, 2), nil, .valid),
            ([3, 7, 5, 16], (2, 2), nil, .same),
            ([3, 7, 5, 16], (2, 2), nil, .valid),
            ([2, 7, 7, 9], (2, 2), (3, 3), .valid),
            ([2, 7, 8, 8], (3, 3), nil, .same),
            ([4, 16, 16, 64], (2, 2), nil, .valid),
        ]
        for _ in 0..<3 {
            cases.append(([size(1...3), size(3...8), size(3...8), size(1...5)], (size(1...3), size(1...3)),
                          (size(1...3), size(1...3)), generator.nextUniform() < 0.5 ? .same : .valid))
        }
        for (inputShape, pool, strides, padding) in cases {
            let input = try random(inputShape)
            let label = "pool \(pool) strides \(String(describing: strides)) \(padding)"
            try check("max" + label, [input]) { try Tensor.maxPool2d($0[0], poolSize: pool, strides: strides, padding: padding) }
            try check("avg" + label, [input]) { try Tensor.avgPool2d($0[0], poolSize: pool, strides: strides, padding: padding) }
        }
        let input = try random([2, 5, 3, 4])
        try check("globalAveragePool2d", [input], tolerance: 1e-4) { try Tensor.globalAveragePool2d($0[0]) }
        try check("globalMaxPool2d", [input]) { try Tensor.globalMaxPool2d($0[0]) }
    }

    func testFusedLosses() throws {
        for shape in [[1, 1], [4, 3], [5, 1], [3, 7], [2, 3, 5], [6, 10]] {
            let logits = try random(shape, -3, 3)
            let probabilities = try random(shape, 0.01, 1)
            let binaryTargets = try random(shape, 0, 1).mapped { $0.rounded() }
            let softTargets = try random(shape, 0, 1)
            let oneHot = try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { ($0 * 7) % shape.last! == 0 ? 1 : 0 })
            let classes = shape.last!
            let labels = try Tensor(shape: Array(shape.dropLast()),
                                    scalars: (0..<(shape.reduce(1, *) / classes)).map { _ in Float(size(0...(classes - 1))) })
            let elementwise: [FusedLoss] = [.meanSquaredError, .meanAbsoluteError, .huber(delta: 0.7), .huber(delta: 0),
                                            .binaryCrossentropy(fromLogits: true, labelSmoothing: 0),
                                            .binaryCrossentropy(fromLogits: true, labelSmoothing: 0.2)]
            for loss in elementwise {
                try check("\(loss)", [logits]) { try $0[0].perSampleLoss(loss, targets: softTargets.to($0[0].device)) }
            }
            for smoothing: Float in [0, 0.1] {
                let binary = FusedLoss.binaryCrossentropy(fromLogits: false, labelSmoothing: smoothing)
                try check("\(binary)", [probabilities]) { try $0[0].perSampleLoss(binary, targets: binaryTargets.to($0[0].device)) }
                for fromLogits in [true, false] {
                    let categorical = FusedLoss.categoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: smoothing)
                    for targets in [oneHot, softTargets] {
                        try check("\(categorical)", [fromLogits ? logits : probabilities]) {
                            try $0[0].perSampleLoss(categorical, targets: targets.to($0[0].device))
                        }
                    }
                }
            }
            for fromLogits in [true, false] {
                let sparse = FusedLoss.sparseCategoricalCrossentropy(fromLogits: fromLogits)
                try check("\(sparse)", [fromLogits ? logits : probabilities]) { try $0[0].perSampleLoss(sparse, targets: labels.to($0[0].device)) }
            }
        }
        // Probabilities outside the clipping range take the clipped branch with zero derivative.
        let clipped = try Tensor([[0, 1, 0.5], [1e-9, 0.3, 2]])
        try check("clipped probabilities", [clipped]) {
            try $0[0].perSampleLoss(.sparseCategoricalCrossentropy(fromLogits: false), targets: Tensor([0, 2]))
        }
        try check("clipped binary", [clipped]) {
            try $0[0].perSampleLoss(.binaryCrossentropy(fromLogits: false, labelSmoothing: 0), targets: Tensor([[0, 1, 1], [1, 0, 1]]))
        }
    }

    func testTopKCounting() throws {
        for (rows, classes) in [(1, 1), (3, 5), (7, 2), (4, 10)] {
            let predictions = try random([rows, classes]).mapped { ($0 * 3).rounded() }  // ties included
            let targets = try Tensor((0..<rows).map { Float(($0 * 3) % (classes + 1)) - ($0 == 2 ? 0.5 : 0) })
            for k in [1, 2, 5] {
                try check("inTopK k \(k)", [predictions], differentiable: false) { try $0[0].inTopK(targets.to($0[0].device), k: k) }
            }
        }
    }

    func testImageResampling() throws {
        for shape in [[2, 5, 7, 3], [3, 6, 6], [1, 1, 1, 2]] {
            let images = try random(shape)
            let height = shape[1], width = shape[2]
            let maps = (0..<shape[0]).map { index -> KestrelTensor.AffineTransform in
                index == 0 ? .identity : AffineTransform.rotation(0.4 * Double(index), height: height, width: width)
                    .followed(by: .translation(x: 1.3, y: -0.6))
            }
            for fillMode in FillMode.allCases {
                for interpolation in [Interpolation.bilinear, .nearest] {
                    try check("resampled \(fillMode) \(interpolation)", [images], differentiable: false) {
                        try $0[0].resampled(maps, fillMode: fillMode, fillValue: 0.5, interpolation: interpolation)
                    }
                }
            }
        }
    }
}
