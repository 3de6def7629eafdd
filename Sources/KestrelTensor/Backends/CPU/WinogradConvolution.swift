import CKernels

/// Winograd minimal filtering (Lavin & Gray 2016) for 3×3 stride-1 convolutions, NHWC: F(2×2, 3×3) and
/// F(4×4, 3×3). Each α×α input tile (α = m + 2) and the kernel are transformed (C kernels in CKernels,
/// vectorised per processor), multiplied point by point across channels — α·α GEMMs through OpenBLAS —
/// and transformed back into an m×m output tile: 9·m² multiplications per tile and channel pair become α².
///
/// The gradients are the adjoints of the same linear maps (no flipped kernel, no separate algorithm):
/// - forward:  Y = Aᵀ[U ⊙ V]A with U = G·g·Gᵀ, V = Bᵀ·d·B, the product summed over input channels;
/// - input gradient: dX += B[Uᵀ ⊙ Z]Bᵀ per tile (overlapping tiles add), Z = A·dY·Aᵀ;
/// - kernel gradient: dg = Gᵀ[Σ_tiles V ⊙ Z]G, summed per block of images in block order, so the sums
///   are the same on every run.
/// The transformed kernel U (`transformedFilter`) is made once per set of weights and kept by the
/// backend's `WinogradFilterCache`, so a step's input-gradient pass reuses the forward's.
enum WinogradConvolution {
    /// output = conv(input, filter) + bias, then max(0, ·) when `relu`, the tile size chosen by `plan`;
    /// `transformed` is `transformedFilter(filter, plan:)`.
    static func forward(input: UnsafePointer<Float>, transformedFilter transformed: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, relu: Bool, plan: Plan, output: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, inChannels = g.channels, outChannels = plan.outputChannels
        let chunk = plan.tilesPerChunk
        plan.run(blocks: plan.blockCount(perWorker: 4)) { _, images in
            let inputs = TensorBuffer(count: plan.points * Swift.min(chunk, images.count * plan.tilesPerImage) * inChannels)
            let products = TensorBuffer(count: plan.points * Swift.min(chunk, images.count * plan.tilesPerImage) * outChannels)
            plan.forEachChunk(of: images) { tiles in
                let count = tiles.count
                kestrel_winograd_input_transform(
                    Int32(plan.tile), plan.vectorWidth, input, Int32(g.inputHeight), Int32(g.inputWidth),
                    Int32(inChannels), Int32(g.padTop), Int32(g.padLeft), Int32(plan.tilesHigh), Int32(plan.tilesWide),
                    tiles.lowerBound, count, inputs.pointer)
                plan.batchedGEMM(transposeA: false, transposeB: false, m: count, n: outChannels, k: inChannels,
                                 a: inputs.pointer, strideA: count * inChannels,
                                 b: transformed, strideB: inChannels * outChannels,
                                 accumulate: false, c: products.pointer, strideC: count * outChannels)
                kestrel_winograd_output_transform(
                    Int32(plan.tile), plan.vectorWidth, products.pointer, count, Int32(outChannels), bias,
                    relu ? 1 : 0, output,
                    Int32(g.outputHeight), Int32(g.outputWidth), Int32(plan.tilesHigh), Int32(plan.tilesWide),
                    tiles.lowerBound)
            }
            withExtendedLifetime((inputs, products)) {}
        }
    }

    /// Gradients of `forward`: each of the input gradient [N,H,W,Cin] (`inputGradient.target`, which
    /// needs the kernel's `transformedFilter`), `filterGradient` [3·3·Cin, Cout] and `biasGradient`
    /// [Cout] that is given is overwritten. With `reluOutput` (the output of a `relu` forward)
    /// `outputGradient` is masked where that output is not positive as it is read.
    static func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                         reluOutput: UnsafePointer<Float>?, plan: Plan,
                         inputGradient inputTarget: (target: UnsafeMutablePointer<Float>, transformedFilter: UnsafePointer<Float>)?,
                         filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?) {
        let g = plan.geometry, inChannels = g.channels, outChannels = plan.outputChannels
        let inputGradient = inputTarget?.target, transformed = inputTarget?.transformedFilter
        guard inputGradient != nil || filterGradient != nil || biasGradient != nil else { return }
        let blocks = plan.blockCount(perWorker: 2)
        let filterSize = plan.points * inChannels * outChannels
        // One transformed-domain kernel gradient and one bias gradient per block, summed in block order below.
        let filterSums = filterGradient == nil ? [] : (0..<blocks).map { _ in TensorBuffer(count: filterSize, repeating: 0) }
        let biasSums = biasGradient == nil ? [] : (0..<blocks).map { _ in TensorBuffer(count: outChannels, repeating: 0) }
        plan.run(blocks: blocks) { block, images in
            let tilesHere = Swift.min(plan.tilesPerChunk, images.count * plan.tilesPerImage)
            let gradients = TensorBuffer(count: plan.points * tilesHere * outChannels)
            let inputs = TensorBuffer(count: plan.points * tilesHere * inChannels)
            if let biasGradient = biasSums.isEmpty ? nil : biasSums[block].pointer {
                let pixels = images.count * g.outputPixelsPerImage
                let offset = images.lowerBound * g.outputPixelsPerImage * outChannels
                let dY = outputGradient + offset
                if let mask = reluOutput.map({ $0 + offset }) {
                    for row in 0..<pixels {
                        maskedAdd(dY + row * outChannels, where: mask + row * outChannels, into: biasGradient, count: outChannels)
                    }
                } else {
                    for row in 0..<pixels {
                        let line = dY + row * outChannels
                        for channel in 0..<outChannels { biasGradient[channel] += line[channel] }
                    }
                }
            }
            if let inputGradient {
                (inputGradient + images.lowerBound * g.inputImageSize).update(repeating: 0, count: images.count * g.inputImageSize)
            }
            guard inputGradient != nil || filterGradient != nil else { return }
            plan.forEachChunk(of: images) { tiles in
                let count = tiles.count
                kestrel_winograd_gradient_transform(
                    Int32(plan.tile), plan.vectorWidth, outputGradient, reluOutput, Int32(g.outputHeight), Int32(g.outputWidth),
                    Int32(outChannels), Int32(plan.tilesHigh), Int32(plan.tilesWide), tiles.lowerBound, count,
                    gradients.pointer)
                if let filterGradient = filterSums.isEmpty ? nil : filterSums[block].pointer {
                    kestrel_winograd_input_transform(
                        Int32(plan.tile), plan.vectorWidth, input, Int32(g.inputHeight), Int32(g.inputWidth),
                        Int32(inChannels), Int32(g.padTop), Int32(g.padLeft), Int32(plan.tilesHigh),
                        Int32(plan.tilesWide), tiles.lowerBound, count, inputs.pointer)
                    plan.batchedGEMM(transposeA: true, transposeB: false, m: inChannels, n: outChannels, k: count,
                                     a: inputs.pointer, strideA: count * inChannels,
                                     b: gradients.pointer, strideB: count * outChannels,
                                     accumulate: true, c: filterGradient, strideC: inChannels * outChannels)
                }
                if let inputGradient, let transformed {
                    // The input-domain products reuse `inputs` (the kernel-gradient GEMMs above are done with it).
                    plan.batchedGEMM(transposeA: false, transposeB: true, m: count, n: inChannels, k: outChannels,
                                     a: gradients.pointer, strideA: count * outChannels,
                                     b: transformed, strideB: inChannels * outChannels,
                                     accumulate: false, c: inputs.pointer, strideC: count * inChannels)
                    kestrel_winograd_input_gradient_transform(
                        Int32(plan.tile), plan.vectorWidth, inputs.pointer, count, Int32(inChannels), inputGradient,
                        Int32(g.inputHeight), Int32(g.inputWidth), Int32(g.padTop), Int32(g.padLeft),
                        Int32(plan.tilesHigh), Int32(plan.tilesWide), tiles.lowerBound)
                }
            }
            withExtendedLifetime((gradients, inputs)) {}
        }
        if let filterGradient, let total = filterSums.first {
            for partial in filterSums.dropFirst() {
                for index in 0..<filterSize { total.pointer[index] += partial.pointer[index] }
            }
            kestrel_winograd_filter_gradient_transform(Int32(plan.tile), plan.vectorWidth, total.pointer,
                                                       inChannels * outChannels, filterGradient)
        }
        if let biasGradient {
            biasGradient.update(repeating: 0, count: outChannels)
            for partial in biasSums {
                for channel in 0..<outChannels { biasGradient[channel] += partial.pointer[channel] }
            }
        }
    }

    /// total[i] += mask[i] > 0 ? values[i] : 0 for i < count: SIMD selects, no branch per value (ReLU's
    /// gradient mask is positive for about half of the values, which a branch would mispredict).
    private static func maskedAdd(_ values: UnsafePointer<Float>, where mask: UnsafePointer<Float>,
                                  into total: UnsafeMutablePointer<Float>, count: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            let value = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            let sign = UnsafeRawPointer(mask + index).loadUnaligned(as: SIMD8<Float>.self)
            let sum = UnsafeRawPointer(total + index).loadUnaligned(as: SIMD8<Float>.self)
                + value.replacing(with: 0, where: .!(sign .> zero))
            UnsafeMutableRawPointer(total + index).storeBytes(of: sum, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            total[index] += mask[index] > 0 ? values[index] : 0
            index += 1
        }
    }

    /// U = G·g·Gᵀ for every (input, output) channel pair: [α·α, Cin, Cout].
    static func transformedFilter(_ filter: UnsafePointer<Float>, plan: Plan) -> TensorBuffer {
        let count = plan.geometry.channels * plan.outputChannels
        let transformed = TensorBuffer(count: plan.points * count)
        kestrel_winograd_filter_transform(Int32(plan.tile), plan.vectorWidth, filter, count, transformed.pointer)
        return transformed
    }
}
