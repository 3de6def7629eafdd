import XCTest
@testable import Kestrel
@testable import KestrelTensor

/// Kestrel's own optimizers update a variable and its slots in place when nothing else holds them,
/// with the values of the out-of-place update bit for bit; a value read before the step keeps its
/// numbers; and `fit` leaves nothing holding the weights across the step, so its updates are in place.
final class OptimizerInPlaceTests: XCTestCase {
    private func identity(_ tensor: Tensor) -> ObjectIdentifier { ObjectIdentifier(tensor.storage) }

    private func optimizers() throws -> [(String, () throws -> Optimizer)] {
        [("adam", { try Adam(learningRate: 0.01) }),
         ("adam amsgrad", { try Adam(learningRate: 0.01, amsgrad: true) }),
         ("adamw", { try AdamW(learningRate: 0.01, weightDecay: 0.1) }),
         ("sgd nesterov", { try SGD(learningRate: 0.05, momentum: 0.9, nesterov: true) }),
         ("rmsprop centered", { try RMSprop(learningRate: 0.01, momentum: 0.5, centered: true) }),
         ("adagrad", { try Adagrad(learningRate: 0.05) })]
    }

    /// One variable stepped with nothing else holding it (in place: its storage and its slots' stay
    /// the same) and a twin whose value is held by the test at every step (updated into new storage):
    /// the same numbers bit for bit after each of three steps, and the held values unchanged.
    func testInPlaceStepsMatchOutOfPlaceStepsBitForBit() throws {
        for (label, make) in try optimizers() {
            let (inPlace, outOfPlace) = (try make(), try make())
            let start = sampleValues(40_000, seed: 1)  // above one thread's share: split across threads
            let variable = Variable(try Tensor(shape: [200, 200], scalars: start), name: "kernel")
            let twin = Variable(try Tensor(shape: [200, 200], scalars: start), name: "kernel")
            var identities: [ObjectIdentifier] = []
            for step in 1...3 {
                let gradient = try Tensor(shape: [200, 200], scalars: sampleValues(40_000, seed: 10 + UInt64(step)))
                try inPlace.apply(gradients: [gradient], to: [variable])
                let held = twin.value, heldValues = held.scalars
                try outOfPlace.apply(gradients: [gradient], to: [twin])
                XCTAssertEqual(held.scalars, heldValues, "\(label) step \(step): a value read before the step keeps its numbers")
                XCTAssertNotEqual(identity(held), identity(twin.value), "\(label) step \(step): the held value's storage is not rewritten")
                XCTAssertEqual(variable.value.scalars.map(\.bitPattern), twin.value.scalars.map(\.bitPattern), "\(label) step \(step): parameter")
                for (index, (slot, twinSlot)) in zip(inPlace.slotTensors(for: variable), outOfPlace.slotTensors(for: twin)).enumerated() {
                    XCTAssertEqual(slot.scalars.map(\.bitPattern), twinSlot.scalars.map(\.bitPattern), "\(label) step \(step): slot \(index)")
                }
                let now = [identity(variable.value)] + inPlace.slotTensors(for: variable).map(identity)
                if step > 1 { XCTAssertEqual(now, identities, "\(label) step \(step): updated in place") }
                identities = now
            }
        }
    }

    /// `fit` (Adam, accuracy metric, validation split) keeps no reference to a weight across the
    /// optimizer's step: every weight keeps its storage from the first step to the last, so each step
    /// rewrote it in place.
    func testFitUpdatesTheWeightsInPlace() throws {
        var generator = RandomGenerator(seed: 5)
        let x = try Tensor.randomNormal([96, 6], generator: &generator)
        let y = Tensor(labels: (0..<96).map { $0 % 3 })
        let model = try Sequential {
            Input(shape: [6])
            Dense(16, activation: .relu)
            Dense(3, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        _ = try model.fit(x, y, epochs: 1, batchSize: 16, verbose: .silent)
        let before = model.weights.map { identity($0.value) }
        let valuesBefore = model.weights.map(\.value.scalars)
        _ = try model.fit(x, y, epochs: 2, batchSize: 16, verbose: .silent, validationSplit: 0.25)
        XCTAssertEqual(model.weights.map { identity($0.value) }, before, "the weights were rewritten in place")
        XCTAssertNotEqual(model.weights.map(\.value.scalars), valuesBefore, "and they changed")
    }

    /// The same for a small CNN (3×3 convolutions that take the Winograd or im2col path, pooling, a
    /// dense head): nothing in the convolution kernels keeps a weight across the step.
    func testFitUpdatesConvolutionWeightsInPlace() throws {
        var generator = RandomGenerator(seed: 6)
        let x = try Tensor.randomUniform([32, 8, 8, 3], generator: &generator)
        let y = Tensor(labels: (0..<32).map { $0 % 4 })
        let model = try Sequential {
            Input(shape: [8, 8, 3])
            Conv2D(8, kernelSize: 3, padding: .same, activation: .relu)
            Conv2D(8, kernelSize: 3, padding: .same, activation: .relu)
            MaxPooling2D()
            Flatten()
            Dense(4, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        _ = try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent)
        let before = model.weights.map { identity($0.value) }
        let valuesBefore = model.weights.map(\.value.scalars)
        _ = try model.fit(x, y, epochs: 2, batchSize: 8, verbose: .silent)
        XCTAssertEqual(model.weights.map { identity($0.value) }, before, "the weights were rewritten in place")
        XCTAssertNotEqual(model.weights.map(\.value.scalars), valuesBefore, "and they changed")
    }

    /// Slots restored on another device than the variable's: the step throws, naming the devices,
    /// before the weight decay or the rule changes anything.
    func testSlotsOnAnotherDeviceThrowBeforeAnyWrite() throws {
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.5)
        let variable = Variable(Tensor([1, 2]), name: "kernel")
        let elsewhere = [Tensor([0, 0]).to(.reference), Tensor([0, 0]).to(.reference)]
        try optimizer.restoreState(iterations: 0, slots: [(variable: variable, tensors: elsewhere)])
        XCTAssertThrowsError(try optimizer.apply(gradients: [Tensor([0.5, -0.5])], to: [variable])) { error in
            XCTAssertTrue("\(error)".contains("reference"), "\(error)")
        }
        XCTAssertEqual(variable.value.scalars, [1, 2], "no weight decay was applied")
    }

    private func sampleValues(_ count: Int, seed: UInt64) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextUniform() * 2 - 1 }
    }
}
