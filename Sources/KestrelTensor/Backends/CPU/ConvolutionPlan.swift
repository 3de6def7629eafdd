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

        /// How many blocks of images `run` cuts the batch into: 1 with one worker; otherwise up to four
        /// per worker, each of at least `imagesPerTask` images where the batch allows.
        var blockCount: Int {
            guard workers > 1 else { return 1 }
            let tasks = (geometry.batch + imagesPerTask - 1) / imagesPerTask
            return Swift.max(1, Swift.min(4 * workers, tasks))
        }

        /// The images of block `block`: consecutive, nearly equal ranges in batch order.
        func images(ofBlock block: Int) -> Range<Int> {
            let batch = geometry.batch, blocks = blockCount
            let size = (batch + blocks - 1) / blocks
            return Swift.min(batch, block * size)..<Swift.min(batch, (block + 1) * size)
        }

        /// Runs `body(block, images, columns)` for every block of whole images (`blockCount` of them).
        /// With several workers, each takes the next block as soon as it finishes one (so a core slowed by
        /// other work simply takes fewer blocks); which blocks a worker gets varies from run to run, but a
        /// block's images and index do not, so results summed per block in block order are the same on
        /// every run. `columns` is the worker's own im2col scratch buffer of at most
        /// `chunkPixels × patchSize` values (nil for pointwise convolutions).
        func run(_ body: (_ block: Int, _ images: Range<Int>, _ columns: UnsafeMutablePointer<Float>?) -> Void) {
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
            let blocks = blockCount
            Parallel.forEach(count: workers, threads: workers) { _ in
                var columns: TensorBuffer?
                while true {
                    let block = counter.take(1)
                    guard block < blocks else { break }
                    let images = self.images(ofBlock: block)
                    guard !images.isEmpty else { continue }
                    if columns == nil { columns = scratch(images.count) }  // a worker that arrives too late allocates nothing
                    body(block, images, columns?.pointer)
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
