import Foundation
import KestrelTensor

/// Tuning sweep for the convolution kernels: forward+backward time of the benchmark convolution for
/// several im2col chunk sizes, with the batch split across cores and with one worker on multi-threaded BLAS.
func runConvolutionSweep() throws {
    print("Convolution sweep — load average \(BenchmarkClock.loadAverage)")
    var generator = RandomGenerator(seed: 3)
    let input = Variable(Tensor.randomUniform([128, 32, 32, 64], generator: &generator), name: "x")
    let kernel = Variable(Tensor.randomNormal([3, 3, 64, 64], standardDeviation: 0.05, generator: &generator), name: "kernel")
    let bias = Variable(Tensor.zeros([64]), name: "bias")
    let passFlops = 2.0 * 128 * 32 * 32 * 64 * 3 * 3 * 64
    let (savedBytes, savedFlops) = (Convolution.columnChunkBytes, Convolution.parallelFlops)
    defer { (Convolution.columnChunkBytes, Convolution.parallelFlops) = (savedBytes, savedFlops) }
    for split in [true, false] {
        Convolution.parallelFlops = split ? savedFlops : Int.max
        for kib in [256, 512, 1024, 2048, 4096, 8192] {
            Convolution.columnChunkBytes = kib << 10
            let forward = try BenchmarkClock.measure(warmUp: 1, repetitions: 3) {
                _ = try Tensor.conv2d(input.value, filter: kernel.value, bias: bias.value, padding: .same)
            }
            let step = try BenchmarkClock.measure(warmUp: 1, repetitions: 3) {
                _ = try valueWithGradients(for: [input, kernel, bias]) {
                    try Tensor.conv2d(input.tensor, filter: kernel.tensor, bias: bias.tensor, padding: .same).sum()
                }
            }
            print(String(format: "%@ chunk %5d KiB: forward %6.1f ms (%5.1f GFLOP/s), fwd+bwd %6.1f ms (%5.1f GFLOP/s)",
                         split ? "split batch " : "one worker  ", kib, forward.best * 1e3, passFlops / forward.best / 1e9,
                         step.best * 1e3, 3 * passFlops / step.best / 1e9))
        }
    }
    print("load average after: \(BenchmarkClock.loadAverage)")
}
