import XCTest
import Kestrel

/// A user's own `BatchSource` feeds `fit` and `evaluate` with batches of several named inputs, and a
/// custom step reads them by name.
final class BatchSourceTests: XCTestCase {
    /// Two one-feature inputs `a` and `b` with a zero target, in batches of two.
    struct PairSource: BatchSource {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [3, 4, 5, 6]
        var batchesPerPass: Int? { 2 }

        func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
            let batches = try stride(from: 0, to: 4, by: 2).map { start in
                try Batch(inputs: [try Tensor(shape: [2, 1], scalars: Array(a[start..<(start + 2)])),
                                   try Tensor(shape: [2, 1], scalars: Array(b[start..<(start + 2)]))],
                          targets: [try Tensor.zeros([2, 1])], inputNames: ["a", "b"], targetNames: ["sum"])
            }
            return AnyIterator(batches.makeIterator())
        }
    }

    /// Keeps the `a` input of every batch it trains on, read by name.
    final class NamedInputModel: Model, @unchecked Sendable {
        var seenA: [Float] = []
        override func trainStep(_ batch: Batch) throws -> [String: Double] {
            seenA += try batch.input(named: "a").scalars
            return try super.trainStep(batch)
        }
    }

    private func sumModel() throws -> Model {
        let a = Input(shape: [1], name: "a"), b = Input(shape: [1], name: "b")
        let sum = try Dense(1, useBias: false, name: "sum")(try Concatenate()([a, b]))
        let model = try Model(inputs: [a, b], outputs: sum)
        try model.getLayer(name: "sum").weights[0].assign(try Tensor(shape: [2, 1], scalars: [1, 1]))
        try model.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        return model
    }

    func testFitAndEvaluateTakeAUsersSourceOfNamedInputs() throws {
        let model = try sumModel()
        // The model outputs a + b = 4, 6 | 8, 10 against zero targets: squared errors 16, 36 | 64, 100;
        // the loss tracker weights each batch mean (26, 82) by its 2 samples: (52 + 164) / 4 = 54.
        let history = try model.fit(PairSource(), epochs: 2, verbose: .silent, validationData: PairSource())
        XCTAssertEqual(history["loss"], [54, 54], "a zero learning rate keeps the weights")
        XCTAssertEqual(history["val_loss"], [54, 54])
        XCTAssertEqual(try model.evaluate(PairSource(), verbose: .silent).loss, 54)
    }

    func testAStepReadsTheBatchsInputsByName() throws {
        let a = Input(shape: [1], name: "a"), b = Input(shape: [1], name: "b")
        let sum = try Dense(1, useBias: false, name: "sum")(try Concatenate()([a, b]))
        let model = try NamedInputModel(inputs: [a, b], outputs: sum)
        try model.compile(optimizer: .sgd(learningRate: 0), loss: .meanSquaredError)
        _ = try model.fit(PairSource(), epochs: 1, verbose: .silent)
        XCTAssertEqual(model.seenA, [1, 2, 3, 4])
        XCTAssertThrowsError(try Batch(x: Tensor([1])).input(named: "c")) { XCTAssertTrue("\($0)".contains("'c'"), "\($0)") }
        XCTAssertThrowsError(try Batch(inputs: [])) { XCTAssertTrue("\($0)".contains("inputs is empty"), "\($0)") }
    }
}
