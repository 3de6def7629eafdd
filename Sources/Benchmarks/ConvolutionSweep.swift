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

/// im2col against Winograd F(2×2, 3×3) and F(4×4, 3×3) on the seed-000 CNN's convolution shapes and a
/// few more (3×3, 'same', batch 128): forward, input gradient (bwd-data) and kernel gradient (bwd-filter)
/// timed separately in alternated rounds (every method and pass once per round, methods in turn), each
/// keeping its best time; "effective GFLOP/s" counts the direct method's 2·N·H·W·Cout·9·Cin per pass
/// whatever the method, against the sgemm peak measured in the same run. Also prints each Winograd
/// method's relative error max|a − b| / max|b| against im2col on realistic values: post-ReLU inputs
/// (ReLU of a unit normal), He-normal kernels, a unit-normal output gradient.
/// `KESTREL_SWEEP_ROUNDS` sets the number of rounds (default 3); `KESTREL_SWEEP_SHAPES` a comma-separated
/// subset of shape indices; `KESTREL_SWEEP_WINOGRAD_KIB` the Winograd chunk sizes (forward,backward KiB).
func runConvolutionShapeSweep() throws {
    let environment = ProcessInfo.processInfo.environment
    let rounds = environment["KESTREL_SWEEP_ROUNDS"].flatMap(Int.init) ?? 3
    // Winograd chunk sizes to try (KiB, forward and backward), e.g. "1024,4096"; default: the engine's.
    if let kib = environment["KESTREL_SWEEP_WINOGRAD_KIB"]?.split(separator: ",").compactMap({ Int($0) }), kib.count == 2 {
        EngineConfiguration.update {
            $0.winogradChunkBytes = kib[0] << 10
            $0.winogradGradientChunkBytes = kib[1] << 10
        }
    }
    let configuration = EngineConfiguration.current
    print("Winograd chunks: forward \(configuration.winogradChunkBytes >> 10) KiB, backward \(configuration.winogradGradientChunkBytes >> 10) KiB")
    print("Convolution shapes: im2col vs Winograd — \(Parallel.threadCount) threads, load average \(BenchmarkClock.loadAverage)")
    let peak = sgemmPeak(kestrelSplit: false)
    print(String(format: "cblas_sgemm peak in this run: %.1f GFLOP/s", peak))
    let allShapes: [(height: Int, channels: Int, outChannels: Int)] = [(32, 64, 64), (16, 64, 128), (16, 128, 128), (8, 128, 256), (32, 3, 64),
                                                                       (32, 16, 16), (32, 32, 32)]
    let chosen = environment["KESTREL_SWEEP_SHAPES"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? Array(allShapes.indices)
    let shapes = chosen.filter { allShapes.indices.contains($0) }.map { allShapes[$0] }
    let methods: [(String, ConvolutionAlgorithm)] = [("im2col", .im2col), ("F(2x2)", .winograd2x2), ("F(4x4)", .winograd4x4)]
    let passes = ["fwd", "bwd-data", "bwd-filter"]
    let batch = 128
    struct Layer { let input: Tensor; let kernel: Tensor; let bias: Tensor; let outputGradient: Tensor }
    var layers: [Layer] = []
    for (index, shape) in shapes.enumerated() {
        var generator = RandomGenerator(seed: UInt64(40 + index))
        let input = try Tensor.randomNormal([batch, shape.height, shape.height, shape.channels], generator: &generator).relu()
        let kernel = try Tensor.randomNormal([3, 3, shape.channels, shape.outChannels],
                                             standardDeviation: Float((2.0 / Double(9 * shape.channels)).squareRoot()), generator: &generator)
        let bias = try Tensor.randomNormal([shape.outChannels], standardDeviation: 0.1, generator: &generator)
        let outputGradient = try Tensor.randomNormal([batch, shape.height, shape.height, shape.outChannels], generator: &generator)
        layers.append(Layer(input: input, kernel: kernel, bias: bias, outputGradient: outputGradient))
    }
    /// The pass's work as a closure; for the gradients the forward pass runs here, untimed.
    func prepare(_ layer: Layer, pass: Int) throws -> () throws -> Tensor {
        switch pass {
        case 0: return { try Tensor.conv2d(layer.input, filter: layer.kernel, bias: layer.bias, padding: .same) }
        case 1:
            let input = layer.input.requiringGradient()
            let output = try Tensor.conv2d(input, filter: layer.kernel, bias: layer.bias, padding: .same)
            return { try gradient(of: output, wrt: [input], outputGradient: layer.outputGradient)[0] }
        default:
            let kernel = layer.kernel.requiringGradient()
            let output = try Tensor.conv2d(layer.input, filter: kernel, bias: layer.bias, padding: .same)
            return { try gradient(of: output, wrt: [kernel], outputGradient: layer.outputGradient)[0] }
        }
    }
    func run(_ layer: Layer, pass: Int) throws -> Tensor { try prepare(layer, pass: pass)() }
    // Errors first (also a warm-up of every path).
    for (index, layer) in layers.enumerated() {
        let shape = shapes[index]
        var line = "error vs im2col \(shape.height)x\(shape.height)x\(shape.channels)->\(shape.outChannels):"
        for pass in passes.indices {
            let direct = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = .im2col }) { try run(layer, pass: pass) }.scalars
            let scale = direct.map(abs).max() ?? 1
            for (name, method) in methods.dropFirst() {
                let other = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = method }) { try run(layer, pass: pass) }.scalars
                let error = zip(other, direct).map { abs($0 - $1) }.max() ?? 0
                line += String(format: "  %@ %@ %.1e", passes[pass], name, error / scale)
            }
        }
        print(line)
    }
    var best = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: .infinity, count: passes.count), count: methods.count),
                            count: shapes.count)
    for round in 0..<rounds {
        var line = "round \(round + 1) (load \(BenchmarkClock.loadAverage)):"
        for (index, layer) in layers.enumerated() {
            for (methodIndex, method) in methods.enumerated() {
                for pass in passes.indices {
                    let time = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = method.1 }) {
                        let work = try prepare(layer, pass: pass)
                        return try BenchmarkClock.measure(warmUp: 0, repetitions: 1) { _ = try work() }
                    }
                    best[index][methodIndex][pass] = min(best[index][methodIndex][pass], time.best)
                    line += String(format: " %.1f", time.best * 1e3)
                }
            }
        }
        print(line + " ms (shape, method, pass in the order of the table)")
    }
    print("best of \(rounds) rounds, ms (effective GFLOP/s, % of sgemm peak):")
    for (index, shape) in shapes.enumerated() {
        let flops = 2.0 * Double(batch * shape.height * shape.height * shape.outChannels * 9 * shape.channels)
        for (methodIndex, method) in methods.enumerated() {
            var line = String(format: "%2dx%-2d %3d->%-3d %@", shape.height, shape.height, shape.channels, shape.outChannels, method.0)
            for pass in passes.indices {
                let seconds = best[index][methodIndex][pass]
                line += String(format: "  %@ %7.2f (%6.1f, %5.1f%%)", passes[pass], seconds * 1e3, flops / seconds / 1e9,
                               100 * flops / seconds / 1e9 / peak)
            }
            print(line)
        }
    }
    print("load average after: \(BenchmarkClock.loadAverage)")
}
