import Foundation

/// The reference kernels: each element computed on its own, in Double, the way the formulas in
/// `HostKernels`' documentation read. No SIMD, no threads, no BLAS.
extension ReferenceBackend {
    func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { y[index] = Float(ReferenceBackend.unary(op, Double(x[index]))) }
    }

    static func unary(_ op: UnaryKernel, _ x: Double) -> Double {
        switch op {
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .square: return x * x
        case .abs: return Swift.abs(x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .pow(let exponent): return Foundation.pow(x, Double(exponent))
        case .relu: return x > 0 ? x : 0
        case let .clip(lower, upper): return Swift.min(Swift.max(x, Double(lower)), Double(upper))
        case .addScalar(let value): return x + Double(value)
        case .scale(let factor): return x * Double(factor)
        case .oneMinus: return 1 - x
        case .nonZero: return x != 0 ? 1 : 0
        }
    }

    static func binary(_ op: BinaryKernel, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .maximum: return a >= b ? a : b
        case .greaterEqualMask: return a >= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .keepWhere: return a != 0 ? b : 0
        case .dropWhere: return a != 0 ? 0 : b
        case .first: return a
        case .sqrtBackward: return a * 0.5 / b
        case .squareBackward: return a * 2 * b
        case .powBackward(let exponent): return a * Double(exponent) * Foundation.pow(b, Double(exponent) - 1)
        case .absBackward: return b > 0 ? a : (b < 0 ? -a : 0)
        case .sigmoidBackward: return a * b * (1 - b)
        case .tanhBackward: return a * (1 - b * b)
        case .reluBackward: return b > 0 ? a : 0
        case let .clipBackward(lower, upper): return b >= Double(lower) && b <= Double(upper) ? a : 0
        }
    }

    func binary(_ op: BinaryKernel, _ a: UnsafePointer<Float>, shapeA: [Int], _ b: UnsafePointer<Float>, shapeB: [Int],
                _ out: UnsafeMutablePointer<Float>, outputShape: [Int]) {
        let stridesA = Broadcasting.strides(of: shapeA, in: outputShape)
        let stridesB = Broadcasting.strides(of: shapeB, in: outputShape)
        let count = Tensor.elementCount(outputShape)
        for index in 0..<count {
            // Decompose the flat output index into coordinates and read each operand at its own.
            var remainder = index, offsetA = 0, offsetB = 0
            for axis in stride(from: outputShape.count - 1, through: 0, by: -1) {
                let coordinate = remainder % outputShape[axis]
                remainder /= outputShape[axis]
                offsetA += coordinate * stridesA[axis]
                offsetB += coordinate * stridesB[axis]
            }
            out[index] = Float(ReferenceBackend.binary(op, Double(a[offsetA]), Double(b[offsetB])))
        }
    }

    func reduce(_ kind: ReductionKind, _ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int,
                _ out: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>?) {
        for block in 0..<outer {
            for position in 0..<inner {
                let at = { (index: Int) in x[(block * length + index) * inner + position] }
                switch kind {
                case .sum:
                    var total: Double = 0
                    for index in 0..<length { total += Double(at(index)) }
                    out[block * inner + position] = Float(total)
                case .maximum, .minimum:
                    var best = 0
                    for index in 1..<Swift.max(length, 1) {
                        let (value, chosen) = (at(index), at(best))
                        let better = kind == .maximum ? value > chosen : value < chosen
                        if better || chosen.isNaN { best = index }
                    }
                    out[block * inner + position] = at(best)
                    winners?[block * inner + position] = Int32(best)
                }
            }
        }
    }

    func reduceBackward(_ kind: ReductionKind, _ dy: UnsafePointer<Float>, winners: UnsafePointer<Int32>?,
                        outer: Int, length: Int, inner: Int, _ dx: UnsafeMutablePointer<Float>) {
        for block in 0..<outer {
            for index in 0..<length {
                for position in 0..<inner {
                    let value = dy[block * inner + position]
                    let picked = kind == .sum || Int(winners?[block * inner + position] ?? -1) == index
                    dx[(block * length + index) * inner + position] = picked ? value : 0
                }
            }
        }
    }

    func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        (0..<count).reduce(0) { $0 + Double(x[$1]) * Double(x[$1]) }
    }

    func argmax(_ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int, _ out: UnsafeMutablePointer<Float>) {
        for block in 0..<outer {
            for position in 0..<inner {
                var best = 0
                for index in 0..<length where x[(block * length + index) * inner + position] > x[(block * length + best) * inner + position] {
                    best = index
                }
                out[block * inner + position] = Float(best)
            }
        }
    }

    func inTopK(_ predictions: UnsafePointer<Float>, rows: Int, classes: Int, targets: UnsafePointer<Float>, k: Int,
                _ out: UnsafeMutablePointer<Float>) {
        for row in 0..<rows {
            let label = Double(targets[row])
            let index = label.isFinite ? Int(label.rounded(.towardZero)) : -1
            guard label.isFinite, index >= 0, index < classes, predictions[row * classes + index].isFinite else {
                out[row] = 0
                continue
            }
            let score = predictions[row * classes + index]
            let higher = (0..<classes).filter { predictions[row * classes + $0] > score }.count
            out[row] = higher < k ? 1 : 0
        }
    }

    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int, log: Bool) {
        for block in 0..<outer {
            for position in 0..<inner {
                let offsets = (0..<length).map { (block * length + $0) * inner + position }
                let largest = offsets.map { Double(x[$0]) }.max() ?? 0
                let total = offsets.reduce(0.0) { $0 + Foundation.exp(Double(x[$1]) - largest) }
                for offset in offsets {
                    let shifted = Double(x[offset]) - largest
                    y[offset] = Float(log ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total)
                }
            }
        }
    }

    func softmaxBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         outer: Int, length: Int, inner: Int, log: Bool) {
        for block in 0..<outer {
            for position in 0..<inner {
                let offsets = (0..<length).map { (block * length + $0) * inner + position }
                if log {
                    let total = offsets.reduce(0.0) { $0 + Double(dy[$1]) }
                    for offset in offsets { dx[offset] = Float(Double(dy[offset]) - Foundation.exp(Double(y[offset])) * total) }
                } else {
                    let total = offsets.reduce(0.0) { $0 + Double(dy[$1]) * Double(y[$1]) }
                    for offset in offsets { dx[offset] = Float(Double(y[offset]) * (Double(dy[offset]) - total)) }
                }
            }
        }
    }

    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>,
              _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        for row in 0..<m {
            for column in 0..<n {
                var total = Double(bias?[column] ?? 0)
                for inner in 0..<k {
                    let left = transposeA ? a[inner * m + row] : a[row * k + inner]
                    let right = transposeB ? b[column * k + inner] : b[inner * n + column]
                    total += Double(left) * Double(right)
                }
                c[row * n + column] = Float(total)
            }
        }
    }

    /// Calls `body(outputOffset, inputOffset, filterOffset)` for every term of a direct convolution
    /// (`output[n, oh, ow, co] += input[n, ih, iw, ci] · filter[kh, kw, ci, co]`, windows inside the image).
    private static func forEachConvolutionTerm(_ g: WindowGeometry, outputChannels: Int, _ body: (Int, Int, Int) -> Void) {
        for image in 0..<g.batch {
            for outputRow in 0..<g.outputHeight {
                for outputColumn in 0..<g.outputWidth {
                    for kernelRow in 0..<g.windowHeight {
                        let inputRow = outputRow * g.strideHeight - g.padTop + kernelRow
                        guard inputRow >= 0, inputRow < g.inputHeight else { continue }
                        for kernelColumn in 0..<g.windowWidth {
                            let inputColumn = outputColumn * g.strideWidth - g.padLeft + kernelColumn
                            guard inputColumn >= 0, inputColumn < g.inputWidth else { continue }
                            for inputChannel in 0..<g.channels {
                                let inputOffset = ((image * g.inputHeight + inputRow) * g.inputWidth + inputColumn) * g.channels + inputChannel
                                let filterBase = ((kernelRow * g.windowWidth + kernelColumn) * g.channels + inputChannel) * outputChannels
                                let outputBase = ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * outputChannels
                                for outputChannel in 0..<outputChannels {
                                    body(outputBase + outputChannel, inputOffset, filterBase + outputChannel)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func convolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                     bias: UnsafePointer<Float>?, geometry: WindowGeometry, outputChannels: Int, relu: Bool,
                     _ output: UnsafeMutablePointer<Float>) {
        let count = geometry.outputPixels * outputChannels
        var totals = (0..<count).map { Double(bias?[$0 % Swift.max(outputChannels, 1)] ?? 0) }
        ReferenceBackend.forEachConvolutionTerm(geometry, outputChannels: outputChannels) { out, x, w in
            totals[out] += Double(input[x]) * Double(filter[w])
        }
        for index in 0..<count {
            let value = Float(totals[index])
            output[index] = relu ? (value > 0 ? value : 0) : value
        }
    }

    func convolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                             outputGradient unmasked: UnsafePointer<Float>, reluOutput: UnsafePointer<Float>?,
                             geometry: WindowGeometry, outputChannels: Int,
                             inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                             biasGradient: UnsafeMutablePointer<Float>?) {
        let count = geometry.outputPixels * outputChannels
        let outputGradient = reluOutput.map { mask in (0..<count).map { mask[$0] > 0 ? unmasked[$0] : 0 } }
            ?? Array(UnsafeBufferPointer(start: unmasked, count: count))
        var dx = [Double](repeating: 0, count: geometry.batch * geometry.inputImageSize)
        var dw = [Double](repeating: 0, count: geometry.patchSize * outputChannels)
        ReferenceBackend.forEachConvolutionTerm(geometry, outputChannels: outputChannels) { out, x, w in
            dx[x] += Double(outputGradient[out]) * Double(filter[w])
            dw[w] += Double(outputGradient[out]) * Double(input[x])
        }
        if let inputGradient { for index in dx.indices { inputGradient[index] = Float(dx[index]) } }
        if let filterGradient { for index in dw.indices { filterGradient[index] = Float(dw[index]) } }
        if let biasGradient {
            for channel in 0..<outputChannels {
                var total: Double = 0
                for pixel in 0..<geometry.outputPixels { total += Double(outputGradient[pixel * outputChannels + channel]) }
                biasGradient[channel] = Float(total)
            }
        }
    }

    /// Calls `body(outputOffset, inputOffset, filterOffset)` for every term of a direct depthwise
    /// convolution: `output[n, oh, ow, c·M + m] += input[n, y, x, c] · filter[i, j, c, m]` with
    /// `y = oh·strideH − padTop + i·dilationH` (and likewise `x`) inside the image.
    private static func forEachDepthwiseTerm(_ plan: DepthwiseConvolutionKernel.Plan, _ body: (Int, Int, Int) -> Void) {
        let g = plan.geometry, multiplier = plan.multiplier
        for image in 0..<g.batch {
            for outputRow in 0..<g.outputHeight {
                for outputColumn in 0..<g.outputWidth {
                    for i in 0..<plan.kernelHeight {
                        let y = outputRow * g.strideHeight - g.padTop + i * plan.dilationHeight
                        guard y >= 0, y < g.inputHeight else { continue }
                        for j in 0..<plan.kernelWidth {
                            let x = outputColumn * g.strideWidth - g.padLeft + j * plan.dilationWidth
                            guard x >= 0, x < g.inputWidth else { continue }
                            for channel in 0..<g.channels {
                                for m in 0..<multiplier {
                                    let out = ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * plan.outputChannels
                                        + channel * multiplier + m
                                    body(out, ((image * g.inputHeight + y) * g.inputWidth + x) * g.channels + channel,
                                         ((i * plan.kernelWidth + j) * g.channels + channel) * multiplier + m)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func depthwiseConvolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                              plan: DepthwiseConvolutionKernel.Plan, _ output: UnsafeMutablePointer<Float>) {
        let count = plan.geometry.outputPixels * plan.outputChannels
        var totals = (0..<count).map { Double(bias?[$0 % Swift.max(plan.outputChannels, 1)] ?? 0) }
        ReferenceBackend.forEachDepthwiseTerm(plan) { out, x, w in totals[out] += Double(input[x]) * Double(filter[w]) }
        for index in 0..<count { output[index] = Float(totals[index]) }
    }

    func depthwiseConvolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
                                      outputGradient: UnsafePointer<Float>, plan: DepthwiseConvolutionKernel.Plan,
                                      inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                                      biasGradient: UnsafeMutablePointer<Float>?) {
        let g = plan.geometry
        var dx = [Double](repeating: 0, count: g.batch * g.inputImageSize)
        var dw = [Double](repeating: 0, count: plan.kernelHeight * plan.kernelWidth * g.channels * plan.multiplier)
        ReferenceBackend.forEachDepthwiseTerm(plan) { out, x, w in
            dx[x] += Double(outputGradient[out]) * Double(filter[w])
            dw[w] += Double(outputGradient[out]) * Double(input[x])
        }
        if let inputGradient { for index in dx.indices { inputGradient[index] = Float(dx[index]) } }
        if let filterGradient { for index in dw.indices { filterGradient[index] = Float(dw[index]) } }
        if let biasGradient {
            for channel in 0..<plan.outputChannels {
                var total: Double = 0
                for pixel in 0..<g.outputPixels { total += Double(outputGradient[pixel * plan.outputChannels + channel]) }
                biasGradient[channel] = Float(total)
            }
        }
    }

    /// Calls `body(outputOffset, inputOffsets, spatialIndices)` for every pooled value: the input
    /// elements of its window that lie inside the image, in row-major order.
    private static func forEachPoolingWindow(_ g: WindowGeometry, _ body: (Int, [Int], [Int]) -> Void) {
        for image in 0..<g.batch {
            for outputRow in 0..<g.outputHeight {
                for outputColumn in 0..<g.outputWidth {
                    for channel in 0..<g.channels {
                        var offsets: [Int] = [], positions: [Int] = []
                        for kernelRow in 0..<g.windowHeight {
                            let row = outputRow * g.strideHeight - g.padTop + kernelRow
                            guard row >= 0, row < g.inputHeight else { continue }
                            for kernelColumn in 0..<g.windowWidth {
                                let column = outputColumn * g.strideWidth - g.padLeft + kernelColumn
                                guard column >= 0, column < g.inputWidth else { continue }
                                positions.append(row * g.inputWidth + column)
                                offsets.append(image * g.inputImageSize + (row * g.inputWidth + column) * g.channels + channel)
                            }
                        }
                        body(((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * g.channels + channel,
                             offsets, positions)
                    }
                }
            }
        }
    }

    func maxPool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>,
                 winners: UnsafeMutablePointer<Float>) {
        ReferenceBackend.forEachPoolingWindow(geometry) { out, offsets, positions in
            guard !offsets.isEmpty else {
                output[out] = 0
                winners[out] = Float(bitPattern: UInt32.max)
                return
            }
            var best = 0
            for index in offsets.indices where input[offsets[index]] > input[offsets[best]] { best = index }
            output[out] = input[offsets[best]]
            winners[out] = Float(bitPattern: UInt32(positions[best]))
        }
    }

    func maxPoolBackward(_ dy: UnsafePointer<Float>, winners: UnsafePointer<Float>, geometry: WindowGeometry,
                         _ dx: UnsafeMutablePointer<Float>) {
        var totals = [Double](repeating: 0, count: geometry.batch * geometry.inputImageSize)
        ReferenceBackend.forEachPoolingWindow(geometry) { out, offsets, positions in
            let winner = winners[out].bitPattern
            if let index = positions.firstIndex(of: Int(winner)), winner != UInt32.max { totals[offsets[index]] += Double(dy[out]) }
        }
        for index in totals.indices { dx[index] = Float(totals[index]) }
    }

    func averagePool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>) {
        ReferenceBackend.forEachPoolingWindow(geometry) { out, offsets, _ in
            let total = offsets.reduce(0.0) { $0 + Double(input[$1]) }
            output[out] = Float(total / Double(Swift.max(offsets.count, 1)))
        }
    }

    func averagePoolBackward(_ dy: UnsafePointer<Float>, geometry: WindowGeometry, _ dx: UnsafeMutablePointer<Float>) {
        var totals = [Double](repeating: 0, count: geometry.batch * geometry.inputImageSize)
        ReferenceBackend.forEachPoolingWindow(geometry) { out, offsets, _ in
            for offset in offsets { totals[offset] += Double(dy[out]) / Double(Swift.max(offsets.count, 1)) }
        }
        for index in totals.indices { dx[index] = Float(totals[index]) }
    }
}
