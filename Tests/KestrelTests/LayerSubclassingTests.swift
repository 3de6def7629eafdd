import XCTest
@testable import Kestrel

/// The parts of Keras's layer-subclassing API a user's own `Layer` relies on: `addWeight` without a name or
/// with a Keras initializer name, `addLoss`, tracked sub-layers, and `onTrainEnd`'s logs.
final class LayerSubclassingTests: XCTestCase {
    final class Scale: Layer {
        var factor: Variable!

        override func build(inputShape: [Int]) throws {
            factor = try addWeight(shape: [inputShape.last!], initializer: "ones")
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { try inputs * factor.tensor }
    }

    final class Holder: Layer {
        let first = Scale()
        var optional: Scale? = Scale()
        let several = [Scale(), Scale()]
        let shared: Scale

        override init(name: String? = nil) {
            shared = first
            super.init(name: name)
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            var x = try first(inputs)
            x = try optional!(x)
            for layer in several { x = try layer(x) }
            return try x.reshaped([x.shape[0], 1, x.shape[1]])
        }
    }

    func testAddWeightNamesWeightsAsKerasAndReadsInitializerNames() throws {
        let layer = Layer()
        let first = try layer.addWeight(shape: [2])
        let second = try layer.addWeight(shape: [2], initializer: "zeros")
        XCTAssertEqual([first.name, second.name], ["variable", "variable_1"])
        XCTAssertEqual(second.tensor.scalars, [0, 0])
        XCTAssertThrowsError(try layer.addWeight(shape: [2], initializer: "random_normall")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("addWeight(initializer:)") && message.contains("random_normal"), message)
        }
    }

    func testAddLossRefusesATensorOfSeveralValues() throws {
        let layer = Layer()
        XCTAssertThrowsError(try layer.addLoss(Tensor([1, 2]))) { error in
            XCTAssertTrue("\(error)".contains("addLoss needs a scalar loss"), "\(error)")
        }
        try layer.addLoss(Tensor([0.5]))
        XCTAssertEqual(try layer.losses.map(\.shape), [[]])
    }

    func testLayersInPropertiesAreTrackedOnceAndBuiltByTheShapeInference() throws {
        let holder = Holder()
        // Unbuilt, the shape is not inferred (no weight is made); built, it comes from running call once.
        XCTAssertEqual(try holder.computeOutputShape([3]), [3])
        XCTAssertTrue(holder.weights.isEmpty)
        try holder.buildIfNeeded(inputShape: [3])
        XCTAssertEqual(try holder.computeOutputShape([3]), [1, 3])
        XCTAssertEqual(holder.trackedLayers.count, 4)  // first (also `shared`), optional, the two in the array
        XCTAssertEqual(holder.weights.count, 4)
        XCTAssertEqual(holder.countParams(), 12)
        holder.trainable = false
        XCTAssertEqual(holder.trainableWeights.count, 0)
        XCTAssertFalse(holder.first.trainable)
        holder.optional = nil
        XCTAssertEqual(holder.weights.count, 3)
        // Kestrel's own layers track nothing.
        XCTAssertTrue(Dense(2).trackedLayers.isEmpty)
    }

    final class EndLogs: Callback {
        var received: [String: Double]?
        override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws { logs["seen"] = Double(epoch) }
        override func onTrainEnd(logs: inout [String: Double]) throws { received = logs }
    }

    func testOnTrainEndGetsTheLastEpochsLogsOrNone() throws {
        let model = try Sequential([Input(shape: [1]), Dense(1)])
        try model.compile(optimizer: "sgd", loss: "mse")
        let x = try Tensor(shape: [4, 1], scalars: [1, 2, 3, 4])
        let callback = EndLogs()
        // Keras's parameter order with verbose before callbacks.
        let history = try model.fit(x, x, batchSize: 2, epochs: 2, verbose: 0, callbacks: [callback])
        XCTAssertEqual(callback.received?["loss"], history.history["loss"]!.last)
        XCTAssertEqual(callback.received?["seen"], 1)
        let none = EndLogs()
        try model.fit(x, x, epochs: 2, verbose: 0, callbacks: [none], initialEpoch: 2)
        XCTAssertEqual(none.received, [:])
        // The other orders still resolve without ambiguity.
        try model.fit(x, x, batchSize: 2, epochs: 1, verbose: 0)
        try model.fit(x, x, batchSize: 2, epochs: 1, verbose: 0, validationSplit: 0.5, callbacks: [callback])
    }

    /// Keras 3.15.1 (Dense(1), ones kernel, zero bias, activity_regularizer=L2(0.5); x = [[1, 2], [3, 4]],
    /// y = 0): evaluate gives 43.5 = mse 29 + 0.5 · (9 + 49) / 2, the penalty divided by the batch size and
    /// counted in evaluation too.
    func testActivityRegularizerCountsInEvaluateDividedByTheBatchSizeAsInKeras() throws {
        let model = try Sequential([Input(shape: [2]), Dense(1, kernelInitializer: .ones, biasInitializer: .zeros,
                                                             activityRegularizer: .l2(0.5))])
        try model.compile(optimizer: "sgd", loss: "mse")
        let x = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let y = try Tensor.zeros([2, 1])
        XCTAssertEqual(try model.evaluate(x, y, batchSize: 2, verbose: 0)[0], 43.5, accuracy: 1e-5)
    }
}
