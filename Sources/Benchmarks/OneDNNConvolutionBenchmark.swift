import CBLAS
import Foundation
import KestrelTensor

/// `Benchmarks onednn-conv`: oneDNN's convolution primitives (Debian's libdnnl 2.6, the `OneDNN` trait)
/// against Kestrel's im2col + OpenBLAS and Kestrel's automatic choice (its own Winograd), inside Kestrel (`Tensor.conv2d` and its gradients, so both pay
/// the same tensor overheads; the backward passes time `gradient(of:)` alone), for the seed-000 CNN's convolutions at batch 128 plus a 1×1 and a
/// stride-2 shape; forward, input gradient and kernel(+bias) gradient. Three rounds, each variant
/// measured right after the others for the same shape and pass, the load average beside every shape;
/// ms is the best of 2 runs after a warm-up; GFLOP/s against the sgemm peak measured in the same run.
/// Reorders between Kestrel's layouts and oneDNN's are inside the timed call. Thread count: Kestrel's
/// (`KESTREL_NUM_THREADS` or the processor budget; run under `taskset -c 0` for one).
func runOneDNNConvolutionBenchmark() throws {
    let threads = EngineConfiguration.current.threadCount
    print("onednn-conv — \(threads) thread(s), load average \(BenchmarkClock.loadAverage)")
    let peak = oneDNNBenchmarkPeak(threads: threads)
    print(String(format: "cblas_sgemm peak (1024², %d OpenBLAS thread(s), best of 20): %.1f GFLOP/s", threads, peak))
    let shapes = OneDNNBenchmarkShape.all
    let variants: [OneDNNConvolutionRoute] = [.im2col, .oneDNN(.init(.direct, .nhwc)), .oneDNN(.init(.direct, .any)),
                                               .oneDNN(.init(.winograd, .any)), .oneDNN(.init(.automatic, .any))]
    // Which implementation oneDNN picks (or why it has none) for every shape, pass and variant.
    var available: Set<String> = []
    for shape in shapes {
        for pass in OneDNNConvolutionPass.allCases {
            for case .oneDNN(let variant) in variants {
                let label = "\(shape.name) \(pass) \(variant)"
                do {
                    let name = try OneDNNConvolution.implementation(
                        inputShape: shape.input, filterShape: shape.filter, strides: shape.strides, padding: shape.padding,
                        pass: pass, variant: variant, bias: pass != .inputGradient)
                    available.insert(label)
                    print("implementation \(label): \(name)")
                } catch {
                    print("implementation \(label): none (\(error))")
                }
            }
        }
    }
    // Kestrel's own methods (im2col, and its automatic choice: Winograd F(4×4) on 3×3 layers of ≥ 32
    // channels) beside every oneDNN variant.
    let contenders: [(String, OneDNNConvolutionRoute, ConvolutionAlgorithm)] =
        [("Kestrel im2col", .im2col, .im2col), ("Kestrel automatic", .im2col, .automatic)]
        + variants.compactMap { route in
            guard case .oneDNN(let variant) = route else { return nil }
            return ("oneDNN \(variant)", route, .oneDNN)
        }
    var best: [String: Double] = [:]
    print("| round | shape | pass | variant | ms | GFLOP/s | % of sgemm peak | load |")
    for round in 1...3 {
        for shape in shapes {
            let workload = try OneDNNBenchmarkWorkload(shape)
            let load = BenchmarkClock.loadAverage
            for pass in OneDNNConvolutionPass.allCases {
                for (name, route, algorithm) in contenders {
                    if case .oneDNN(let variant) = route, !available.contains("\(shape.name) \(pass) \(variant)") { continue }
                    let time = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = algorithm }) {
                        try OneDNNConvolution.$route.withValue(route) {
                            let run = try workload.pass(pass)
                            return try BenchmarkClock.measure(warmUp: 1, repetitions: 2) { try run() }
                        }
                    }.best
                    let key = "\(shape.name) | \(pass) | \(name)"
                    best[key] = min(best[key] ?? .infinity, time)
                    print(String(format: "| %d | %@ | %@ | %@ | %.2f | %.1f | %.1f | %@ |", round, shape.name, "\(pass)", name,
                                 time * 1e3, shape.flops / time / 1e9, 100 * shape.flops / time / 1e9 / peak, load))
                }
            }
        }
    }
    print("best of the rounds:")
    for key in best.keys.sorted() { print(String(format: "%@: %.2f ms", key, best[key]! * 1e3)) }
    print(String(format: "cblas_sgemm peak again: %.1f GFLOP/s; load average after: %@", oneDNNBenchmarkPeak(threads: threads),
                 BenchmarkClock.loadAverage))
}

/// Best GFLOP/s of a 1024² `cblas_sgemm` on `threads` OpenBLAS threads (the physical reference).
private func oneDNNBenchmarkPeak(threads: Int) -> Double {
    let size = 1024
    var generator = RandomGenerator(seed: 1)
    let left = (try? Tensor.randomUniform([size, size], generator: &generator))?.scalars ?? []
    let right = (try? Tensor.randomUniform([size, size], generator: &generator))?.scalars ?? []
    var product = [Float](repeating: 0, count: size * size)
    openblas_set_num_threads(Int32(threads))
    let time = BenchmarkClock.measure(repetitions: 20) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(size), Int32(size), Int32(size), 1,
                    left, Int32(size), right, Int32(size), 0, &product, Int32(size))
    }
    openblas_set_num_threads(1)
    return 2 * pow(Double(size), 3) / time.best / 1e9
}
