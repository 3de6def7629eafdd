import Foundation
import Kestrel

/// The MLP workload's training steps alone, on synthetic Fashion-MNIST-shaped data (no dataset read):
/// 784-128-10, Adam, batch 64, accuracy metric, `KESTREL_MLP_STEPS` steps (default 750, one epoch) per
/// `fit` epoch. With `KESTREL_MLP_ROUNDS=0` one epoch, short enough for callgrind (`KESTREL_MLP_STEPS=40`).
/// Otherwise (default 5 rounds) each round times one epoch whose optimizer steps must make new storage
/// (a callback holds the weights during every step, as a user reading them would: the out-of-place
/// update every step took before updates went in place) and one epoch updated in place, one after the
/// other in the same process, and prints both and their ratio: an A/B that a busy machine's load
/// shifts for both sides alike.
func runMLPStepsBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let steps = max(environment["KESTREL_MLP_STEPS"].flatMap(Int.init) ?? 750, 1)
    let rounds = max(environment["KESTREL_MLP_ROUNDS"].flatMap(Int.init) ?? 5, 0)
    Kestrel.setRandomSeed(0)
    var generator = RandomGenerator(seed: 1)
    let rows = steps * 64
    let x = try Tensor.randomUniform([rows, 784], generator: &generator)
    let y = Tensor(labels: (0..<rows).map { _ in Int.random(in: 0..<10, using: &generator) })
    let model = try Sequential {
        Input(shape: [784])
        Dense(128, activation: .relu)
        Dense(10, activation: .softmax)
    }
    try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    func epochSeconds(holdingWeights: Bool) throws -> Double {
        let start = Date()
        _ = try model.fit(x, y, epochs: 1, batchSize: 64, verbose: 0, callbacks: holdingWeights ? [WeightHolder(model)] : [])
        return Date().timeIntervalSince(start)
    }
    guard rounds > 0 else {
        let seconds = try epochSeconds(holdingWeights: false)
        print(String(format: "mlp-steps: %d steps, %.1f µs per step", steps, seconds / Double(steps) * 1e6))
        return
    }
    var ratios: [Double] = []
    for round in 1...rounds {
        let held = try epochSeconds(holdingWeights: true)
        let inPlace = try epochSeconds(holdingWeights: false)
        ratios.append(held / inPlace)
        print(String(format: "round %d: weights held (new storage each step) %.1f µs/step, in place %.1f µs/step, ratio %.3f",
                     round, held / Double(steps) * 1e6, inPlace / Double(steps) * 1e6, held / inPlace))
    }
    print(String(format: "mlp-steps: median ratio held/in-place %.3f over %d rounds", ratios.sorted()[ratios.count / 2], rounds))
}

/// Holds every weight's current value during each training step, so the optimizer cannot rewrite it.
private final class WeightHolder: Callback, @unchecked Sendable {
    private let trainedModel: Model
    private var held: [Tensor] = []

    init(_ model: Model) { self.trainedModel = model }

    override func onTrainBatchBegin(_ batch: Int, logs: inout [String: Double]) throws { held = trainedModel.weights.map(\.value) }
    override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws { held = [] }
}

/// Adam's step alone on the MLP's four variables (784×128, 128, 128×10, 10), alternating blocks of 50
/// steps whose weights are held elsewhere (the update makes new storage) with blocks updated in place,
/// `KESTREL_ADAM_BLOCKS` pairs (default 40); prints the median µs per step of each kind.
func runAdamStepBenchmark() throws {
    let pairs = max(ProcessInfo.processInfo.environment["KESTREL_ADAM_BLOCKS"].flatMap(Int.init) ?? 40, 1)
    var generator = RandomGenerator(seed: 2)
    func random(_ shape: [Int]) throws -> Tensor { try Tensor.randomUniform(shape, low: -0.1, high: 0.1, generator: &generator) }
    let shapes = [[784, 128], [128], [128, 10], [10]]
    let variables = try shapes.map { Variable(try random($0), name: "w") }
    let gradients = try shapes.map(random)
    let optimizer = try Adam()
    func block(holding: Bool) throws -> Double {
        let start = Date()
        for _ in 0..<50 {
            let held = holding ? variables.map(\.value) : []
            try optimizer.apply(gradients: gradients, to: variables)
            withExtendedLifetime(held) {}
        }
        return Date().timeIntervalSince(start) / 50 * 1e6
    }
    _ = try block(holding: false)
    var heldTimes: [Double] = [], inPlaceTimes: [Double] = []
    for _ in 0..<pairs {
        heldTimes.append(try block(holding: true))
        inPlaceTimes.append(try block(holding: false))
    }
    let median = { (values: [Double]) in values.sorted()[values.count / 2] }
    print(String(format: "adam-step: weights held (new storage) %.1f µs/step, in place %.1f µs/step (medians of %d blocks of 50)",
                 median(heldTimes), median(inPlaceTimes), pairs))
}
