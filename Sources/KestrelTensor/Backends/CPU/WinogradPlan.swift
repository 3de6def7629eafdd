extension WinogradConvolution {
    /// How a Winograd convolution is cut into tiles, chunks of tiles and blocks of images shared between
    /// the cores (the same deterministic blocks as `ConvolutionKernel.Plan`).
    struct Plan {
        let geometry: WindowGeometry
        let outputChannels: Int
        /// The output tile m (2 or 4).
        let tile: Int
        /// Tiles along the output's height and width.
        let tilesHigh: Int
        let tilesWide: Int
        let workers: Int
        /// Tiles transformed and multiplied together (bounds the per-thread buffers).
        let tilesPerChunk: Int
        /// The vector path of the C transforms (see `EngineConfiguration.winogradVectorWidth`).
        let vectorWidth: Int32

        init(_ geometry: WindowGeometry, outputChannels: Int, tile: Int, backward: Bool = false) {
            let configuration = EngineConfiguration.current
            self.geometry = geometry
            self.outputChannels = outputChannels
            self.tile = tile
            tilesHigh = (geometry.outputHeight + tile - 1) / tile
            tilesWide = (geometry.outputWidth + tile - 1) / tile
            let flops = 2 * geometry.outputPixels * geometry.patchSize * outputChannels
            let splittable = geometry.batch >= 2 && configuration.threadCount > 1
            workers = splittable && flops >= configuration.convolutionParallelFlops
                ? Swift.min(configuration.threadCount, geometry.batch) : 1
            let alpha = tile + 2
            let bytesPerTile = alpha * alpha * (geometry.channels + outputChannels) * MemoryLayout<Float>.stride
            let budget = backward ? configuration.winogradGradientChunkBytes : configuration.winogradChunkBytes
            tilesPerChunk = Swift.max(1, budget / Swift.max(1, bytesPerTile))
            vectorWidth = Int32(configuration.winogradVectorWidth)
        }

        /// α = m + 2: the transformed tile is α × α.
        var alpha: Int { tile + 2 }
        /// α·α: the number of GEMMs per chunk.
        var points: Int { alpha * alpha }
        var tilesPerImage: Int { tilesHigh * tilesWide }

        /// Blocks of whole images: 1 with one worker, otherwise up to `perWorker` per worker.
        func blockCount(perWorker: Int) -> Int {
            workers > 1 ? Swift.max(1, Swift.min(perWorker * workers, geometry.batch)) : 1
        }

        /// The images of block `block` of `blocks`: consecutive, nearly equal ranges in batch order.
        func images(ofBlock block: Int, of blocks: Int) -> Range<Int> {
            let batch = geometry.batch
            let size = (batch + blocks - 1) / blocks
            return Swift.min(batch, block * size)..<Swift.min(batch, (block + 1) * size)
        }

        /// Runs `body(block, images)` for each of `blocks` blocks. With several workers each takes the next
        /// block when it finishes one; a block's images and index never depend on timing, so results
        /// summed per block in block order are the same on every run.
        func run(blocks: Int, _ body: (_ block: Int, _ images: Range<Int>) -> Void) {
            guard workers > 1, blocks > 1 else {
                for block in 0..<blocks { body(block, images(ofBlock: block, of: blocks)) }
                return
            }
            BLAS.useThreads(1)
            let counter = WorkCounter()
            Parallel.forEach(count: workers, threads: workers) { _ in
                while true {
                    let block = counter.take(1)
                    guard block < blocks else { break }
                    let images = self.images(ofBlock: block, of: blocks)
                    if !images.isEmpty { body(block, images) }
                }
            }
        }

        /// Calls `body(tiles)` for consecutive, nearly equal chunks of at most `tilesPerChunk` tiles of `images`.
        func forEachChunk(of images: Range<Int>, _ body: (Range<Int>) -> Void) {
            let tiles = (images.lowerBound * tilesPerImage)..<(images.upperBound * tilesPerImage)
            let chunks = (tiles.count + tilesPerChunk - 1) / tilesPerChunk
            guard chunks > 0 else { return }
            let size = (tiles.count + chunks - 1) / chunks
            var start = tiles.lowerBound
            while start < tiles.upperBound {
                let end = Swift.min(start + size, tiles.upperBound)
                body(start..<end)
                start = end
            }
        }

        /// α·α single-threaded GEMMs, one per transformed point: C_ξ = op(A_ξ)·op(B_ξ) (+ C_ξ when `accumulate`),
        /// the ξ-th matrices lying `strideA`, `strideB`, `strideC` floats apart.
        func batchedGEMM(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
                         accumulate: Bool, c: UnsafeMutablePointer<Float>, strideC: Int) {
            guard m > 0, n > 0, k > 0 else { return }
            for point in 0..<points {
                BLAS.gemmOnCurrentThreads(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          a: a + point * strideA, b: b + point * strideB, beta: accumulate ? 1 : 0,
                                          c: c + point * strideC)
            }
        }
    }
}
