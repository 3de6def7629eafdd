import Foundation
import Kestrel

/// The MLP workload's training steps alone, on synthetic Fashion-MNIST-shaped data (no dataset read):
/// 784-128-10, Adam, batch 64, accuracy metric, `KESTREL_MLP_STEPS` steps (default 750, one epoch) in
/// one `fit` epoch. Short enough to run under callgrind (`KESTREL_MLP_STEPS=50`) to count a step's
/// instructions, which the load of a shared machine does not change.
func runMLPStepsBenchmark() throws {
    let steps = ProcessInfo.processInfo.environment["KESTREL_MLP_STEPS"].flatMap(Int.init) ?? 750
    Kestrel.setRandomSeed(0)
    var generator = SystemRandomNumberGenerator()
    let rows = max(steps, 1) * 64
    let x = try Tensor(shape: [rows, 784], scalars: (0..<(rows * 784)).map { _ in Float.random(in: 0..<1, using: &generator) })
    let y = Tensor(labels: (0..<rows).map { _ in Int.random(in: 0..<10, using: &generator) })
    let model = try Sequential {
        Input(shape: [784])
        Dense(128, activation: .relu)
        Dense(10, activation: .softmax)
    }
    try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    let start = Date()
    _ = try model.fit(x, y, epochs: 1, batchSize: 64, verbose: 0)
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "mlp-steps: %d steps, %.1f µs per step", steps, seconds / Double(max(steps, 1)) * 1e6))
}
