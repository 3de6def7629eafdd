import XCTest
@testable import Kestrel

/// Forward values of each layer against hand-computed numbers.
final class LayerTests: XCTestCase {
    func testDenseComputesAffineThenActivation() throws {
        let layer = Dense(2, activation: .relu, kernelInitializer: .constant(0), biasInitializer: .constant(0))
        _ = try layer(try Tensor.zeros([1, 3]))
        try layer.kernel!.assign(Tensor([[1, -1], [2, 0], [0, 3]]))
        try layer.bias!.assign(Tensor([0.5, -10]))
        let output = try layer(Tensor([[1, 2, 3]]))
        // [1+4+0+0.5, -1+0+9-10] = [5.5, -2] → relu → [5.5, 0]
        XCTAssertEqual(output.scalars, [5.5, 0])
        XCTAssertEqual(layer.weights.map(\.name), ["kernel", "bias"])
    }

    func testGlorotUniformStaysInsideKerasLimit() throws {
        Kestrel.setRandomSeed(1)
        let values = try Initializer.glorotUniform.make(shape: [784, 128]).scalars
        let limit = Float((6.0 / (784.0 + 128.0)).squareRoot())
        XCTAssertTrue(values.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(values.map(abs).max()!, limit * 0.99)
    }

    func testDropoutOnlyInTraining() throws {
        let layer = Dropout(0.5, seed: 3)
        let input = try Tensor.ones([100, 10])
        XCTAssertEqual(try layer(input, training: false).scalars, input.scalars)
        let dropped = try layer(input, training: true).scalars
        XCTAssertTrue(dropped.allSatisfy { $0 == 0 || $0 == 2 })
        let kept = dropped.filter { $0 != 0 }.count
        XCTAssertGreaterThan(kept, 400)
        XCTAssertLessThan(kept, 600)
    }

    func testBatchNormalizationTrainingAndInference() throws {
        let layer = BatchNormalization()
        let input = try Tensor([[1, 10], [3, 30]])
        let trained = try layer(input, training: true)
        // Batch mean [2, 20], variance [1, 100]: (x - mean) / sqrt(var + 0.001).
        let expected: [Float] = [-1 / 1.0005, -10 / 10.00005, 1 / 1.0005, 10 / 10.00005]
        for (value, target) in zip(trained.scalars, expected) { XCTAssertEqual(value, target, accuracy: 1e-4) }
        // Moving statistics moved 1% towards the batch statistics.
        XCTAssertEqual(layer.movingMean!.value.scalars[0], 0.02, accuracy: 1e-6)
        XCTAssertEqual(layer.movingMean!.value.scalars[1], 0.2, accuracy: 1e-6)
        XCTAssertEqual(layer.movingVariance!.value.scalars[0], 0.99 + 0.01, accuracy: 1e-6)
        XCTAssertEqual(layer.movingVariance!.value.scalars[1], 0.99 + 1.0, accuracy: 1e-5)
        // Inference uses the moving statistics.
        let inferred = try layer(input, training: false)
        XCTAssertEqual(inferred.scalars[0], (1 - 0.02) / (1.0 + 0.001).squareRoot(), accuracy: 1e-5)
    }

    func testShapeLayers() throws {
        let input = try Tensor(shape: [2, 2, 3], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(try Flatten()(input).shape, [2, 6])
        XCTAssertEqual(try Reshape([3, -1])(input).shape, [2, 3, 2])
        XCTAssertThrowsError(try Reshape([4])(input)) { error in
            XCTAssertTrue("\(error)".contains("Reshape"))
        }
        XCTAssertEqual(try Rescaling(scale: 0.5, offset: 1)(input).scalars[3], 2.5)
    }

    func testActivationLayers() throws {
        let input = Tensor([-2, -0.5, 0.5, 7])
        let batch = try input.reshaped([1, 4])
        XCTAssertEqual(try ReLU()(batch).scalars, [0, 0, 0.5, 7])
        XCTAssertEqual(try ReLU(maxValue: 6)(batch).scalars, [0, 0, 0.5, 6])
        XCTAssertEqual(try ReLU(negativeSlope: 0.1)(batch).scalars, [-0.2, -0.05, 0.5, 7])
        let softmax = try Softmax()(batch).scalars
        XCTAssertEqual(softmax.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(try Activation(.sigmoid)(Tensor([[0]])).scalars, [0.5])
    }

    func testConv2DForwardMatchesHandComputation() throws {
        let layer = Conv2D(1, kernelSize: 2, useBias: false)
        let image = try Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        _ = try layer(image)
        try layer.kernel!.assign(Tensor(shape: [2, 2, 1, 1], scalars: [1, 0, 0, -1]))
        // Each output = top-left − bottom-right = −4 everywhere.
        XCTAssertEqual(try layer(image).scalars, [-4, -4, -4, -4])
        XCTAssertEqual(try MaxPooling2D()(Tensor(shape: [1, 2, 2, 1], scalars: [1, 5, 3, 2])).scalars, [5])
        XCTAssertEqual(try AveragePooling2D()(Tensor(shape: [1, 2, 2, 1], scalars: [1, 5, 3, 3])).scalars, [3])
        XCTAssertEqual(try GlobalAveragePooling2D()(image).scalars, [5])
    }

    func testInputShapeMismatchNamesTheModel() throws {
        let model = try Sequential {
            Input(shape: [28, 28])
            Flatten()
            Dense(10)
        }
        XCTAssertThrowsError(try model(try Tensor.zeros([2, 27, 28]))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("(None, 28, 28)") && text.contains("(None, 27, 28)"), text)
        }
    }

    func testSequentialBuilderSupportsAddAndConditions() throws {
        let useDropout = false
        let model = try Sequential {
            Dense(4)
            if useDropout { Dropout(0.5) }
        }
        try model.add(Dense(2))
        XCTAssertEqual(model.layers.count, 2)
        XCTAssertEqual(try model(try Tensor.ones([3, 5])).shape, [3, 2])
        XCTAssertEqual(model.getWeights().map(\.shape), [[5, 4], [4], [4, 2], [2]])
        XCTAssertThrowsError(try model.setWeights([try Tensor.zeros([1])]))
    }
}
