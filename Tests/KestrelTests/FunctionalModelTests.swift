import XCTest
@testable import Kestrel

/// The functional API: symbolic calls, shared and nested layers, freezing, training, and its errors.
final class FunctionalModelTests: XCTestCase {
    private func message(of body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testSymbolicCallsInferShapesAndLayersKnowTheirInputAndOutput() throws {
        let inputs = Input(shape: [28, 28, 1], name: "image")
        let conv = try Conv2D(4, kernelSize: 3, activation: .relu)
        let x = try conv(inputs)
        XCTAssertEqual(x.shape, [26, 26, 4])
        let flat = try Flatten()(x)
        let outputs = try Dense(10, activation: .softmax, name: "probabilities")(flat)
        let model = try Model(inputs: inputs, outputs: outputs)
        XCTAssertEqual(model.className, "Functional")
        XCTAssertEqual(try conv.input, inputs.symbolicTensor)
        XCTAssertEqual(try conv.output, x)
        XCTAssertEqual(try model.output.shape, [10])
        XCTAssertEqual(model.outputNames, ["probabilities"])
        XCTAssertTrue(try model.getLayer(name: "probabilities") is Dense)
        XCTAssertTrue(message { try model.getLayer(name: "nope") }.contains("probabilities"))
        XCTAssertEqual(try model.predict(try Tensor.zeros([2, 28, 28, 1])).shape, [2, 10])
    }

    func testSharedLayerWeightsCountOnceAndSharedLayerHasNoSingleOutput() throws {
        let left = Input(shape: [4]), right = Input(shape: [4])
        let shared = try Dense(3)
        let model = try Model(inputs: [left, right], outputs: try Add()([try shared(left), try shared(right)]))
        XCTAssertEqual(model.weights.count, 2)
        XCTAssertEqual(model.countParams(), 15)
        XCTAssertTrue(message { try shared.output }.contains("called 2 times"))
        let a = uniformTensor([2, 4], low: -1, high: 1, seed: 1), b = uniformTensor([2, 4], low: -1, high: 1, seed: 2)
        let expected = try shared(a) + shared(b)
        XCTAssertEqual(try model([a, b])[0].scalars, expected.scalars)
    }

    func testNestedModelsAreOneLayerAndRunInTheirOwnMode() throws {
        let baseInput = Input(shape: [5])
        let base = try Model(inputs: baseInput, outputs: try Dropout(0.5)(try Dense(4)(baseInput)), name: "base")
        let inputs = Input(shape: [5])
        let model = try Model(inputs: inputs, outputs: try Dense(2)(try base(inputs, training: false)))
        XCTAssertEqual(model.layers.count, 3)
        XCTAssertTrue(model.layers[1] === base)
        XCTAssertEqual(model.weights.count, 4)
        let x = uniformTensor([3, 5], low: -1, high: 1, seed: 3)
        // training: false on the call fixes Dropout off even when the outer model trains.
        XCTAssertEqual(try model(x, training: true).scalars, try model(x, training: false).scalars)
        let sequential = try Sequential { Dense(4); Dense(3) }
        let outer = try Model(inputs: inputs, outputs: try sequential(inputs))
        XCTAssertEqual(try outer.predict(x).shape, [3, 3])
    }

    func testFunctionalMLPTrainsExactlyLikeTheSequentialOne() throws {
        let sequential = try Sequential { Input(shape: [6]); Dense(8, activation: .relu); Dense(3, activation: .softmax) }
        let inputs = Input(shape: [6])
        let functional = try Model(inputs: inputs, outputs: try Dense(3, activation: .softmax)(try Dense(8, activation: .relu)(inputs)))
        try functional.setWeights(sequential.getWeights())
        let x = uniformTensor([32, 6], low: -1, high: 1, seed: 4)
        let y = Tensor((0..<32).map { Float($0 % 3) })
        for model in [sequential, functional] as [Model] {
            try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        }
        let sequentialHistory = try sequential.fit(x, y, epochs: 3, batchSize: 8, verbose: .silent, validationSplit: 0.25, shuffle: false)
        let functionalHistory = try functional.fit(x, y, epochs: 3, batchSize: 8, verbose: .silent, validationSplit: 0.25, shuffle: false)
        XCTAssertEqual(functionalHistory.keys, sequentialHistory.keys)
        for key in sequentialHistory.keys {
            XCTAssertEqual(functionalHistory[key], sequentialHistory[key], key)
        }
        XCTAssertNotNil(functional.graph?.fusableOutputNode(activation: "softmax"), "the softmax head fuses into the loss")
        XCTAssertEqual(try functional.evaluate(x, y).values, try sequential.evaluate(x, y).values)
    }

    func testFreezingFollowsKerasAndFrozenBatchNormalizationUsesMovingStatistics() throws {
        let baseInput = Input(shape: [4])
        let batchNorm = try BatchNormalization()
        let base = try Model(inputs: baseInput, outputs: try batchNorm(try Dense(4)(baseInput)), name: "frozen_base")
        let inputs = Input(shape: [4])
        let model = try Model(inputs: inputs, outputs: try Dense(2)(try base(inputs)))
        XCTAssertEqual(model.trainableWeights.count, 6)
        base.trainable = false
        XCTAssertEqual(model.trainableWeights.count, 2)
        XCTAssertEqual(model.nonTrainableWeights.count, 6)
        let movingMean = try XCTUnwrap(batchNorm.movingMean).value.scalars
        _ = try model(uniformTensor([8, 4], low: 2, high: 3, seed: 5), training: true)
        XCTAssertEqual(try XCTUnwrap(batchNorm.movingMean).value.scalars, movingMean, "frozen BatchNormalization must not update")
        base.trainable = true
        XCTAssertEqual(model.trainableWeights.count, 6)
    }

    func testGraphBuildingErrorsNameTheLayersAndShapes() throws {
        let a = Input(shape: [4], name: "a"), b = Input(shape: [5], name: "b")
        let dense = try Dense(3, name: "project")
        let toA = try dense(a)
        let mismatch = message { try dense(b) }
        XCTAssertTrue(mismatch.contains("project") && mismatch.contains("'b'") && mismatch.contains("(None, 5)") && mismatch.contains("(None, 4)"), mismatch)
        let add = message { try Add(name: "sum")([a, b]) }
        XCTAssertTrue(add.contains("sum") && add.contains("(None, 4)") && add.contains("(None, 5)"), add)
        let concatenated = message { try Concatenate(name: "join")([Input(shape: [2, 3]), Input(shape: [4, 3])]) }
        XCTAssertTrue(concatenated.contains("join") && concatenated.contains("(None, 2, 3)"), concatenated)
        XCTAssertTrue(message { try Model(inputs: [a, a], outputs: toA) }.contains("given twice"))
        let disconnected = message { try Model(inputs: b, outputs: toA) }
        XCTAssertTrue(disconnected.contains("disconnected") && disconnected.contains("'a'"), disconnected)
        XCTAssertTrue(message { try Model(inputs: [a, b], outputs: toA) }.contains("not connected to any output"))
        XCTAssertTrue(message { try Model(inputs: toA, outputs: toA) }.contains("must be Input"))
        let twin = try Dense(3, name: "project")(toA)
        XCTAssertTrue(message { try Model(inputs: a, outputs: twin) }.contains("named 'project'"))
    }

    func testMissingOrUnknownInputsAtPredictTimeThrow() throws {
        let image = Input(shape: [3], name: "image"), meta = Input(shape: [2], name: "meta")
        let model = try Model(inputs: [image, meta], outputs: try Concatenate()([image, meta]))
        let x = try Tensor.zeros([2, 3]), m = try Tensor.zeros([2, 2])
        XCTAssertTrue(message { try model.predict(["image": x]) }.contains("'meta'"))
        XCTAssertTrue(message { try model.predict(["image": x, "meta": m, "extra": m]) }.contains("'extra' names no input"))
        XCTAssertTrue(message { try model.predict([x]) }.contains("2 inputs"))
        XCTAssertTrue(message { try model.predict(x) }.contains("2 inputs"))
        XCTAssertTrue(message { try model.predict([x, x]) }.contains("'meta' expects samples of shape (None, 2)"))
        XCTAssertTrue(message { try model.predict([x, try Tensor.zeros([3, 2])]) }.contains("same number of samples"))
        XCTAssertEqual(Array(try model.predict(["meta": m, "image": x]).keys), model.outputNames)
    }

    func testChangingTrainableTakesEffectAtTheNextCompileAndFineTuningUnfreezesTheTop() throws {
        let baseInput = Input(shape: [4])
        let lower = try Dense(5, activation: .relu, name: "lower")
        let upper = try Dense(5, activation: .relu, name: "upper")
        let base = try Model(inputs: baseInput, outputs: try upper(try lower(baseInput)), name: "pretrained")
        let inputs = Input(shape: [4])
        let model = try Model(inputs: inputs, outputs: try Dense(2, activation: .softmax)(try base(inputs, training: false)))
        let x = uniformTensor([16, 4], low: -1, high: 1, seed: 8)
        let y = Tensor((0..<16).map { Float($0 % 2) })
        base.trainable = false
        try model.compile(optimizer: .sgd(learningRate: 0.1), loss: .sparseCategoricalCrossentropy)
        let frozen = base.weights.map(\.value.scalars)
        try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent)
        XCTAssertEqual(base.weights.map(\.value.scalars), frozen, "frozen at compile: unchanged")
        // Fine-tuning: unfreeze the top layer of the base; nothing changes until the next compile.
        base.trainable = true
        lower.trainable = false
        try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent)
        XCTAssertEqual(base.weights.map(\.value.scalars), frozen, "trainable changed without compile: still frozen")
        try model.compile(optimizer: .sgd(learningRate: 0.01), loss: .sparseCategoricalCrossentropy)
        try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent)
        XCTAssertEqual(lower.weights.map(\.value.scalars), Array(frozen.prefix(2)), "still-frozen lower layer unchanged")
        XCTAssertNotEqual(upper.weights.map(\.value.scalars), Array(frozen.suffix(2)), "unfrozen top layer trains after compile")
    }

    func testMissingOrUnknownArraysAtFitTimeThrow() throws {
        let image = Input(shape: [3], name: "image"), meta = Input(shape: [2], name: "meta")
        let joined = try Concatenate()([image, meta])
        let model = try Model(inputs: [image, meta], outputs: [try Dense(2, name: "kind")(joined), try Dense(1, name: "score")(joined)])
        let x = ["image": try Tensor.zeros([4, 3]), "meta": try Tensor.zeros([4, 2])]
        let y = ["kind": Tensor([0, 1, 0, 1]), "score": try Tensor.zeros([4, 1])]
        XCTAssertTrue(message { try model.fit(x, y, verbose: .silent) }.contains("before compile"))
        XCTAssertTrue(message { try model.compile(optimizer: .sgd(), loss: ["kind": .sparseCategoricalCrossentropy]) }.contains("'score'"))
        XCTAssertTrue(message { try model.compile(optimizer: .sgd(), loss: ["kind": .meanSquaredError, "nope": .meanSquaredError]) }.contains("'nope' names no output"))
        try model.compile(optimizer: .sgd(), loss: ["kind": .sparseCategoricalCrossentropy, "score": .meanSquaredError])
        XCTAssertTrue(message { try model.fit(["image": x["image"]!], y, verbose: .silent) }.contains("'meta'"))
        XCTAssertTrue(message { try model.fit(x, ["kind": y["kind"]!], verbose: .silent) }.contains("'score'"))
        XCTAssertTrue(message { try model.fit(x, ["kind": y["kind"]!, "score": y["score"]!, "extra": y["score"]!], verbose: .silent) }.contains("'extra' names no output"))
        XCTAssertEqual(try model.fit(x, y, epochs: 1, verbose: .silent).keys, ["kind_loss", "loss", "score_loss"])
    }
}
