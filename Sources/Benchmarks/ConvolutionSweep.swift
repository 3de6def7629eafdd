import Foundation
import KestrelTensor

/// Tuning sweep for the convolution kernels on the benchmark convolution (3×3, 64→64, 32×32, batch
/// 128, 'same'): configurations are run in interleaved rounds and each keeps its fastest step, so
/// load from other processes on a shared machine disturbs all of them alike.
func runConvolutionSweep() throws {
    print("Convolution sweep — load average \(BenchmarkClock.loadAverage)")
    var generator = RandomGenerator(seed: 3)
    let input = Variable(Tensor.randomUniform([128, 32, 32, 64], generator: &generator), name: "x")
    let kernel = Variable(Tensor.randomNormal([3, 3, 64, 64], standardDeviation: 0.05, generator: &generator), name: "kernel")
    let bias = Variable(Tensor.zeros([64]), name: "bias")
    let passFlops = 2.0 * 128 * 32 * 32 * 64 * 3 * 3 * 64
    let saved = (Convolution.columnChunkBytes, Convolution.parallelFlops, Convolution.transposedInputGradient)
    defer { (Convolution.columnChunkBytes, Convolution.parallelFlops, Convolution.transposedInputGradient) = saved }

    struct Configuration { let label: String; let chunkKiB: Int; let split: Bool; let transposed: Bool }
    var configurations: [Configuration] = []
    for kib in [128, 256, 512, 1024, 2048] {
        configurations.append(Configuration(label: "cores take images, dX=conv  ", chunkKiB: kib, split: true, transposed: true))
    }
    configurations.append(Configuration(label: "cores take images, dX=col2im", chunkKiB: saved.0 >> 10, split: true, transposed: false))
    configurations.append(Configuration(label: "one worker + BLAS threads   ", chunkKiB: 2048, split: false, transposed: true))
    configurations.append(Configuration(label: "one worker + BLAS threads   ", chunkKiB: 8192, split: false, transposed: true))

    var forwardBest = [Double](repeating: .infinity, count: configurations.count)
    var stepBest = forwardBest
    for _ in 0..<5 {
        for (index, configuration) in configurations.enumerated() {
            Convolution.columnChunkBytes = configuration.chunkKiB << 10
            Convolution.parallelFlops = configuration.split ? saved.1 : Int.max
            Convolution.transposedInputGradient = configuration.transposed
            let forward = try BenchmarkClock.measure(warmUp: 0, repetitions: 1) {
                _ = try Tensor.conv2d(input.value, filter: kernel.value, bias: bias.value, padding: .same)
            }
            let step = try BenchmarkClock.measure(warmUp: 0, repetitions: 1) {
                _ = try valueWithGradients(for: [input, kernel, bias]) {
                    try Tensor.conv2d(input.tensor, filter: kernel.tensor, bias: bias.tensor, padding: .same).sum()
                }
            }
            forwardBest[index] = min(forwardBest[index], forward.best)
            stepBest[index] = min(stepBest[index], step.best)
        }
    }
    for (index, configuration) in configurations.enumerated() {
        print(String(format: "%@ chunk %5d KiB: fwd %6.1f ms (%5.1f GFLOP/s), fwd+bwd %6.1f ms (%5.1f GFLOP/s)",
                     configuration.label, configuration.chunkKiB, forwardBest[index] * 1e3, passFlops / forwardBest[index] / 1e9,
                     stepBest[index] * 1e3, 3 * passFlops / stepBest[index] / 1e9))
    }
    print("load average after: \(BenchmarkClock.loadAverage)")
}
