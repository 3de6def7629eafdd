import Foundation
import Kestrel

/// The Fashion-MNIST MLP (784-128-10, Adam, batch 64, validation split 0.2) built twice, as a
/// `Sequential` and as a functional `Model(inputs:outputs:)`, trained one epoch each in alternation
/// (so both see the same machine load); prints each one's seconds per epoch and their ratio.
func runFunctionalMLPBenchmark() throws {
    let rounds = ProcessInfo.processInfo.environment["KESTREL_MLP_EPOCHS"].flatMap(Int.init) ?? 3
    let (train, _) = try Datasets.fashionMNIST.load()
    let x = try Tensor(shape: [train.count, 784], scalars: train.pixels.map { Float($0) / 255 })
    let y = Tensor(labels: train.labels)
    Kestrel.setRandomSeed(0)
    let sequential = try Sequential {
        Input(shape: [784])
        Dense(128, activation: .relu)
        Dense(10, activation: .softmax)
    }
    let inputs = Input(shape: [784])
    let hidden = try Dense(128, activation: .relu)(inputs)
    let functional = try Model(inputs: inputs, outputs: try Dense(10, activation: .softmax)(hidden))
    try functional.setWeights(sequential.getWeights())
    for model in [sequential, functional] as [Model] {
        try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    }
    var seconds: [[Double]] = [[], []]
    var accuracy: [Double] = [0, 0]
    for _ in 0..<rounds {
        for (index, model) in ([sequential, functional] as [Model]).enumerated() {
            let start = Date()
            let history = try model.fit(x, y, epochs: 1, batchSize: 64, verbose: 0, validationSplit: 0.2)
            seconds[index].append(Date().timeIntervalSince(start))
            accuracy[index] = history["val_accuracy"]?.last ?? .nan
        }
    }
    func describe(_ values: [Double]) -> String { values.map { String(format: "%.3f", $0) }.joined(separator: " ") }
    print("functional-mlp sequential epoch seconds:", describe(seconds[0]), String(format: "(val_accuracy %.4f)", accuracy[0]))
    print("functional-mlp functional epoch seconds:", describe(seconds[1]), String(format: "(val_accuracy %.4f)", accuracy[1]))
    let sequentialBest = seconds[0].min() ?? .nan, functionalBest = seconds[1].min() ?? .nan
    print(String(format: "functional/sequential seconds per epoch: best %.3f / %.3f = %.3f; mean ratio %.3f",
                 functionalBest, sequentialBest, functionalBest / sequentialBest,
                 seconds[1].reduce(0, +) / seconds[0].reduce(0, +)))
}
