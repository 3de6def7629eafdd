import Foundation
import Kestrel

/// The CIFAR-shaped CNN of scripts/bench/cnn_keras.py through Kestrel's Keras API: Conv64-Conv64-MaxPool-
/// Conv128-Flatten-Dense256-Dense10, Adam, batch 128, random pixels; prints training samples per second.
func runCNNModelBenchmark() throws {
    let count = ProcessInfo.processInfo.environment["KESTREL_CNN_SAMPLES"].flatMap(Int.init) ?? 2560
    var generator = RandomGenerator(seed: 0)
    let x = try Tensor.randomUniform([count, 32, 32, 3], generator: &generator)
    let y = Tensor(labels: (0..<count).map { _ in Int(generator.next() % 10) })
    Kestrel.setRandomSeed(0)
    let model = try makeSeedCNN()
    try model.fit(try x.slice(rows: 0..<256), try y.slice(rows: 0..<256), epochs: 1, batchSize: 128, verbose: 0)  // warm-up
    let start = Date()
    try model.fit(x, y, epochs: 1, batchSize: 128, verbose: 0)
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "cnn-model training_samples_per_second %.1f (%d samples in %.2f s)", Double(count) / seconds, count, seconds))
}

/// The seed-000 CNN (scripts/bench/cnn_keras.py): Conv64-Conv64-MaxPool-Conv128-Flatten-Dense256-Dense10 on
/// 32×32×3 images, 3×3 'same' convolutions, compiled with Adam, sparse categorical crossentropy and accuracy.
/// `KESTREL_BENCH_RELU=separate` gives each convolution's ReLU its own `Activation` layer (the same numbers
/// without the ReLU fused into the convolution, for side-by-side timing).
func makeSeedCNN() throws -> Sequential {
    let separate = ProcessInfo.processInfo.environment["KESTREL_BENCH_RELU"] == "separate"
    func convolution(_ filters: Int) -> [Layer] {
        separate ? [Conv2D(filters, kernelSize: 3, padding: .same), Activation(.relu)]
            : [Conv2D(filters, kernelSize: 3, padding: .same, activation: .relu)]
    }
    let model = try Sequential([Input(shape: [32, 32, 3])] + convolution(64) + convolution(64) + [MaxPooling2D()]
                               + convolution(128) + [Flatten(), Dense(256, activation: .relu), Dense(10, activation: .softmax)])
    try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    return model
}
