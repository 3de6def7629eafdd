// A training loop written by hand (what `fit` does for you): batches, a forward pass under
// `valueWithGradients(for:)`, and `optimizer.apply(gradients:to:)` — then the diagnosis of the
// curves it recorded.
//
//   swift run -c release CustomTrainingLoop [--epochs 10]
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Epochs to train.") var epochs = 10
}
let epochs = Options.parseOrExit().epochs
let (train, _) = try Datasets.fashionMNIST.load()
let x = train.normalizedX, y = train.y
let (trainX, trainY) = (try x.slice(rows: 0..<48_000), try y.slice(rows: 0..<48_000))
let (valX, valY) = (try x.slice(rows: 48_000..<60_000), try y.slice(rows: 48_000..<60_000))

Kestrel.setRandomSeed(0)
let model = try Sequential {
    Input(shape: [28, 28])
    Flatten()
    Dense(128, activation: .relu)
    Dense(10, activation: .softmax)
}
_ = try model.outputShape(forInput: [28, 28])  // builds the weights
let loss = Loss.sparseCategoricalCrossentropy
let optimizer = try Optimizer.adam(learningRate: 0.001)
let batchSize = 64

func accuracy(_ probabilities: Tensor, _ labels: Tensor) throws -> Double {
    let predicted = try probabilities.argmaxIndices()
    return Double(zip(predicted, labels.scalars).filter { $0 == Int($1) }.count) / Double(predicted.count)
}

var log = TrainingLog()
for epoch in 0..<epochs {
    var order = Array(0..<trainX.shape[0])
    order.shuffle()
    var lossSum = 0.0, correct = 0.0
    for start in stride(from: 0, to: order.count, by: batchSize) {
        let indices = Array(order[start..<min(start + batchSize, order.count)])
        let (batchX, batchY) = (try trainX.gathering(rows: indices), try trainY.gathering(rows: indices))
        var probabilities: Tensor?
        let (value, gradients) = try valueWithGradients(for: model.trainableWeights) {
            let output = try model(batchX, training: true)
            probabilities = output
            return try loss(batchY, output)
        }
        try optimizer.apply(gradients: gradients, to: model.trainableWeights)
        lossSum += Double(value.scalar ?? .nan) * Double(indices.count)
        correct += try accuracy(probabilities!, batchY) * Double(indices.count)
    }
    let validation = try model.predict(valX, batchSize: 256)
    let logs = ["loss": lossSum / Double(order.count), "accuracy": correct / Double(order.count),
                "val_loss": Double(try loss(valY, validation).scalar ?? .nan), "val_accuracy": try accuracy(validation, valY)]
    log.append(epoch: epoch, logs: logs)
    print(String(format: "epoch %2d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f",
                 epoch + 1, logs["loss"]!, logs["accuracy"]!, logs["val_loss"]!, logs["val_accuracy"]!))
}

print()
print(TerminalReport.render(CurveAnalyzer().diagnose(log), log: log))
