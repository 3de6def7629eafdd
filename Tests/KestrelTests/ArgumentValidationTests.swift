import XCTest
@testable import Kestrel

/// Nonsense arguments are rejected when the layer, optimizer or callback is given to Kestrel, with a
/// `KestrelError` that names the layer, the argument, the value and the valid range.
final class ArgumentValidationTests: XCTestCase {
    private func assertRejected(_ layer: @autoclosure () -> Layer, mentioning parts: [String],
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Sequential { Input(shape: [4, 4, 1]); layer() }, file: file, line: line) { error in
            guard case KestrelError.invalidArgument(let text) = error else {
                return XCTFail("expected invalidArgument, got \(error)", file: file, line: line)
            }
            for part in parts { XCTAssertTrue(text.contains(part), "'\(part)' missing in: \(text)", file: file, line: line) }
        }
    }

    func testUnknownActivationNameIsRejectedWhenAdded() {
        assertRejected(Dense(10, activation: "softmx"), mentioning: ["Dense", "activation", "'softmx'", "softmax, "])
        assertRejected(Activation("rleu"), mentioning: ["Activation", "'rleu'"])
        assertRejected(Conv2D(2, kernelSize: 3, activation: "sigmoide"), mentioning: ["Conv2D", "'sigmoide'"])
        XCTAssertEqual(Dense(3, activation: "silu").activation, .swish)  // Keras's other name still works
    }

    func testUnknownActivationIsRejectedWhenALayerIsBuiltAlone() {
        let layer = Dense(2, activation: "softmx")
        XCTAssertThrowsError(try layer(try Tensor.ones([1, 3]))) { error in
            XCTAssertTrue("\(error)".contains("activation must be one of"), "\(error)")
        }
    }

    func testNegativeUnitsAndShapesAreRejectedWhenMade() {
        assertRejected(Dense(-5), mentioning: ["Dense", "units", "positive", "-5"])
        XCTAssertThrowsError(try Sequential { Input(shape: [-4]) }) { error in
            XCTAssertTrue("\(error)".contains("InputLayer") && "\(error)".contains("[-4]"), "\(error)")
        }
        XCTAssertThrowsError(try Sequential([Dense(0)]))  // without Input: still rejected on add
    }

    func testEveryLayerArgumentWithAKerasRangeIsChecked() {
        assertRejected(Conv2D(0, kernelSize: 3), mentioning: ["filters"])
        assertRejected(Conv2D(2, kernelSize: [0, 3]), mentioning: ["kernelSize"])
        assertRejected(Conv2D(2, kernelSize: 3, strides: -1), mentioning: ["strides"])
        assertRejected(MaxPooling2D(poolSize: 0), mentioning: ["MaxPooling2D", "poolSize"])
        assertRejected(AveragePooling2D(poolSize: 2, strides: [1, 0]), mentioning: ["strides"])
        assertRejected(Dropout(1), mentioning: ["Dropout", "rate", "[0, 1)"])
        assertRejected(Dropout(-0.1), mentioning: ["rate"])
        assertRejected(BatchNormalization(momentum: 1.5), mentioning: ["momentum"])
        assertRejected(BatchNormalization(epsilon: 0), mentioning: ["epsilon"])
        assertRejected(ReLU(maxValue: -1), mentioning: ["maxValue"])
        assertRejected(ReLU(negativeSlope: -0.2), mentioning: ["negativeSlope"])
        assertRejected(Rescaling(scale: .nan), mentioning: ["scale"])
        assertRejected(Reshape([-1, -1]), mentioning: ["targetShape"])
        assertRejected(Reshape([0, 16]), mentioning: ["targetShape"])
        assertRejected(Dense(2, kernelRegularizer: .l2(-1)), mentioning: ["kernelRegularizer"])
    }

    func testAFailedAddLeavesTheModelUnchanged() throws {
        let model = try Sequential { Input(shape: [3]); Dense(2) }
        XCTAssertThrowsError(try model.add(Dense(-1)))
        XCTAssertThrowsError(try model.add(Conv2D(2, kernelSize: 3)))  // rank-1 input: does not fit
        XCTAssertEqual(model.layers.count, 1)
        try model.add(Dense(1))
        XCTAssertEqual(model.layers.count, 2)
    }

    func testBuilderClosureMayThrow() {
        struct Boom: Error {}
        XCTAssertThrowsError(try Sequential { () throws -> [Layer] in throw Boom() }) { XCTAssertTrue($0 is Boom) }
    }

    func testOptimizerFactoriesThrowForInvalidRates() {
        for rate: Float in [-1, .nan, .infinity] {
            XCTAssertThrowsError(try Optimizer.adam(learningRate: rate)) { error in
                XCTAssertTrue("\(error)".contains("adam: learningRate"), "\(error)")
            }
        }
        XCTAssertThrowsError(try Optimizer.sgd(momentum: 2))
        XCTAssertThrowsError(try Optimizer.rmsprop(rho: 1))
        XCTAssertThrowsError(try Optimizer.adagrad(initialAccumulatorValue: -1))
        XCTAssertThrowsError(try Optimizer.adam(clipnorm: -1))
    }

    func testLearningRateSetToNonsenseIsAnErrorAtTheNextStepAndAtCompile() throws {
        let optimizer = try Optimizer.sgd(learningRate: 0.1)
        XCTAssertThrowsError(try optimizer.setLearningRate(-1))
        XCTAssertEqual(optimizer.learningRate, 0.1)  // the throwing setter keeps the old rate
        optimizer.learningRate = -1
        let variable = Variable(try Tensor.ones([2]), name: "w")
        XCTAssertThrowsError(try optimizer.apply(gradients: [try Tensor.ones([2])], to: [variable])) { error in
            XCTAssertTrue("\(error)".contains("sgd: learningRate must be a finite number ≥ 0, got -1.0"), "\(error)")
        }
        XCTAssertEqual(variable.value.scalars, [1, 1])  // nothing applied
        let model = try Sequential { Dense(1) }
        XCTAssertThrowsError(try model.compile(optimizer: optimizer, loss: .meanSquaredError))
    }

    func testAUCFactoryThrowsInsteadOfTrapping() {
        XCTAssertThrowsError(try Metric.auc(numThresholds: 1))
        XCTAssertThrowsError(try Metric.auc(numThresholds: Int.max))
        XCTAssertEqual((Metric.auc as? AUC)?.numThresholds, 200)
    }

    func testCallbackArgumentsAreRejectedByFit() throws {
        let model = try Sequential { Dense(1) }
        try model.compile(optimizer: .sgd(), loss: .meanSquaredError)
        let x = try Tensor.ones([4, 2]), y = try Tensor.ones([4, 1])
        XCTAssertThrowsError(try model.fit(x, y, epochs: 1, verbose: .silent, callbacks: [EarlyStopping(patience: -1)])) { error in
            XCTAssertTrue("\(error)".contains("EarlyStopping: patience must be ≥ 0, got -1"), "\(error)")
        }
        XCTAssertThrowsError(try ReduceLROnPlateau(factor: 0))
        XCTAssertThrowsError(try ReduceLROnPlateau(patience: -2))
        XCTAssertThrowsError(try ReduceLROnPlateau(minLR: -1))
    }

    func testAScheduleReturningANegativeRateStopsFitWithItsName() throws {
        let model = try Sequential { Dense(1) }
        try model.compile(optimizer: .sgd(), loss: .meanSquaredError)
        let x = try Tensor.ones([4, 2]), y = try Tensor.ones([4, 1])
        let scheduler = LearningRateScheduler { epoch, rate in epoch == 1 ? -1 : rate }
        XCTAssertThrowsError(try model.fit(x, y, epochs: 3, verbose: .silent, callbacks: [scheduler])) { error in
            XCTAssertTrue("\(error)".contains("LearningRateScheduler: the schedule returned -1.0 for epoch 1"), "\(error)")
        }
        XCTAssertEqual(model.optimizer?.learningRate, 0.01)
    }
}
