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
    ("scheduled", try Sequential(name: "scheduled") {
        Input(shape: [6])
        Dense(8, activation: .relu)
        Dense(3, activation: .softmax)
    }, try Adam(learningRate: try CosineDecay(initialLearningRate: 0, decaySteps: 20, alpha: 0.1, warmupTarget: 0.01, warmupSteps: 3)),
     [6], 3),
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
    if let schedule = item.optimizer.learningRateSchedule {
        expected[item.name] = (expected[item.name] as? [String: Any] ?? [:]).merging(
            ["schedule_class": schedule.className, "learning_rate": Double(item.optimizer.learningRate)]) { $1 }
    }
    if item.name == "mlp" {
        try item.model.saveWeights("\(folder)/mlp.weights.h5")
        try AtomicFile.write(Data(try item.model.toJSON().utf8), to: "\(folder)/mlp.json")
    }
}

// Functional models: branches (Add, Concatenate), a frozen nested base under a new head (with a nested
// Sequential), and two inputs / two outputs with a shared layer and a loss per output.
func functionalCases() throws -> [(name: String, model: Model, inputs: [[Int]], fit: (Model, [Tensor]) throws -> Void)] {
    let features = Input(shape: [10], name: "features")
    let trunk = try Dense(16, activation: .relu, name: "trunk")(features)
    let added = try Add(name: "add")([try Dense(16, activation: .relu, name: "left")(trunk), try Dense(16, name: "right")(trunk)])
    let joined = try Concatenate(name: "concatenate")([added, features])
    let branched = try Model(inputs: features, outputs: try Dense(4, activation: .softmax, name: "head")(joined), name: "branched")
    try branched.compile(optimizer: try Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [try Metric.named("accuracy")])

    let baseInput = Input(shape: [8, 8, 1], name: "image")
    var hidden = try Conv2D(4, kernelSize: 3, activation: .relu, name: "base_conv")(baseInput)
    hidden = try BatchNormalization(name: "base_norm")(hidden)
    hidden = try GlobalAveragePooling2D(name: "base_pool")(try MaxPooling2D(name: "base_max")(hidden))
    let base = try Model(inputs: baseInput, outputs: hidden, name: "base")
    let pretrain = try Sequential(name: "pretrain") { base; Dense(3, activation: .softmax) }
    try pretrain.compile(optimizer: try SGD(learningRate: 0.05), loss: .sparseCategoricalCrossentropy)
    try pretrain.fit(try randomTensor([16, 8, 8, 1], seed: 40), labels(16, classes: 3), epochs: 1, batchSize: 8, verbose: .silent)
    base.trainable = false
    let newInput = Input(shape: [8, 8, 1], name: "new_image")
    let block = try Sequential(name: "block") { Input(shape: [4]); Dense(6, activation: .tanh) }
    let frozen = try Model(inputs: newInput, outputs: try Dense(2, activation: .softmax, name: "new_head")(try block(try base(newInput, training: false))),
                           name: "frozen_transfer")
    try frozen.compile(optimizer: try RMSprop(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)

    let image = Input(shape: [5], name: "vector"), meta = Input(shape: [3], name: "meta")
    let shared = Dense(4, activation: .tanh, name: "shared")
    let both = try Concatenate(name: "joined")([try shared(image), try shared(try Dense(5, name: "meta_proj")(meta))])
    let multi = try Model(inputs: [image, meta], outputs: [try Dense(2, activation: .softmax, name: "kind")(both), try Dense(1, name: "score")(both)],
                          name: "multi")
    try multi.compile(optimizer: try Adam(learningRate: 0.01), loss: [.sparseCategoricalCrossentropy, .meanSquaredError],
                      lossWeights: [1, 0.5], metrics: [[try Metric.named("accuracy")], []])
    let single: (Model, [Tensor]) throws -> Void = { model, x in
        try model.fit(x[0], labels(x[0].shape[0], classes: 2), epochs: 2, batchSize: 8, verbose: .silent)
    }
    // Every preprocessing / augmentation layer (random ones are the identity at inference).
    let augmented = try Sequential(name: "augmented") {
        Input(shape: [8, 8, 3])
        Rescaling(scale: 1.0 / 255, offset: -0.5)
        RandomFlip(.horizontal, seed: 3)
        try RandomRotation(0.1, fillMode: .nearest, seed: 4)
        try RandomTranslation(heightFactor: 0.1, widthFactor: FactorRange(-0.2, 0.1), fillMode: .constant, seed: 5, fillValue: 0.5)
        try RandomZoom(heightFactor: FactorRange(-0.2, 0.1), interpolation: .nearest, seed: 6)
        try RandomContrast(0.3, valueRange: 0...1, seed: 7)
        try RandomBrightness(0.2, valueRange: 0...1)
        Conv2D(4, kernelSize: 3, activation: .relu)
        GlobalAveragePooling2D()
        Dense(2, activation: .softmax)
    }
    try augmented.compile(optimizer: try SGD(learningRate: 0.05), loss: .sparseCategoricalCrossentropy)
    augmented.classNames = ["cat", "dog"]  // saved as metadata.json's class_indices, which Keras ignores
    // What `kestrel fit --augment` builds: one fused RandomAugmentation, saved as the Keras layers it fuses.
    let fused = try Sequential(name: "fused_augmentation") {
        Input(shape: [8, 8, 1])
        try RandomAugmentation(parsing: "flip,rotate:15,shift:0.1,zoom:0.1,contrast:0.2", seed: 9)
        Flatten()
        Dense(2, activation: .softmax)
    }
    try fused.compile(optimizer: try Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
    return [
        ("augmented", augmented, [[8, 8, 3]], single),
        ("fused_augmentation", fused, [[8, 8, 1]], single),
        ("branched", branched, [[10]], single),
        ("frozen_transfer", frozen, [[8, 8, 1]], single),
        ("multi", multi, [[5], [3]], { model, x in
            try model.fit(x, [labels(x[0].shape[0], classes: 2), try randomTensor([x[0].shape[0], 1], seed: 77)], epochs: 2, batchSize: 8, verbose: .silent)
        }),
    ]
}

var functional: [String: Any] = [:]
for (index, item) in try functionalCases().enumerated() {
    let x = try item.inputs.enumerated().map { try randomTensor([32] + $0.element, seed: UInt64(200 + 10 * index + $0.offset)) }
    try item.fit(item.model, x)
    try item.model.save("\(folder)/\(item.name).keras")
    let probe = try item.inputs.enumerated().map { try randomTensor([4] + $0.element, seed: UInt64(300 + 10 * index + $0.offset)) }
    functional[item.name] = ["inputs": probe.map { ["shape": $0.shape, "values": $0.scalars.map(Double.init)] },
                             "outputs": try item.model.predict(probe).map { $0.scalars.map(Double.init) },
                             "iterations": item.model.optimizer?.iterations ?? 0,
                             "trainable": item.model.trainableWeights.reduce(0) { $0 + $1.value.count },
                             "non_trainable": item.model.nonTrainableWeights.reduce(0) { $0 + $1.value.count }]
}
expected["functional"] = functional
try AtomicFile.write(try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys]), to: "\(folder)/expected.json")
print("Kestrel wrote \(cases.map { "\($0.name).keras" }.joined(separator: ", ")), mlp.weights.h5, mlp.json, \(functional.keys.sorted().map { "\($0).keras" }.joined(separator: ", ")) to \(folder)")
