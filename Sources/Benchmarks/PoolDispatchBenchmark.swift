import Foundation
import Kestrel

/// What one parallel section of the worker pool costs against the work it splits: the round trip of
/// an empty two-index section, then pairs of independent products [64, k]·[k, n] (a Dense layer's two
/// gradients) run one after the other on the caller and side by side on two threads. Fastest and
/// median of many repetitions, so that a busy machine shows in the medians but hardly in the minima.
/// It says whether a size below which sections should stay on the caller would pay.
func runPoolDispatchBenchmark() throws {
    let repetitions = ProcessInfo.processInfo.environment["KESTREL_POOL_REPETITIONS"].flatMap(Int.init) ?? 4000
    print("pool-dispatch: \(Parallel.threadCount) threads, \(repetitions) repetitions; load \(BenchmarkClock.loadAverage)")
    let empty = BenchmarkClock.measure(warmUp: 100, repetitions: repetitions) { Parallel.forEach(count: 2) { _ in } }
    print(String(format: "empty 2-index section: best %.2f µs, median %.2f µs", empty.best * 1e6, empty.median * 1e6))
    for (k, n) in [(128, 10), (128, 32), (128, 64), (256, 64), (256, 128), (784, 32), (784, 64)] {
        let a = try Tensor.ones([64, k]), b = try Tensor.ones([k, n]), c = try Tensor.ones([64, n]), d = try Tensor.ones([n, k])
        let products: [() -> Void] = [{ _ = try? a.matmul(b) }, { _ = try? c.matmul(d) }]
        let inline = BenchmarkClock.measure(warmUp: 20, repetitions: repetitions) { products[0](); products[1]() }
        let sideBySide = BenchmarkClock.measure(warmUp: 20, repetitions: repetitions) { Parallel.forEach(count: 2) { products[$0]() } }
        print(String(format: "[64,%d]·[%d,%d] pair (%.2f MFLOP each): one thread best %.2f µs median %.2f µs; two threads best %.2f µs median %.2f µs",
                     k, k, n, Double(2 * 64 * k * n) / 1e6, inline.best * 1e6, inline.median * 1e6,
                     sideBySide.best * 1e6, sideBySide.median * 1e6))
    }
}
