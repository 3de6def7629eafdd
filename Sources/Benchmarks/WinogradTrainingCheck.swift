import Foundation
import Kestrel

/// Trains the seed-000 CNN (Conv64-Conv64-MaxPool-Conv128-Flatten-Dense256-Dense10, Adam, batch 128) with
/// each convolution method on a CIFAR-shaped set made from Fashion-MNIST (the Debian package's files):
/// each 28×28 image zero-padded to 32×32 and repeated over 3 channels. Prints the test accuracy after
/// each epoch for each method and seed, so the methods' accuracies can be compared with the run-to-run
/// spread over seeds. `KESTREL_CHECK_TRAIN` / `KESTREL_CHECK_TEST` / `KESTREL_CHECK_EPOCHS` /
/// `KESTREL_CHECK_SEEDS` set the sizes (defaults 5000, 2000, 3, 3).
func runWinogradTrainingCheck() throws {
    let environment = ProcessInfo.processInfo.environment
    func setting(_ name: String, _ fallback: Int) -> Int { environment[name].flatMap(Int.init).map { max(1, $0) } ?? fallback }
    let trainCount = setting("KESTREL_CHECK_TRAIN", 5000), testCount = setting("KESTREL_CHECK_TEST", 2000)
    let epochs = setting("KESTREL_CHECK_EPOCHS", 3), seeds = setting("KESTREL_CHECK_SEEDS", 3)
    print("Winograd training check — Fashion-MNIST padded to 32x32x3, \(trainCount) train / \(testCount) test images, "
          + "\(epochs) epochs, \(seeds) seeds, load average \(BenchmarkClock.loadAverage)")
    let (train, test) = try Datasets.fashionMNIST.load()
    let trainX = try cifarShaped(train.normalizedX, count: trainCount), trainY = try train.y.slice(rows: 0..<trainCount)
    let testX = try cifarShaped(test.normalizedX, count: testCount), testY = try test.y.slice(rows: 0..<testCount)
    for seed in 0..<seeds {
        for (name, method) in [("im2col", ConvolutionAlgorithm.im2col), ("F(2x2)", .winograd2x2), ("F(4x4)", .winograd4x4)] {
            let accuracies = try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = method }) {
                try trainSeedCNN(seed: seed, epochs: epochs, trainX: trainX, trainY: trainY, testX: testX, testY: testY)
            }
            print("seed \(seed) \(name): test accuracy per epoch " + accuracies.map { String(format: "%.4f", $0) }.joined(separator: " ")
                  + " (load \(BenchmarkClock.loadAverage))")
        }
    }
}

/// The first `count` images [n, 28, 28] (or [n, 28, 28, 1]) as [count, 32, 32, 3]: centred, zero border, gray in each channel.
private func cifarShaped(_ images: Tensor, count: Int) throws -> Tensor {
    let values = try images.slice(rows: 0..<count).scalars
    var result = [Float](repeating: 0, count: count * 32 * 32 * 3)
    for image in 0..<count {
        for row in 0..<28 {
            for column in 0..<28 {
                let value = values[(image * 28 + row) * 28 + column]
                let target = ((image * 32 + row + 2) * 32 + column + 2) * 3
                for channel in 0..<3 { result[target + channel] = value }
            }
        }
    }
    return try Tensor(shape: [count, 32, 32, 3], scalars: result)
}

/// Test accuracy after each epoch of the seed-000 CNN trained from `seed`.
private func trainSeedCNN(seed: Int, epochs: Int, trainX: Tensor, trainY: Tensor, testX: Tensor, testY: Tensor) throws -> [Double] {
    Kestrel.setRandomSeed(UInt64(seed))
    let model = try makeSeedCNN()
    var accuracies: [Double] = []
    for _ in 0..<epochs {
        try model.fit(trainX, trainY, epochs: 1, batchSize: 128, verbose: 0)
        accuracies.append(try model.evaluate(testX, testY, batchSize: 500, verbose: 0)["accuracy"] ?? .nan)
    }
    return accuracies
}
