import Foundation
import KestrelTensor

/// The convolution shapes that keep im2col under the automatic choice (the 3-channel first layer,
/// a 1×1, a stride-2 3×3, a 3×3 below the Winograd channel threshold), batch 128: forward and
/// forward+backward, best of `KESTREL_CHECK_ROUNDS` (default 5) each. Written against the public
/// `Tensor.conv2d` alone, so the same file builds on a commit from before Winograd and the two
/// binaries can be timed in alternated rounds ("no slowdown of shapes that keep im2col").
func runIm2colShapeCheck() throws {
    print("im2col shapes — load average \(BenchmarkClock.loadAverage)")
    let shapes: [(label: String, side: Int, inChannels: Int, outChannels: Int, window: Int, stride: Int)] = [
        ("3x3 32x32x3->64 (first layer)", 32, 3, 64, 3, 1),
        ("1x1 16x16x128->128", 16, 128, 128, 1, 1),
        ("3x3 stride 2 32x32x64->128", 32, 64, 128, 3, 2),
        ("3x3 32x32x16->16", 32, 16, 16, 3, 1),
    ]
    let rounds = Int(ProcessInfo.processInfo.environment["KESTREL_CHECK_ROUNDS"] ?? "") ?? 5
    var generator = RandomGenerator(seed: 11)
    for shape in shapes {
        let input = try Tensor.randomUniform([128, shape.side, shape.side, shape.inChannels], generator: &generator)
            .requiringGradient()
        let kernel = try Tensor.randomNormal([shape.window, shape.window, shape.inChannels, shape.outChannels],
                                             standardDeviation: 0.05, generator: &generator).requiringGradient()
        let bias = try Tensor.zeros([shape.outChannels]).requiringGradient()
        let strides = (shape.stride, shape.stride)
        let probe = try Tensor.conv2d(input.detached, filter: kernel.detached, bias: bias.detached, strides: strides, padding: .same)
        let outputGradient = try Tensor.randomNormal(probe.shape, generator: &generator)
        let forward = try BenchmarkClock.measure(repetitions: rounds) {
            _ = try Tensor.conv2d(input.detached, filter: kernel.detached, bias: bias.detached, strides: strides, padding: .same)
        }
        let step = try BenchmarkClock.measure(repetitions: rounds) {
            let output = try Tensor.conv2d(input, filter: kernel, bias: bias, strides: strides, padding: .same)
            _ = try gradient(of: output, wrt: [input, kernel, bias], outputGradient: outputGradient)
        }
        print(String(format: "%@: forward %7.2f ms (median %7.2f), fwd+bwd %7.2f ms (median %7.2f)",
                     shape.label, forward.best * 1e3, forward.median * 1e3, step.best * 1e3, step.median * 1e3))
    }
    print("load average after: \(BenchmarkClock.loadAverage)")
}
