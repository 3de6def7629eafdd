/// Tuning knobs of the convolution kernels (chunked im2col + GEMM), exposed for benchmarks.
///
/// The cores take blocks of whole images in turn; each unfolds a chunk of output positions into its
/// own small column buffer and multiplies it with the kernel on one BLAS thread, so the unfolding, the
/// products and the folding of gradients all run in parallel without sharing memory.
public enum Convolution {
    /// Target size of one core's im2col buffer, in bytes (it is reused chunk after chunk).
    nonisolated(unsafe) public static var columnChunkBytes = 1 << 20
    /// Target size of one core's im2col buffer in the kernel-gradient pass, in bytes: larger chunks
    /// give each dKernel GEMM a longer inner dimension.
    nonisolated(unsafe) public static var filterGradientChunkBytes = 2 << 20
    /// Convolutions below this many floating-point operations (forward) run on one core.
    nonisolated(unsafe) public static var parallelFlops = 4_000_000
    /// Whether unit-stride convolutions compute the input gradient as a convolution of the output
    /// gradient with the flipped kernel (no col2im) instead of GEMM + col2im.
    nonisolated(unsafe) public static var transposedInputGradient = true
}

/// The convolution kernels behind `Tensor.conv2d`: forward and backward over raw buffers.
enum ConvolutionKernel {
    /// How the batch is split between cores.
    struct Plan {
        let geometry: WindowGeometry
        let outputChannels: Int
        let workers: Int
        let chunkPixels: Int

        init(_ geometry: WindowGeometry, outputChannels: Int, chunkBytes: Int = Convolution.columnChunkBytes) {
            self.geometry = geometry
            self.outputChannels = outputChannels
            let patch = geometry.patchSize
            let flops = 2 * geometry.outputPixels * patch * outputChannels
            let splittable = geometry.batch >= 2 && patch > 0 && outputChannels > 0 && Parallel.coreCount > 1
            workers = splittable && flops >= Convolution.parallelFlops ? Swift.min(Parallel.coreCount, geometry.batch) : 1
            chunkPixels = Swift.max(1, chunkBytes / Swift.max(1, patch * MemoryLayout<Float>.stride))
        }

        /// Images handed out per task: enough for about one im2col chunk.
        var imagesPerTask: Int { Swift.max(1, chunkPixels / Swift.max(1, geometry.outputPixelsPerImage)) }

        /// Runs `body(worker, images, columns)` over blocks of whole images until the batch is done.
        /// With several workers, each takes the next block as soon as it finishes one (so a core slowed by
        /// other work simply takes fewer blocks); `columns` is the worker's own im2col scratch buffer of
        /// `chunkPixels × patchSize` values (nil for pointwise convolutions).
        func run(_ body: (_ worker: Int, _ images: Range<Int>, _ columns: UnsafeMutablePointer<Float>?) -> Void) {
            let batch = geometry.batch
            func scratch(_ images: Int) -> TensorBuffer? {
                geometry.isPointwise ? nil
                    : TensorBuffer(count: Swift.min(chunkPixels, images * geometry.outputPixelsPerImage) * geometry.patchSize)
            }
            if workers == 1 {
                let columns = scratch(batch)
                body(0, 0..<batch, columns?.pointer)
                withExtendedLifetime(columns) {}
                return
            }
            BLAS.useThreads(1)
            let counter = WorkCounter()
            let step = imagesPerTask
            Parallel.forEach(count: workers) { worker in
                let columns = scratch(step)
                while true {
                    let first = counter.take(step)
                    guard first < batch else { break }
                    body(worker, first..<Swift.min(first + step, batch), columns?.pointer)
                }
                withExtendedLifetime(columns) {}
            }
        }

        /// The output positions of `images`.
        func pixels(of images: Range<Int>) -> Range<Int> {
            let perImage = geometry.outputPixelsPerImage
            return (images.lowerBound * perImage)..<(images.upperBound * perImage)
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

        /// Calls `body(pixels)` for consecutive, nearly equal chunks of at most `chunkPixels` positions
        /// of `range` (equal sizes keep every GEMM large).
        func forEachChunk(of range: Range<Int>, _ body: (Range<Int>) -> Void) {
            let chunks = (range.count + chunkPixels - 1) / chunkPixels
            guard chunks > 0 else { return }
            let size = (range.count + chunks - 1) / chunks
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start + size, range.upperBound)
                body(start..<end)
                start = end
            }
        }
    }

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
        var inputGradient = inputGradient
        if let target = inputGradient, Convolution.transposedInputGradient, !g.isPointwise,
           g.strideHeight == 1, g.strideWidth == 1 {
            transposedInputGradient(filter: filter, outputGradient: outputGradient, plan: plan, into: target)
            inputGradient = nil
        }
        guard filterGradient != nil || biasGradient != nil || inputGradient != nil else { return }
        // A pass that only builds dKernel (and dBias) uses longer chunks.
        let plan = inputGradient == nil
            ? Plan(g, outputChannels: outChannels, chunkBytes: Convolution.filterGradientChunkBytes) : plan
        // Worker 0 accumulates straight into the results; the others into scratch partials summed below.
        let partialFilters = (1..<plan.workers).map { _ in filterGradient.map { _ in TensorBuffer(count: patch * outChannels) } }
        let partialBiases = (1..<plan.workers).map { _ in biasGradient.map { _ in TensorBuffer(count: outChannels) } }
        filterGradient?.update(repeating: 0, count: patch * outChannels)
        biasGradient?.update(repeating: 0, count: outChannels)
        for partial in partialFilters { partial?.pointer.update(repeating: 0, count: patch * outChannels) }
        for partial in partialBiases { partial?.pointer.update(repeating: 0, count: outChannels) }
        plan.run { worker, images, columns in
            let filterTarget = worker == 0 ? filterGradient : partialFilters[worker - 1]?.pointer
            let biasTarget = worker == 0 ? biasGradient : partialBiases[worker - 1]?.pointer
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
