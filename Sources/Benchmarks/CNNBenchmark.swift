import Foundation
import KestrelTensor

/// The CIFAR-shaped CNN of the README's benchmark table (Conv64-Conv64-Pool-Conv128-Dense256-Dense10, batch 128),
/// written directly with engine ops: forward, loss and all weight gradients per step, without an
/// optimizer update. Shows how close the engine alone comes to the ≥ 350 samples/s goal.
func runCNNBenchmark() throws {
    var generator = RandomGenerator(seed: 4)
    func weight(_ shape: [Int]) throws -> Variable {
        let fanIn = shape.dropLast().reduce(1, *)
        return Variable(try Tensor.randomNormal(shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), generator: &generator),
                        name: "w")
    }
    let conv1 = try weight([3, 3, 3, 64]), conv2 = try weight([3, 3, 64, 64]), conv3 = try weight([3, 3, 64, 128])
    let dense1 = try weight([16 * 16 * 128, 256]), dense2 = try weight([256, 10])
    let biases = try [64, 64, 128, 256, 10].map { Variable(try Tensor.zeros([$0]), name: "b") }
    let variables = [conv1, conv2, conv3, dense1, dense2] + biases
    let batch = 128
    let images = try Tensor.randomUniform([batch, 32, 32, 3], generator: &generator)
    var oneHot = [Float](repeating: 0, count: batch * 10)
    for row in 0..<batch { oneHot[row * 10 + row % 10] = 1 }
    let labels = try Tensor(shape: [batch, 10], scalars: oneHot)

    func loss() throws -> Tensor {
        var x = try Tensor.conv2d(images, filter: conv1.tensor, bias: biases[0].tensor, padding: .same).relu()
        x = try Tensor.conv2d(x, filter: conv2.tensor, bias: biases[1].tensor, padding: .same).relu()
        x = try Tensor.maxPool2d(x, poolSize: (2, 2))
        x = try Tensor.conv2d(x, filter: conv3.tensor, bias: biases[2].tensor, padding: .same).relu()
        x = try Tensor.affine(x.flattenedBatch(), weight: dense1.tensor, bias: biases[3].tensor).relu()
        let logits = try Tensor.affine(x, weight: dense2.tensor, bias: biases[4].tensor)
        return try (logits.logSoftmax() * labels).sum().scaled(by: -1 / Float(batch))
    }
    let step = try BenchmarkClock.measure(warmUp: 1, repetitions: 8) {
        _ = try valueWithGradients(for: variables) { try loss() }
    }
    let forward = try BenchmarkClock.measure(warmUp: 0, repetitions: 5) { _ = try loss() }
    print(String(format: "CIFAR-shaped CNN, batch 128, engine ops only: forward %.0f ms, fwd+bwd %.0f ms/step (median %.0f) → %.0f samples/s (goal ≥ 350)",
                 forward.best * 1e3, step.best * 1e3, step.median * 1e3, Double(batch) / step.best))
}
