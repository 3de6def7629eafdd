import Foundation
import Kestrel

/// The Fashion-MNIST MLP workload of scripts/bench/fmnist_mlp_keras.py: 784-128-10, Adam, batch 64,
/// validation split 0.2, accuracy metric; prints seconds per epoch (validation included) and the test score.
func runMLPBenchmark(epochs: Int = ProcessInfo.processInfo.environment["KESTREL_MLP_EPOCHS"].flatMap(Int.init) ?? 3) throws {
    let (train, test) = try Datasets.fashionMNIST.load()
    func flat(_ images: LabeledImages) throws -> (Tensor, Tensor) {
        let x = try Tensor(shape: [images.count, 784], scalars: images.pixels.map { Float($0) / 255 })
        return (x, Tensor(labels: images.labels))
    }
    let (trainX, trainY) = try flat(train)
    let (testX, testY) = try flat(test)
    if let threshold = ProcessInfo.processInfo.environment["KESTREL_BLAS_SINGLE_THREAD_FLOPS"].flatMap(Int.init) {
        EngineConfiguration.update { $0.blasSingleThreadFlops = threshold }
    }
    Kestrel.setRandomSeed(0)
    let model = try Sequential {
        Input(shape: [784])
        Dense(128, activation: .relu)
        Dense(10, activation: .softmax)
    }
    try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    let timer = EpochTimer()
    let start = Date()
    let history = try model.fit(trainX, trainY, epochs: epochs, batchSize: 64, verbose: 2, validationSplit: 0.2, callbacks: [timer])
    let total = Date().timeIntervalSince(start)
    let epochTimes = timer.epochSeconds
    print("mlp epoch seconds:", epochTimes.map { String(format: "%.3f", $0) }.joined(separator: " "))
    print("mlp validation seconds:", timer.validationSeconds.map { String(format: "%.3f", $0) }.joined(separator: " "))
    print(String(format: "seconds_per_epoch %.3f (best %.3f)", total / Double(epochs), epochTimes.min() ?? 0))
    let result: EvaluationResult = try model.evaluate(testX, testY, verbose: 0)
    print("test", result)
    if let validationLoss = history["val_loss"], let best = validationLoss.indices.min(by: { validationLoss[$0] < validationLoss[$1] }) {
        print(String(format: "val_loss lowest %.4f at epoch %d, last %.4f; accuracy last %.4f, val_accuracy last %.4f",
                     validationLoss[best], best + 1, validationLoss.last ?? .nan,
                     history["accuracy"]?.last ?? .nan, history["val_accuracy"]?.last ?? .nan))
    }
}

/// Records each epoch's wall time and the part of it spent on validation.
private final class EpochTimer: Callback, @unchecked Sendable {
    var epochSeconds: [Double] = []
    var validationSeconds: [Double] = []
    private var epochStart = Date(), validationStart = Date()

    override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) { epochStart = Date() }
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) { epochSeconds.append(Date().timeIntervalSince(epochStart)) }
    override func onTestBegin(logs: inout [String: Double]) { validationStart = Date() }
    override func onTestEnd(logs: inout [String: Double]) { validationSeconds.append(Date().timeIntervalSince(validationStart)) }
}
