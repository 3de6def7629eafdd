import Foundation
import Kestrel

// Saves several trained Kestrel models as .keras (and one as .weights.h5 + architecture JSON) into the
// folder given as the first argument, with probe inputs and Kestrel's predictions in expected.json,
// for scripts/keras_roundtrip.py to load with real Keras 3 (safe_mode=True) and compare.

func randomTensor(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return try Tensor.randomNormal(shape, mean: 0, standardDeviation: 1, generator: &generator)
}

func labels(_ count: Int, classes: Int) -> Tensor { Tensor((0..<count).map { Float(($0 * 7 + 3) % classes) }) }

let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "keras-roundtrip"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
Kestrel.setRandomSeed(21)

let cases: [(name: String, model: Sequential, optimizer: Optimizer, sample: [Int], classes: Int)] = [
    ("mlp", try Sequential(name: "mlp") {
        Input(shape: [20])
        Dense(32, activation: .relu, kernelRegularizer: .l2(0.001))
        Dropout(0.3)
        Dense(4, activation: .softmax)
    }, try Adam(learningRate: 0.01), [20], 4),
    ("cnn", try Sequential(name: "cnn") {
        Input(shape: [12, 12, 1])
        Conv2D(6, kernelSize: 3, activation: .relu)
        BatchNormalization()
        MaxPooling2D()
        Dropout(0.2)
        Flatten()
        Dense(5, activation: .softmax)
    }, try SGD(learningRate: 0.05, momentum: 0.9), [12, 12, 1], 5),
    ("misc", try Sequential(name: "misc") {
        Input(shape: [10, 10, 3])
        Rescaling(scale: 0.5, offset: 0.1)
        Conv2D(4, kernelSize: [3, 2], strides: 1, padding: .same)
        ReLU()
        AveragePooling2D(poolSize: 2)
        Conv2D(8, kernelSize: 3, activation: .tanh, useBias: false)
        GlobalAveragePooling2D()
        Reshape([2, 4])
        Flatten()
        Dense(3)
        Activation(.softmax)
    }, try RMSprop(learningRate: 0.01, momentum: 0.5, centered: true), [10, 10, 3], 3),
    ("separable", try Sequential(name: "separable") {
        Input(shape: [11, 10, 3])
        DepthwiseConv2D(kernelSize: 3, padding: .same, depthMultiplier: 2, activation: .relu)
        SeparableConv2D(8, kernelSize: [3, 2], strides: 2, depthMultiplier: 2, activation: .relu, pointwiseRegularizer: .l2(0.001))
        DepthwiseConv2D(kernelSize: 3, padding: .same, dilationRate: 2, useBias: false)
        SeparableConv2D(6, kernelSize: 2, padding: .same, dilationRate: [1, 2])
        GlobalAveragePooling2D()
        Dense(3, activation: .softmax)
    }, try Adam(learningRate: 0.01), [11, 10, 3], 3),
]

var expected: [String: Any] = [:]
for (index, item) in cases.enumerated() {
    try item.model.compile(optimizer: item.optimizer, loss: .sparseCategoricalCrossentropy, metrics: [try Metric.named("accuracy")])
    let x = try randomTensor([32] + item.sample, seed: UInt64(index + 1))
    try item.model.fit(x, labels(32, classes: item.classes), epochs: 2, batchSize: 8, verbose: .silent)
    try item.model.save("\(folder)/\(item.name).keras")
    let probe = try randomTensor([4] + item.sample, seed: UInt64(100 + index))
    expected[item.name] = ["shape": [4] + item.sample, "x": probe.scalars.map(Double.init),
                           "predictions": try item.model.predict(probe).scalars.map(Double.init),
                           "iterations": item.optimizer.iterations]
    if item.name == "mlp" {
        try item.model.saveWeights("\(folder)/mlp.weights.h5")
        try AtomicFile.write(Data(try item.model.toJSON().utf8), to: "\(folder)/mlp.json")
    }
}
try AtomicFile.write(try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys]), to: "\(folder)/expected.json")
print("Kestrel wrote \(cases.map { "\($0.name).keras" }.joined(separator: ", ")), mlp.weights.h5, mlp.json to \(folder)")
