import Foundation
import Kestrel

/// Splits one epoch of the MLP workload into phases (batch gather, forward+loss, backward, optimizer,
/// metrics) with the public custom-training-loop API, to show where the time goes.
func runMLPPhaseBenchmark() throws {
    let (train, _) = try Datasets.fashionMNIST.load()
    let x = try Tensor(shape: [train.count, 784], scalars: train.pixels.map { Float($0) / 255 })
    let y = Tensor(labels: train.labels)
    Kestrel.setRandomSeed(0)
    let model = try Sequential {
        Input(shape: [784])
        Dense(128, activation: .relu)
        Dense(10)
    }
    try model.build(inputShape: [784])
    let optimizer = try Adam()
    let loss = SparseCategoricalCrossentropy(fromLogits: true)
    let variables = model.trainableWeights
    var generator = SystemRandomNumberGenerator()
    var gather = 0.0, forward = 0.0, backward = 0.0, update = 0.0
    func now() -> Double { Date().timeIntervalSinceReferenceDate }
    for epoch in 0..<3 {
        gather = 0; forward = 0; backward = 0; update = 0
        let order = Array(0..<48_000).shuffled(using: &generator)
        let start = now()
        for step in 0..<750 {
            let t0 = now()
            let indices = Array(order[(step * 64)..<((step + 1) * 64)])
            let batchX = try x.gathering(rows: indices), batchY = try y.gathering(rows: indices)
            let t1 = now()
            var t2 = t1
            let (_, gradients) = try valueWithGradients(for: variables) {
                let value = try loss(batchY, model(batchX, training: true))
                t2 = now()
                return value
            }
            let t3 = now()
            try optimizer.apply(gradients: gradients, to: variables)
            let t4 = now()
            gather += t1 - t0; forward += t2 - t1; backward += t3 - t2; update += t4 - t3
        }
        let total = now() - start
        print(String(format: "epoch %d: %.3f s — gather %.3f, forward+loss %.3f, backward %.3f, optimizer %.3f",
                     epoch + 1, total, gather, forward, backward, update))
    }
}
