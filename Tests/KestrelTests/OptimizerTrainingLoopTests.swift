import XCTest
@testable import Kestrel

/// Optimizers, losses and metrics working together in a custom training loop built on
/// `valueWithGradients(for:_:)`.
final class OptimizerTrainingLoopTests: XCTestCase {
    private func fitLine(_ optimizer: Optimizer, steps: Int) throws -> (weight: Float, bias: Float, loss: Float) {
        let x = try Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 4 - 1 })
        let y = try Tensor(shape: [8, 1], scalars: x.scalars.map { 2 * $0 + 1 })
        let weight = Variable(try Tensor.zeros([1, 1]), name: "kernel")
        let bias = Variable(try Tensor.zeros([1]), name: "bias")
        let loss = MeanSquaredError()
        var last: Float = .nan
        for _ in 0..<steps {
            let (value, gradients) = try valueWithGradients(for: [weight, bias]) {
                try loss(y, try Tensor.affine(x, weight: weight.tensor, bias: bias.tensor))
            }
            try optimizer.apply(gradients: gradients, to: [weight, bias])
            last = value.scalar ?? .nan
        }
        return (weight.value.scalars[0], bias.value.scalars[0], last)
    }

    func testEveryOptimizerFitsALine() throws {
        let optimizers: [(Optimizer, Int)] = try [
            (.sgd(learningRate: 0.1), 300), (.sgd(learningRate: 0.05, momentum: 0.9, nesterov: true), 300),
            (.adam(learningRate: 0.05), 600), (.adamW(learningRate: 0.05, weightDecay: 0.001), 600),
            (.rmsprop(learningRate: 0.01), 800), (.adagrad(learningRate: 0.5), 600),
        ]
        for (optimizer, steps) in optimizers {
            let fit = try fitLine(optimizer, steps: steps)
            XCTAssertEqual(fit.weight, 2, accuracy: 0.05, optimizer.name)
            XCTAssertEqual(fit.bias, 1, accuracy: 0.05, optimizer.name)
            XCTAssertLessThan(fit.loss, 1e-3, optimizer.name)
        }
    }

    func testClassifierLossFallsAndAccuracyRises() throws {
        // Two separable blobs, a softmax-free linear model trained on logits.
        let x = try Tensor([[-2, -1], [-1.5, -2], [-1, -1.2], [1, 1.5], [2, 1], [1.2, 2]])
        let labels = Tensor([0, 0, 0, 1, 1, 1])
        let weight = Variable(try Tensor.zeros([2, 2]), name: "kernel")
        let bias = Variable(try Tensor.zeros([2]), name: "bias")
        let loss = Loss.sparseCategoricalCrossentropy(fromLogits: true)
        let optimizer = try Optimizer.adam(learningRate: 0.1)
        let accuracy = Metric.accuracy.resolved(for: loss, yTrueShape: labels.shape, yPredShape: [6, 2])
        var first: Float = .nan, last: Float = .nan
        for step in 0..<50 {
            let (value, gradients) = try valueWithGradients(for: [weight, bias]) {
                try loss(labels, try Tensor.affine(x, weight: weight.tensor, bias: bias.tensor))
            }
            try optimizer.apply(gradients: gradients, to: [weight, bias])
            if step == 0 { first = value.scalar ?? .nan }
            last = value.scalar ?? .nan
        }
        XCTAssertEqual(first, logf(2), accuracy: 1e-5)  // zero weights: uniform logits
        XCTAssertLessThan(last, 0.05)
        try accuracy.updateState(yTrue: labels, yPred: try Tensor.affine(x, weight: weight.value, bias: bias.value),
                                 sampleWeight: nil)
        XCTAssertEqual(accuracy.result(), 1)
        XCTAssertEqual(accuracy.name, "accuracy")
    }

    func testSlotsFollowTheirVariable() throws {
        let optimizer = try Adam()
        let variable = Variable(Tensor([1, 2, 3]), name: "w")
        try optimizer.apply(gradients: [Tensor([1, 1, 1])], to: [variable])
        let slots = optimizer.slotTensors(for: variable)
        XCTAssertEqual(slots.count, 2)
        assertClose(slots[0].scalars, [0.1, 0.1, 0.1], relative: 1e-6)  // m = (1 − β₁)·g
        XCTAssertEqual(try Adagrad().slotTensors(for: variable)[0].scalars, [0.1, 0.1, 0.1].map { Float($0) })
    }
}
