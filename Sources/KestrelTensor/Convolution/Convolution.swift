/// Tuning knobs of the convolution kernels (chunked im2col + GEMM), exposed for benchmarks.
///
/// The batch is split between the cores by whole images; each core unfolds a chunk of output
/// positions into a small column buffer and multiplies it with the kernel on one BLAS thread, so the
/// unfolding, the products and the folding of gradients all run in parallel without sharing memory.
public enum Convolution {
    /// Target size of one core's im2col buffer, in bytes (it is reused chunk after chunk).
    nonisolated(unsafe) public static var columnChunkBytes = 1 << 20
    /// Convolutions below this many floating-point operations (forward) run on one core.
    nonisolated(unsafe) public static var parallelFlops = 4_000_000
}

/// The convolution kernels behind `Tensor.conv2d`: forward and backward over raw buffers.
enum ConvolutionKernel {
    /// How the batch is split between cores.
    struct Plan {
        let geometry: WindowGeometry
        let outputChannels: Int
        let workers: Int
        let chunkPixels: Int

        init(_ geometry: WindowGeometry, outputChannels: Int) {
            self.geometry = geometry
            self.outputChannels = outputChannels
            let patch = geometry.patchSize
            let flops = 2 * geometry.outputPixels * patch * outputChannels
            let splittable = geometry.batch >= 2 && patch > 0 && outputChannels > 0 && Parallel.coreCount > 1
            workers = splittable && flops >= Convolution.parallelFlops ? Swift.min(Parallel.coreCount, geometry.batch) : 1
            chunkPixels = Swift.max(1, Convolution.columnChunkBytes / Swift.max(1, patch * MemoryLayout<Float>.stride))
        }

        /// The output positions that worker `index` handles (whole images).
        func pixels(ofWorker index: Int) -> Range<Int> {
            let batch = geometry.batch, perImage = geometry.outputPixelsPerImage
            let first = batch * index / workers, last = batch * (index + 1) / workers
            return (first * perImage)..<(last * perImage)
        }

        /// Runs `body(worker)` for every worker, in parallel when there are several.
        func run(_ body: (Int) -> Void) {
            if workers == 1 {
                body(0)
            } else {
                BLAS.useThreads(1)
                Parallel.forEach(count: workers, body)
            }
        }

        /// A GEMM on this plan's threads: size-chosen when one worker, single-threaded per worker otherwise.
        func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                  a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
            if workers == 1 {
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c)
            } else if m > 0 && n > 0 && k > 0 {
                BLAS.gemmOnCurrentThreads(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          a: a, b: b, beta: beta, c: c)
            }
        }

        /// Calls `body(pixels, columns)` for consecutive chunks of `range`; `columns` is a scratch
        /// buffer of `chunkPixels × patchSize` values, or nil for pointwise convolutions.
        func forEachChunk(of range: Range<Int>, _ body: (Range<Int>, UnsafeMutablePointer<Float>?) -> Void) {
            guard !range.isEmpty else { return }
            let scratch = geometry.isPointwise ? nil : TensorBuffer(count: Swift.min(chunkPixels, range.count) * geometry.patchSize)
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start + chunkPixels, range.upperBound)
                body(start..<end, scratch?.pointer)
                start = end
            }
            withExtendedLifetime(scratch) {}
        }
    }

    /// output[p, :] = bias + patch(p) · filter for every output position p.
    static func forward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        plan: Plan, output: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, patch = g.patchSize, outChannels = plan.outputChannels
        plan.run { worker in
            plan.forEachChunk(of: plan.pixels(ofWorker: worker)) { pixels, columns in
                let target = output + pixels.lowerBound * outChannels
                if let bias {
                    for row in 0..<pixels.count { (target + row * outChannels).update(from: bias, count: outChannels) }
                }
                let matrix: UnsafePointer<Float>
                if let columns {
                    Im2col.unfold(input, g, pixels: pixels, into: columns)
                    matrix = UnsafePointer(columns)
                } else {
                    matrix = input + pixels.lowerBound * patch
                }
                plan.gemm(transposeA: false, transposeB: false, m: pixels.count, n: outChannels, k: patch,
                          a: matrix, b: filter, beta: bias == nil ? 0 : 1, c: target)
            }
        }
    }

    /// Gradients of a convolution: any of `inputGradient` [N,H,W,Cin], `filterGradient` [KH·KW·Cin, Cout]
    /// and `biasGradient` [Cout] that is non-nil is overwritten with its gradient.
    static func backward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                         plan: Plan, inputGradient: UnsafeMutablePointer<Float>?,
                         filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?) {
        let g = plan.geometry, patch = g.patchSize, outChannels = plan.outputChannels
        // Worker 0 accumulates straight into the results; the others into scratch partials summed below.
        let partialFilters = (1..<plan.workers).map { _ in filterGradient.map { _ in TensorBuffer(count: patch * outChannels) } }
        let partialBiases = (1..<plan.workers).map { _ in biasGradient.map { _ in TensorBuffer(count: outChannels) } }
        plan.run { worker in
            let pixelsOfWorker = plan.pixels(ofWorker: worker)
            let filterTarget = worker == 0 ? filterGradient : partialFilters[worker - 1]?.pointer
            let biasTarget = worker == 0 ? biasGradient : partialBiases[worker - 1]?.pointer
            filterTarget?.update(repeating: 0, count: patch * outChannels)
            biasTarget?.update(repeating: 0, count: outChannels)
            if let inputGradient, !g.isPointwise {
                let images = pixelsOfWorker.count / Swift.max(g.outputPixelsPerImage, 1)
                let firstImage = pixelsOfWorker.lowerBound / Swift.max(g.outputPixelsPerImage, 1)
                (inputGradient + firstImage * g.inputImageSize).update(repeating: 0, count: images * g.inputImageSize)
            }
            plan.forEachChunk(of: pixelsOfWorker) { pixels, columns in
                let dY = outputGradient + pixels.lowerBound * outChannels
                if let biasTarget {
                    for row in 0..<pixels.count {
                        let line = dY + row * outChannels
                        for channel in 0..<outChannels { biasTarget[channel] += line[channel] }
                    }
                }
                if let filterTarget {
                    let matrix: UnsafePointer<Float>
                    if let columns {
                        Im2col.unfold(input, g, pixels: pixels, into: columns)
                        matrix = UnsafePointer(columns)
                    } else {
                        matrix = input + pixels.lowerBound * patch
                    }
                    plan.gemm(transposeA: true, transposeB: false, m: patch, n: outChannels, k: pixels.count,
                              a: matrix, b: dY, beta: 1, c: filterTarget)
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
        for partial in partialFilters {
            guard let partial, let filterGradient else { continue }
            for index in 0..<(patch * outChannels) { filterGradient[index] += partial.pointer[index] }
        }
        for partial in partialBiases {
            guard let partial, let biasGradient else { continue }
            for index in 0..<outChannels { biasGradient[index] += partial.pointer[index] }
        }
    }
}
