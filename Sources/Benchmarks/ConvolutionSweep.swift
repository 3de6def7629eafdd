import Foundation
import KestrelTensor

/// Tuning sweep for the convolution kernels on the benchmark convolution (3×3, 64→64, 32×32, batch
/// 128, 'same'): configurations are run in interleaved rounds and each keeps its fastest step, so
/// load from other processes on a shared machine disturbs all of them alike.
func runConvolutionSweep() throws {
    print("Convolution sweep — load average \(BenchmarkClock.loadAverage)")
    let workload = try ConvolutionWorkload()
    let passFlops = workload.passFlops
    let saved = EngineConfiguration.current

    struct Configuration {
        let label: String; let chunkKiB: Int; let filterChunkKiB: Int; let split: Bool; let transposed: Bool
    }
    var configurations: [Configuration] = []
    for (kib, filterKiB) in [(256, 2048), (512, 2048), (1024, 2048), (2048, 2048), (1024, 512), (1024, 1024), (1024, 4096), (1024, 8192)] {
        configurations.append(Configuration(label: "cores take images, dX=conv  ", chunkKiB: kib, filterChunkKiB: filterKiB,
                                            split: true, transposed: true))
    }
    configurations.append(Configuration(label: "cores take images, dX=col2im", chunkKiB: saved.convolutionColumnChunkBytes >> 10, filterChunkKiB: 0,
                                        split: true, transposed: false))
    configurations.append(Configuration(label: "one worker, BLAS.gemm split ", chunkKiB: 4096, filterChunkKiB: 4096,
                                        split: false, transposed: true))

    var forwardBest = [Double](repeating: .infinity, count: configurations.count)
    var stepBest = forwardBest
    for _ in 0..<5 {
        for (index, configuration) in configurations.enumerated() {
            var settings = saved
            settings.convolutionColumnChunkBytes = configuration.chunkKiB << 10
            settings.convolutionParallelFlops = configuration.split ? saved.convolutionParallelFlops : Int.max
            settings.transposedConvolutionInputGradient = configuration.transposed
            settings.convolutionFilterGradientChunkBytes = configuration.filterChunkKiB << 10
            let (forward, step) = try EngineConfiguration.withValue(settings) {
                (try BenchmarkClock.measure(warmUp: 0, repetitions: 1) { try workload.forward() },
                 try BenchmarkClock.measure(warmUp: 0, repetitions: 1) { try workload.step() })
            }
            forwardBest[index] = min(forwardBest[index], forward.best)
            stepBest[index] = min(stepBest[index], step.best)
        }
    }
    for (index, configuration) in configurations.enumerated() {
        print(String(format: "%@ chunk %5d KiB, dW chunk %5d KiB: fwd %6.1f ms (%5.1f GFLOP/s), fwd+bwd %6.1f ms (%5.1f GFLOP/s)",
                     configuration.label, configuration.chunkKiB, configuration.filterChunkKiB, forwardBest[index] * 1e3, passFlops / forwardBest[index] / 1e9,
                     stepBest[index] * 1e3, 3 * passFlops / stepBest[index] / 1e9))
    }
    print("load average after: \(BenchmarkClock.loadAverage)")
}
