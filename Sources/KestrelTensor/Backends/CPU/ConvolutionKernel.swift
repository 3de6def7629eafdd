/// The convolution kernels behind `Tensor.conv2d`: forward and backward over raw buffers.
enum ConvolutionKernel {
    /// output[p, :] = bias + patch(p) · filter for every output position p.
    static func forward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        plan: Plan, output: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, patch = g.patchSize, outChannels = plan.outputChannels
        plan.run { _, images, columns in
            plan.forEachChunk(of: plan.pixels(of: images)) { pixels in
                let target = output + pixels.lowerBound * outChannels
                if let bias {
                    for row in 0..<pixels.count { (target + row * outChannels).update(from: bias, count: outChannels) }
                }
                plan.gemm(transposeA: false, transposeB: false, m: pixels.count, n: outChannels, k: patch,
                          a: patchMatrix(input, g, pixels: pixels, columns: columns), b: filter,
                          beta: bias == nil ? 0 : 1, c: target)
            }
        }
    }

    /// Gradients of a convolution: any of `inputGradient` [N,H,W,Cin], `filterGradient` [KH·KW·Cin, Cout]
    /// and `biasGradient` [Cout] that is non-nil is overwritten with its gradient.
    static func backward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                         plan: Plan, inputGradient: UnsafeMutablePointer<Float>?,
                         filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?) {
        let g = plan.geometry, patch = g.patchSize, outChannels = plan.outputChannels
        var inputGradient = inputGradient
        if let target = inputGradient, EngineConfiguration.current.transposedConvolutionInputGradient, !g.isPointwise,
           g.strideHeight == 1, g.strideWidth == 1 {
            transposedInputGradient(filter: filter, outputGradient: outputGradient, plan: plan, into: target)
            inputGradient = nil
        }
        guard filterGradient != nil || biasGradient != nil || inputGradient != nil else { return }
        // A pass that only builds dKernel (and dBias) uses longer chunks.
        let plan = inputGradient == nil
            ? Plan(g, outputChannels: outChannels, chunkBytes: EngineConfiguration.current.convolutionFilterGradientChunkBytes) : plan
        // Block 0 accumulates straight into the results, the others into partials summed below in block
        // order, so the sums do not depend on which worker took which block (same seed, same weights).
        let partialFilters = (1..<plan.blockCount).map { _ in filterGradient.map { _ in TensorBuffer(count: patch * outChannels, repeating: 0) } }
        let partialBiases = (1..<plan.blockCount).map { _ in biasGradient.map { _ in TensorBuffer(count: outChannels, repeating: 0) } }
        filterGradient?.update(repeating: 0, count: patch * outChannels)
        biasGradient?.update(repeating: 0, count: outChannels)
        plan.run { block, images, columns in
            let filterTarget = block == 0 ? filterGradient : partialFilters[block - 1]?.pointer
            let biasTarget = block == 0 ? biasGradient : partialBiases[block - 1]?.pointer
            if let inputGradient, !g.isPointwise {
                (inputGradient + images.lowerBound * g.inputImageSize).update(repeating: 0, count: images.count * g.inputImageSize)
            }
            plan.forEachChunk(of: plan.pixels(of: images)) { pixels in
                let dY = outputGradient + pixels.lowerBound * outChannels
                if let biasTarget {
                    for row in 0..<pixels.count {
                        let line = dY + row * outChannels
                        for channel in 0..<outChannels { biasTarget[channel] += line[channel] }
                    }
                }
                if let filterTarget {
                    plan.gemm(transposeA: true, transposeB: false, m: patch, n: outChannels, k: pixels.count,
                              a: patchMatrix(input, g, pixels: pixels, columns: columns), b: dY, beta: 1, c: filterTarget)
                }
                if let inputGradient {
                    if let columns {
                        plan.gemm(transposeA: false, transposeB: true, m: pixels.count, n: patch, k: outChannels,
                                  a: dY, b: filter, beta: 0, c: columns)
                        Im2col.fold(columns, g, pixels: pixels, into: inputGradient)
                    } else {
                        plan.gemm(transposeA: false, transposeB: true, m: pixels.count, n: patch, k: outChannels,
                                  a: dY, b: filter, beta: 0, c: inputGradient + pixels.lowerBound * patch)
                    }
                }
            }
        }
        add(partialFilters, into: filterGradient)
        add(partialBiases, into: biasGradient)
    }

    /// The patches of `pixels` as rows of a matrix: unfolded into `columns` (im2col), or the input
    /// itself for a 1×1 convolution, which needs no scratch.
    private static func patchMatrix(_ input: UnsafePointer<Float>, _ g: WindowGeometry, pixels: Range<Int>,
                                    columns: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        guard let columns else { return input + pixels.lowerBound * g.patchSize }
        Im2col.unfold(input, g, pixels: pixels, into: columns)
        return UnsafePointer(columns)
    }

    /// Adds the blocks' partial sums into `target` in block order (when both exist).
    private static func add(_ partials: [TensorBuffer?], into target: UnsafeMutablePointer<Float>?) {
        guard let target else { return }
        for partial in partials {
            guard let partial else { continue }
            for index in 0..<partial.count { target[index] += partial.pointer[index] }
        }
    }

    /// dX of a unit-stride convolution as the forward convolution of dY with the kernel flipped in
    /// space and with its channel axes swapped: a GEMM as large as the forward one and no col2im.
    private static func transposedInputGradient(filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                                                plan: Plan, into inputGradient: UnsafeMutablePointer<Float>) {
        let g = plan.geometry
        let (kh, kw, inChannels, outChannels) = (g.windowHeight, g.windowWidth, g.channels, plan.outputChannels)
        let flipped = TensorBuffer(count: kh * kw * inChannels * outChannels)
        for row in 0..<kh {
            for column in 0..<kw {
                let source = filter + ((row * kw + column) * inChannels) * outChannels
                let target = flipped.pointer + (((kh - 1 - row) * kw + (kw - 1 - column)) * outChannels) * inChannels
                for input in 0..<inChannels {
                    for output in 0..<outChannels { target[output * inChannels + input] = source[input * outChannels + output] }
                }
            }
        }
        let geometry = g.transposedForInputGradient(outputChannels: outChannels)
        forward(input: outputGradient, filter: flipped.pointer, bias: nil,
                plan: Plan(geometry, outputChannels: inChannels), output: inputGradient)
    }
}
