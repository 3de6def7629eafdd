import XCTest
@testable import Kestrel

/// The fused softmax cross-entropy of the Sequential path applies to each output of a multi-output
/// functional model whose layer ends in the loss's activation.
final class MultiOutputFusedLossTests: XCTestCase {
    func testASoftmaxOutputUnderCrossEntropyIsFusedAndTheLossComesFromItsLogits() throws {
        let image = Input(shape: [3], name: "image")
        let trunk = try Dense(4, activation: .tanh, name: "trunk")(image)
        let kind = try Dense(2, activation: .softmax, name: "kind")(trunk)
        let score = try Dense(1, name: "score")(trunk)
        let model = try Model(inputs: [image], outputs: [kind, score], name: "two_heads")
        try model.compile(optimizer: .sgd(learningRate: 0.1),
                          loss: ["kind": .sparseCategoricalCrossentropy, "score": .meanSquaredError])
        // Large weights make the logits about ±60: a loss through clipped probabilities would stop at −log(1e-7) ≈ 16.1.
        // The trunk is fixed too (not left to the global random state, which other tests move): tanh(0.9) per unit.
        try model.getLayer(name: "trunk").weights[0].assign(Tensor.full(like: try model.getLayer(name: "trunk").weights[0].value, value: 0.1))
        let kindLayer = try XCTUnwrap(model.getLayer(name: "kind"))
        try kindLayer.weights[0].assign(try Tensor(shape: [4, 2], scalars: [30, -30, 30, -30, 30, -30, 30, -30]))
        let x = try Tensor(shape: [2, 3], scalars: [3, 3, 3, -3, -3, -3])
        let labels = Tensor([1, 0] as [Float]), targets = try Tensor(shape: [2, 1], scalars: [0.5, -0.5])

        let forward = try model.forward([x], training: false)
        let logits = try XCTUnwrap(forward.logits[0], "the softmax head is fusable").values
        XCTAssertNil(forward.logits[1], "the linear score has no activation to fuse")
        let scoreValues = forward.outputs[1]

        let combined = try XCTUnwrap(model.loss as? MultiOutputLoss)
        let perSample = try forward.perSampleLoss(combined.losses[0], output: 0, yTrue: labels).scalars
        let scoreLoss = try forward.perSampleLoss(combined.losses[1], output: 1, yTrue: targets).scalars
        for row in 0..<2 {
            let l0 = Double(logits.scalars[row * 2]), l1 = Double(logits.scalars[row * 2 + 1]), s = Double(scoreValues.scalars[row])
            let label = row == 0 ? l1 : l0
            let logSumExp = max(l0, l1) + log(exp(l0 - max(l0, l1)) + exp(l1 - max(l0, l1)))
            XCTAssertGreaterThan(logSumExp - label, 30, "row \(row): the logits are extreme, as intended")
            XCTAssertEqual(Double(perSample[row]), logSumExp - label, accuracy: 1e-3 * (logSumExp - label), "row \(row): the loss is taken from the logits")
            XCTAssertEqual(Double(scoreLoss[row]), pow(s - Double(targets.scalars[row]), 2), accuracy: 1e-6)
            // The reported outputs are the activations: softmax probabilities that sum to 1.
            let p0 = forward.outputs[0].scalars[row * 2], p1 = forward.outputs[0].scalars[row * 2 + 1]
            XCTAssertEqual(p0 + p1, 1, accuracy: 1e-6)
        }
        // The model's total is the sum of both outputs' losses over the batch, through the logits.
        let total = try model.totalLoss(forward, targets: [labels, targets], sampleWeight: nil)
        let expected = zip(perSample, scoreLoss).map { Double($0) + Double($1) }.reduce(0, +) / 2
        XCTAssertEqual(Double(try XCTUnwrap(total.scalar)), expected, accuracy: 1e-4 * expected)
    }

    func testNoOutputIsFusedWhenNoLossHasALogitsForm() throws {
        let image = Input(shape: [3], name: "image")
        let a = try Dense(2, activation: .softmax, name: "a")(image)
        let b = try Dense(1, name: "b")(image)
        let model = try Model(inputs: [image], outputs: [a, b], name: "regression_heads")
        try model.compile(optimizer: .sgd(), loss: ["a": .meanSquaredError, "b": .meanSquaredError])
        let forward = try model.forward([try Tensor(shape: [1, 3], scalars: [1, 2, 3])], training: false)
        XCTAssertEqual(forward.logits.map { $0 == nil }, [true, true])
    }
}
