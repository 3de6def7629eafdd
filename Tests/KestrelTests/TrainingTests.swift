import XCTest
@testable import Kestrel

/// fit / evaluate / predict end to end on small synthetic problems.
final class TrainingTests: XCTestCase {
    /// Three well-separated Gaussian blobs in 4-D: class k is centred at 3·e_k.
    private func blobs(count: Int, seed: UInt64) throws -> (x: Tensor, y: Tensor) {
        var generator = RandomGenerator(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 3
            for feature in 0..<4 { values.append((feature == label ? 3 : 0) + 0.5 * generator.nextNormal()) }
            labels.append(label)
        }
        return (try Tensor(shape: [count, 4], scalars: values), Tensor(labels: labels))
    }

    private func model() throws -> Sequential {
        try Sequential {
            Input(shape: [4])
            Dense(16, activation: .relu)
            Dense(3, activation: .softmax)
        }
    }

    func testFitLearnsAndReportsKerasKeys() throws {
        Kestrel.setRandomSeed(7)
        let (x, y) = try blobs(count: 300, seed: 1)
        let net = try model()
        try net.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
        let history = try net.fit(x, y, epochs: 15, batchSize: 32, verbose: 0, validationSplit: 0.2)
        XCTAssertEqual(history.keys, ["loss", "val_loss"])
        XCTAssertEqual(history.epoch, Array(0..<15))
        let losses = history["loss"]!
        XCTAssertLessThan(losses.last!, losses.first! * 0.3)
        let classes = try net.predictClasses(x)
        let correct = zip(classes, y.scalars).filter { $0 == Int($1) }.count
        XCTAssertGreaterThan(Double(correct) / 300, 0.95)
        let predictions = try net.predict(x, batchSize: 7)
        XCTAssertEqual(predictions.shape, [300, 3])
        XCTAssertEqual(predictions.scalars[0..<3].reduce(0, +), 1, accuracy: 1e-5)
        let result = try net.evaluate(x, y, verbose: 0)
        XCTAssertEqual(result.names, ["loss"])
        XCTAssertLessThan(result.loss, losses.first!)
    }

    func testSameSeedGivesIdenticalHistories() throws {
        func run() throws -> [Double] {
            Kestrel.setRandomSeed(42)
            let (x, y) = try blobs(count: 120, seed: 2)
            let net = try Sequential {
                Input(shape: [4])
                Dense(8, activation: .relu)
                Dropout(0.3)
                Dense(3, activation: .softmax)
            }
            try net.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy)
            return try net.fit(x, y, epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25)["val_loss"]!
        }
        let first = try run(), second = try run()
        XCTAssertEqual(first, second)
        Kestrel.setRandomSeed(43)
        XCTAssertNotEqual(first, try {
            let (x, y) = try blobs(count: 120, seed: 2)
            let net = try Sequential { Input(shape: [4]); Dense(8, activation: .relu); Dropout(0.3); Dense(3, activation: .softmax) }
            try net.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy)
            return try net.fit(x, y, epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25)["val_loss"]!
        }())
    }

    func testValidationSplitTakesTheLastSamplesBeforeShuffling() throws {
        // Training samples all have label 0, the last 25% label 1: the validation loss must reflect only label-1 samples.
        let x = try Tensor.ones([8, 2])
        let y = Tensor(labels: [0, 0, 0, 0, 0, 0, 1, 1])
        let net = try Sequential { Dense(2, activation: .softmax, kernelInitializer: .zeros) }
        try net.compile(optimizer: .sgd(learningRate: 0), loss: .sparseCategoricalCrossentropy)
        let history = try net.fit(x, y, epochs: 1, batchSize: 4, verbose: 0, validationSplit: 0.25)
        XCTAssertEqual(history["val_loss"]![0], -log(0.5), accuracy: 1e-6)
        XCTAssertEqual(history["loss"]![0], -log(0.5), accuracy: 1e-6)
    }

    func testSampleAndClassWeightsScaleTheLoss() throws {
        let x = try Tensor.ones([4, 2])
        let y = Tensor(labels: [0, 1, 0, 1])
        let net = try Sequential { Dense(2, activation: .softmax, kernelInitializer: .zeros) }
        try net.compile(optimizer: .sgd(learningRate: 0), loss: .sparseCategoricalCrossentropy)
        let plain = try net.fit(x, y, epochs: 1, batchSize: 4, verbose: 0)["loss"]![0]
        let weighted = try net.fit(x, y, epochs: 1, batchSize: 4, verbose: 0, classWeight: [1: 3])["loss"]![0]
        // sum_over_batch_size: (1 + 3 + 1 + 3) / 4 = 2 times the plain loss.
        XCTAssertEqual(weighted, 2 * plain, accuracy: 1e-6)
        let sampleWeighted = try net.fit(x, y, epochs: 1, batchSize: 4, verbose: 0,
                                         sampleWeight: Tensor([0, 0, 0, 4]))["loss"]![0]
        XCTAssertEqual(sampleWeighted, plain, accuracy: 1e-6)
    }

    func testL2PenaltyIsPartOfTheLoggedLoss() throws {
        let x = try Tensor.ones([2, 1])
        let y = try Tensor(shape: [2, 1], scalars: [0, 0])
        let net = try Sequential { Dense(1, useBias: false, kernelInitializer: .constant(2), kernelRegularizer: .l2(0.5)) }
        try net.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        let loss = try net.fit(x, y, epochs: 1, batchSize: 2, verbose: 0)["loss"]![0]
        XCTAssertEqual(loss, 4 + 0.5 * 4, accuracy: 1e-6)  // mse (2−0)² plus 0.5·2²
    }

    func testCustomTrainingLoopWithTheAutodiffAPI() throws {
        Kestrel.setRandomSeed(3)
        let (x, y) = try blobs(count: 90, seed: 4)
        let net = try model()
        _ = try net(x)
        let optimizer = try Optimizer.sgd(learningRate: 0.1)
        let loss = SparseCategoricalCrossentropy()
        var first: Float = 0, last: Float = 0
        for step in 0..<60 {
            let (value, gradients) = try valueWithGradients(for: net.trainableWeights) {
                try loss.perSample(yTrue: y, yPred: net(x, training: true)).mean()
            }
            try optimizer.apply(gradients: gradients, to: net.trainableWeights)
            if step == 0 { first = value.scalar! }
            last = value.scalar!
        }
        XCTAssertLessThan(last, first * 0.5)
    }

    func testEarlyStoppingEndsFitAndHistoryIsShorter() throws {
        let x = try Tensor.ones([4, 1]), y = Tensor(labels: [0, 1, 0, 1])
        let net = try Sequential { Dense(2, activation: .softmax) }
        try net.compile(optimizer: .sgd(learningRate: 0), loss: .sparseCategoricalCrossentropy)
        let history = try net.fit(x, y, epochs: 10, verbose: 0, callbacks: [EarlyStopping(monitor: "loss", minDelta: 1e-6, patience: 2)])
        XCTAssertEqual(history.epoch, [0, 1, 2], "a constant loss stops after patience 2")
    }

    func testUserMistakesThrowClearErrors() throws {
        let net = try model()
        let (x, y) = try blobs(count: 30, seed: 5)
        XCTAssertThrowsError(try net.fit(x, y, verbose: 0)) { XCTAssertTrue("\($0)".contains("compile"), "\($0)") }
        try net.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy)
        XCTAssertThrowsError(try net.fit(x, Tensor(labels: [0, 1]), verbose: 0)) { XCTAssertTrue("\($0)".contains("30 samples"), "\($0)") }
        XCTAssertThrowsError(try net.fit(x, Tensor(labels: Array(repeating: 5, count: 30)), verbose: 0)) {
            XCTAssertTrue("\($0)".contains("5"), "\($0)")
        }
        XCTAssertThrowsError(try net.fit(x, y, verbose: 0, validationSplit: 1.5)) { XCTAssertTrue("\($0)".contains("validationSplit"), "\($0)") }
        var values = x.scalars
        values[13] = .nan
        XCTAssertThrowsError(try net.fit(Tensor(shape: x.shape, scalars: values), y, verbose: 0)) {
            XCTAssertTrue("\($0)".contains("NaN"), "\($0)")
        }
        XCTAssertThrowsError(try net.fit(try Tensor.zeros([30, 5]), y, verbose: 0)) { XCTAssertTrue("\($0)".contains("(None, 4)"), "\($0)") }
    }

    func testCompileFromKerasStringsAndAccuracyKeys() throws {
        Kestrel.setRandomSeed(11)
        let (x, y) = try blobs(count: 150, seed: 6)
        let net = try model()
        try net.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        let history = try net.fit(x, y, epochs: 40, batchSize: 16, verbose: 0, validationSplit: 0.2)
        XCTAssertEqual(history.keys, ["accuracy", "loss", "val_accuracy", "val_loss"])
        XCTAssertGreaterThan(history["val_accuracy"]!.last!, 0.9)
        let (loss, accuracy) = try net.evaluate(x, y, verbose: 0)
        XCTAssertGreaterThan(accuracy, 0.9)
        XCTAssertLessThan(loss, history["loss"]!.first!)
        let result: EvaluationResult = try net.evaluate(x, y, verbose: 0)
        XCTAssertEqual(result["accuracy"], accuracy)
        XCTAssertThrowsError(try net.compile(optimizer: "adamm", loss: "mse")) { XCTAssertTrue("\($0)".contains("adam"), "\($0)") }
    }

    func testReduceLROnPlateauAddsLearningRateToHistory() throws {
        let x = try Tensor.ones([8, 1]), y = Tensor(labels: [0, 1, 0, 1, 0, 1, 0, 1])
        let net = try Sequential { Dense(2, activation: .softmax) }
        try net.compile(optimizer: .sgd(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
        let history = try net.fit(x, y, epochs: 4, verbose: 0,
                                  callbacks: [try ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, minDelta: 10)])
        XCTAssertEqual(history["learning_rate"]!.map { Float($0) }, [0.01, 0.01, 0.005, 0.0025], "the rate used in each epoch; the first epoch sets the best value")
    }
}
