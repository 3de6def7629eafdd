extension ConvolutionKernel {
    /// How a convolution is cut into im2col chunks and shared between the cores.
    struct Plan {
        let geometry: WindowGeometry
        let outputChannels: Int
        let workers: Int
        let chunkPixels: Int

        init(_ geometry: WindowGeometry, outputChannels: Int,
             chunkBytes: Int = EngineConfiguration.current.convolutionColumnChunkBytes) {
            let configuration = EngineConfiguration.current
            self.geometry = geometry
            self.outputChannels = outputChannels
            let patch = geometry.patchSize
            let flops = 2 * geometry.outputPixels * patch * outputChannels
            let splittable = geometry.batch >= 2 && patch > 0 && outputChannels > 0 && configuration.threadCount > 1
            workers = splittable && flops >= configuration.convolutionParallelFlops
                ? Swift.min(configuration.threadCount, geometry.batch) : 1
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
            Parallel.forEach(count: workers, threads: workers) { worker in
                var columns: TensorBuffer?
                while true {
                    let first = counter.take(step)
                    guard first < batch else { break }
                    if columns == nil { columns = scratch(step) }  // a worker that arrives too late allocates nothing
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
}
