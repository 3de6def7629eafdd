import KestrelTensor

/// The convolution both the engine benchmark and the tuning sweep time: Conv2D 3×3, 64→64 channels,
/// 32×32 images, batch 128, 'same', with a fixed output gradient for the backward pass.
struct ConvolutionWorkload {
    let input: Tensor
    let kernel: Tensor
    let bias: Tensor
    let outputGradient: Tensor
    /// FLOPs of one pass (forward, dKernel or dInput): 2 · N·H·W · Cout · 3·3·Cin.
    let passFlops = 2.0 * 128 * 32 * 32 * 64 * 3 * 3 * 64

    init() throws {
        var generator = RandomGenerator(seed: 3)
        input = try Tensor.randomUniform([128, 32, 32, 64], generator: &generator).requiringGradient()
        kernel = try Tensor.randomNormal([3, 3, 64, 64], standardDeviation: 0.05, generator: &generator).requiringGradient()
        bias = try Tensor.zeros([64]).requiringGradient()
        outputGradient = try Tensor.randomNormal([128, 32, 32, 64], generator: &generator)
    }

    /// The forward convolution, nothing recorded.
    func forward() throws {
        _ = try Tensor.conv2d(input.detached, filter: kernel.detached, bias: bias.detached, padding: .same)
    }

    /// Forward, then the gradients for input, kernel and bias.
    func step() throws {
        let output = try Tensor.conv2d(input, filter: kernel, bias: bias, padding: .same)
        _ = try gradient(of: output, wrt: [input, kernel, bias], outputGradient: outputGradient)
    }
}
