import XCTest
import Kestrel

/// The open training step: a subclass overrides `trainStep`/`testStep`/`predictStep` (as Keras's
/// `train_step`/`test_step`/`predict_step`), and gradient transforms run between the backward pass
/// and the optimizer.
final class TrainingStepTests: XCTestCase {
    /// Two separable blobs in 2-D: class 1 is centred at (2, 2), class 0 at (−2, −2).
    private func blobs() throws -> (x: Tensor, y: Tensor) {
        var generator = RandomGenerator(seed: 3)
        var values: [Float] = [], labels: [Int] = []
        for index in 0..<64 {
            let label = index % 2
            for _ in 0..<2 { values.append((label == 1 ? 2 : -2) + 0.5 * generator.nextNormal()) }
            labels.append(label)
        }
        return (try Tensor(shape: [64, 2], scalars: values), Tensor(labels: labels))
    }

    /// A custom step written from the public pieces, with a loss scaled by `lossScale` and a counter.
    final class CountingModel: Sequential, @unchecked Sendable {
        var trainSteps = 0, testSteps = 0, predictSteps = 0
        var lossScale: Float = 1

        override func trainStep(_ batch: Batch) throws -> [String: Double] {
            trainSteps += 1
            let variables = trainableWeights
            var predictions = batch.x
            let (loss, gradients) = try valueWithGradients(for: variables) {
                let output = try self(batch.x, training: true)
                predictions = output.detached
                return try self.computeLoss(y: batch.y!, yPred: output, sampleWeight: batch.sampleWeight) * lossScale
            }
            try applyGradients(gradients, to: variables)
            lossTracker.update(value: Double(loss.scalar!), weight: Double(batch.count))
            try updateMetrics(y: batch.y!, yPred: predictions, sampleWeight: batch.sampleWeight)
            return metricsResult()
        }

        override func testStep(_ batch: Batch) throws -> [String: Double] {
            testSteps += 1
            return try super.testStep(batch)
        }

        override func predictStep(_ batch: Batch) throws -> [Tensor] {
            predictSteps += 1
            return try super.predictStep(batch).map { $0.scaled(by: 2) }
        }
    }

    private func countingModel() throws -> CountingModel {
        try CountingModel {
            Input(shape: [2])
            Dense(2, activation: .softmax)
        }
    }

    func testFitRunsTheOverriddenTrainStepAndItLearns() throws {
        Kestrel.setRandomSeed(1)
        let (x, y) = try blobs()
        let model = try countingModel()
        try model.compile(optimizer: .sgd(learningRate: 0.5), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let history = try model.fit(x, y, epochs: 5, batchSize: 16, verbose: 0, validationSplit: 0.25)
        XCTAssertEqual(model.trainSteps, 5 * 3, "48 training samples in batches of 16, five epochs")
        XCTAssertEqual(model.testSteps, 5, "16 validation samples, one batch per epoch")
        let losses = history["loss"]!
        XCTAssertLessThan(losses.last!, losses.first!)
        XCTAssertGreaterThan(history["accuracy"]!.last!, 0.9)
    }

    func testTheStepsLossIsWhatFitReports() throws {
        Kestrel.setRandomSeed(1)
        let (x, y) = try blobs()
        let model = try countingModel()
        model.lossScale = 0
        try model.compile(optimizer: .sgd(learningRate: 0.5), loss: .sparseCategoricalCrossentropy)
        let before = model.getWeights()
        _ = try model.fit(x, y, epochs: 1, batchSize: 64, verbose: 0)
        // A zero loss has zero gradients: SGD leaves every weight as it was.
        XCTAssertEqual(try model.fit(x, y, epochs: 1, batchSize: 64, verbose: 0)["loss"], [0])
        for (old, new) in zip(before, model.getWeights()) { XCTAssertEqual(old.scalars, new.scalars) }
    }

    func testPredictAndEvaluateGoThroughTheirSteps() throws {
        let (x, y) = try blobs()
        let model = try countingModel()
        try model.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
        let plain = try model(x, training: false)
        let predicted = try model.predict(x, batchSize: 10)
        XCTAssertEqual(model.predictSteps, 7)
        XCTAssertEqual(predicted.scalars, plain.scalars.map { $0 * 2 })
        _ = try model.evaluate(x, y, batchSize: 32, verbose: 0) as EvaluationResult
        XCTAssertEqual(model.testSteps, 2)
    }

    /// A model-level stage sees every trainable variable's gradient before the optimizer.
    struct ZeroGradients: GradientTransform {
        let seen: UncheckedCounter
        func transform(_ gradients: [Tensor], variables: [Variable]) throws -> [Tensor] {
            seen.value += 1
            XCTAssertEqual(gradients.map(\.shape), variables.map(\.shape))
            return gradients.map { Tensor.zeros(like: $0) }
        }
    }

    final class UncheckedCounter: @unchecked Sendable { var value = 0 }

    func testGradientTransformsRunBetweenBackwardAndTheOptimizer() throws {
        let (x, y) = try blobs()
        let model = try Sequential {
            Input(shape: [2])
            Dense(2, activation: .softmax)
        }
        try model.compile(optimizer: .sgd(learningRate: 0.5), loss: .sparseCategoricalCrossentropy)
        let counter = UncheckedCounter()
        model.gradientTransforms = [ZeroGradients(seen: counter)]
        let before = model.getWeights()
        _ = try model.fit(x, y, epochs: 2, batchSize: 32, verbose: 0)
        XCTAssertEqual(counter.value, 4)
        for (old, new) in zip(before, model.getWeights()) { XCTAssertEqual(old.scalars, new.scalars) }
    }

    func testOptimizerClippingIsAGradientTransformStage() throws {
        XCTAssertTrue(try SGD().gradientTransforms.isEmpty)
        XCTAssertEqual((try SGD(clipvalue: 0.5).gradientTransforms.first as? ClipByValue)?.limit, 0.5)
        XCTAssertEqual((try SGD(clipnorm: 2).gradientTransforms.first as? ClipByNorm)?.maximumNorm, 2)
        XCTAssertEqual((try SGD(globalClipnorm: 3).gradientTransforms.first as? ClipByGlobalNorm)?.maximumNorm, 3)
        let variables = [Variable(Tensor([0, 0]), name: "a"), Variable(Tensor([0]), name: "b")]
        let gradients = [Tensor([3, 4]), Tensor([12])]  // norms 5 and 12, joint norm 13
        let byNorm = try ClipByNorm(maximumNorm: 1).transform(gradients, variables: variables)
        XCTAssertEqual(byNorm[0].scalars, [0.6, 0.8])
        XCTAssertEqual(byNorm[1].scalars, [1])
        // A gradient whose norm is below the maximum is left as it is (not scaled up to the maximum).
        let below = try ClipByNorm(maximumNorm: 10).transform(gradients, variables: variables)
        XCTAssertEqual(below[0].scalars, [3, 4])
        XCTAssertEqual(below[1].scalars[0], 10, accuracy: 1e-5)  // norm 12 is clipped to 10
        let global = try ClipByGlobalNorm(maximumNorm: 1.3).transform(gradients, variables: variables)
        XCTAssertEqual(global[0].scalars[0], 0.3, accuracy: 1e-6)
        XCTAssertEqual(global[1].scalars[0], 1.2, accuracy: 1e-6)
        XCTAssertEqual(try ClipByValue(limit: 3.5).transform(gradients, variables: variables)[0].scalars, [3, 3.5])
    }

    /// A subclass's update rule through `Optimizer.update(parameter:gradient:slots:…)` on tensors.
    final class SignDescent: Optimizer, @unchecked Sendable {
        init() { super.init(name: "sign_descent", learningRate: 0.25) }
        override var slotCount: Int { 1 }
        override func update(parameter: Tensor, gradient: Tensor, slots: [Tensor], step: Int,
                             learningRate: Float) throws -> (parameter: Tensor, slots: [Tensor]) {
            let direction = gradient.mapped { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
            return (try parameter - direction * learningRate, [try slots[0] + 1])
        }
    }

    func testACustomOptimizerUpdatesThroughTensors() throws {
        let optimizer = SignDescent()
        let variable = Variable(Tensor([1, 1, 1]), name: "w")
        try optimizer.apply(gradients: [Tensor([2, -3, 0])], to: [variable])
        try optimizer.apply(gradients: [Tensor([2, -3, 0])], to: [variable])
        XCTAssertEqual(variable.value.scalars, [0.5, 1.5, 1])
        XCTAssertEqual(optimizer.slotTensors(for: variable)[0].scalars, [2, 2, 2])
        XCTAssertEqual(optimizer.iterations, 2)
    }
}
