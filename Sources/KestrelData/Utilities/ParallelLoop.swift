import KestrelTensor

/// Splits `0..<count` into about four chunks per thread for the image transforms, run through the
/// engine's `Parallel` (its worker pool when free, so the configured thread count holds here too) so
/// that uneven images balance out; small jobs, and all of them with one thread, run inline.
enum ParallelLoop {
    static func run(count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let totalCost = count * max(costPerItem, 1)
        let threads = Parallel.threadCount
        let chunks = min(count, totalCost < 32_768 || threads == 1 ? 1 : threads * 4)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        Parallel.forEach(count: chunks) { chunk in
            let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
            if start < end { body(start..<end) }
        }
    }
}
