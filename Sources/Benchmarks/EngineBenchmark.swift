import CBLAS
import Foundation
import KestrelTensor

/// The engine benchmark of issue 2: sgemm peak, Dense and Conv2D forward+backward GFLOP/s.
func runEngineBenchmark() throws {
    print("Kestrel engine benchmark — \(Parallel.threadCount) threads, load average \(BenchmarkClock.loadAverage)")
    let peak = sgemmPeak(kestrelSplit: false)
    print(String(format: "cblas_sgemm peak (square 1024/2048, OpenBLAS threads on all cores, best run): %.1f GFLOP/s", peak))
    print(String(format: "Tensor.matmul, same products (single-threaded OpenBLAS per core, Kestrel's split): %.1f GFLOP/s",
                 sgemmPeak(kestrelSplit: true)))
    for batch in [64, 512] { try denseBenchmark(batch: batch, peak: peak) }
    try convolutionBenchmark(peak: peak)
    print("load average after: \(BenchmarkClock.loadAverage)")
}

/// Best GFLOP/s of large square single-precision products (1024² and 2048², best of many runs, so
/// that a quiet moment on a shared machine is caught): `cblas_sgemm` on plain arrays with OpenBLAS's
/// own threads on all cores when `kestrelSplit` is false, else the engine's `Tensor.matmul` (its CPU
/// backend runs single-threaded OpenBLAS per core on a block of rows; the result comes from the
/// engine's buffer pool, so after the first run no allocation is timed).
func sgemmPeak(kestrelSplit: Bool) -> Double {
    var best = 0.0
    for (size, repetitions) in [(1024, 30), (2048, 6)] {
        var generator = RandomGenerator(seed: 1)
        let a = try! Tensor.randomUniform([size, size], generator: &generator)  // fixed valid shapes
        let b = try! Tensor.randomUniform([size, size], generator: &generator)
        let time: (best: Double, median: Double)
        if kestrelSplit {
            time = BenchmarkClock.measure(repetitions: repetitions) { _ = try? a.matmul(b) }
        } else {
            let (left, right) = (a.scalars, b.scalars)
            var product = [Float](repeating: 0, count: size * size)
            openblas_set_num_threads(Int32(Parallel.threadCount))
            time = BenchmarkClock.measure(repetitions: repetitions) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(size), Int32(size), Int32(size), 1,
                            left, Int32(size), right, Int32(size), 0, &product, Int32(size))
            }
            openblas_set_num_threads(1)
        }
        best = max(best, 2 * pow(Double(size), 3) / time.best / 1e9)
    }
    return best
}

private func report(_ label: String, flops: Double, time: (best: Double, median: Double), peak: Double) {
    let best = flops / time.best / 1e9, median = flops / time.median / 1e9
    print(String(format: "%@: %7.2f ms/step (median %7.2f) → %6.1f GFLOP/s = %5.1f%% of sgemm peak (median %5.1f%%)",
                 label, time.best * 1e3, time.median * 1e3, best, 100 * best / peak, 100 * median / peak))
}

/// Dense 784→128 forward + backward: `Tensor.affine`, then the tape's backward pass from a given
/// output gradient (`gradient(of:wrt:outputGradient:)`) for input, kernel and bias — 3 GEMMs of
/// 2·m·n·k each (forward, dKernel, dInput); also without dInput (2 GEMMs, a first layer).
private func denseBenchmark(batch: Int, peak: Double) throws {
    var generator = RandomGenerator(seed: 2)
    let input = try Tensor.randomUniform([batch, 784], generator: &generator).requiringGradient()
    let kernel = try Tensor.randomNormal([784, 128], standardDeviation: 0.05, generator: &generator).requiringGradient()
    let bias = try Tensor.zeros([128]).requiringGradient()
    let outputGradient = try Tensor.randomNormal([batch, 128], generator: &generator)
    let gemmFlops = 2.0 * Double(batch) * 784 * 128
    let repetitions = batch == 64 ? 400 : 100
    let forward = try BenchmarkClock.measure(warmUp: 3, repetitions: repetitions) {
        _ = try Tensor.affine(input.detached, weight: kernel.detached, bias: bias.detached)
    }
    report(String(format: "Dense 784→128 batch %3d forward only        ", batch), flops: gemmFlops, time: forward, peak: peak)
    let step = try BenchmarkClock.measure(warmUp: 3, repetitions: repetitions) {
        let output = try Tensor.affine(input, weight: kernel, bias: bias)
        _ = try gradient(of: output, wrt: [input, kernel, bias], outputGradient: outputGradient)
    }
    report(String(format: "Dense 784→128 batch %3d fwd+bwd (3 GEMMs)   ", batch), flops: 3 * gemmFlops, time: step, peak: peak)
    let noInputGradient = try BenchmarkClock.measure(warmUp: 3, repetitions: repetitions) {
        let output = try Tensor.affine(input.detached, weight: kernel, bias: bias)
        _ = try gradient(of: output, wrt: [kernel, bias], outputGradient: outputGradient)
    }
    report(String(format: "Dense 784→128 batch %3d fwd+bwd, no dX (2)  ", batch), flops: 2 * gemmFlops,
           time: noInputGradient, peak: peak)
}

/// Conv2D 3×3, 64→64 channels, 32×32 images, batch 128, 'same': forward, then the backward pass from a
/// given output gradient for input, kernel and bias (forward, dKernel and dInput each cost
/// 2 · N·H·W · Cout · 3·3·Cin FLOPs).
private func convolutionBenchmark(peak: Double) throws {
    let workload = try ConvolutionWorkload()
    let passFlops = workload.passFlops
    let forward = try BenchmarkClock.measure(warmUp: 1, repetitions: 6) { try workload.forward() }
    report("Conv2D 3×3 64→64 32×32 b128 forward only     ", flops: passFlops, time: forward, peak: peak)
    let step = try BenchmarkClock.measure(warmUp: 1, repetitions: 8) { try workload.step() }
    report("Conv2D 3×3 64→64 32×32 b128 fwd+bwd (3 passes)", flops: 3 * passFlops, time: step, peak: peak)
}
