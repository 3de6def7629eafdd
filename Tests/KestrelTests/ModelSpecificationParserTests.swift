import XCTest
@testable import Kestrel

/// The text model spec: good specs give the expected layers and Keras's parameter counts; bad
/// ones give one sentence that points at the layer and token.
final class ModelSpecificationParserTests: XCTestCase {
    func testTutorialSpecBuildsTheKerasTutorialModel() throws {
        let spec = try ModelSpecification(parsing: "flatten, dense 128 relu, dropout 0.5, dense 10 softmax")
        XCTAssertEqual(spec.layers, [.flatten, .dense(units: 128, activation: .relu, kernelRegularizer: nil), .dropout(rate: 0.5),
                                     .dense(units: 10, activation: .softmax, kernelRegularizer: nil)])
        XCTAssertNil(spec.inputShape)
        let model = try spec.makeModel(inputShape: [28, 28])
        XCTAssertEqual(model.countParams(), 101_770)
        XCTAssertEqual(model.layers.count, 4)  // the Input sets the shape and is not listed, as in Keras
        XCTAssertEqual(model.declaredInputShape, [28, 28])
    }

    func testConvolutionSpecWithOptionsAndSeparators() throws {
        let spec = try ModelSpecification(parsing: """
            Input 28x28x1; Rescaling 1/255
            conv2d 32 3x5 relu same strides=2 l2=0.001, max_pool 2 same, batch-norm momentum=0.9
            avgpool, gap, dense 10 activation=softmax
            """)
        XCTAssertEqual(spec.inputShape, [28, 28, 1])
        XCTAssertEqual(spec.layers[1], .rescaling(scale: 1 / 255, offset: 0))
        XCTAssertEqual(spec.layers[2], .conv2D(filters: 32, kernelSize: WindowSize(3, 5), strides: 2, padding: .same,
                                               activation: .relu, kernelRegularizer: .l2(0.001)))
        XCTAssertEqual(spec.layers[3], .maxPooling2D(poolSize: 2, strides: nil, padding: .same))
        XCTAssertEqual(spec.layers[4], .batchNormalization(momentum: 0.9, epsilon: 0.001))
        XCTAssertEqual(spec.layers[5], .averagePooling2D(poolSize: 2, strides: nil, padding: .valid))
        XCTAssertEqual(spec.layers[6], .globalAveragePooling2D)
        XCTAssertEqual(spec.layers[7], .dense(units: 10, activation: .softmax, kernelRegularizer: nil))
        // conv 28×28 same stride 2 → 14×14×32; pool same → 7×7; GAP → 32; dense 10.
        let model = try spec.makeModel()
        XCTAssertEqual(try model.outputShape(forInput: [28, 28, 1]), [10])
        XCTAssertEqual(model.countParams(), (3 * 5 * 1 * 32 + 32) + 4 * 32 + (32 * 10 + 10))
    }

    func testDefaultsAndBareActivations() throws {
        let spec = try ModelSpecification(parsing: "reshape 28x28x1, conv2d 8, maxpool, flatten, dense 4, relu, dense 2, tanh, softmax")
        XCTAssertEqual(spec.layers[1], .conv2D(filters: 8, kernelSize: 3, strides: 1, padding: .valid, activation: .linear, kernelRegularizer: nil))
        XCTAssertEqual(spec.layers[2], .maxPooling2D(poolSize: 2, strides: nil, padding: .valid))
        XCTAssertEqual(Array(spec.layers.suffix(4)), [.relu, .dense(units: 2, activation: .linear, kernelRegularizer: nil), .activation(.tanh), .softmax])
    }

    func testBadTokenIsNamedWithItsPosition() {
        assertError("dense 12x relu",
                    "Model spec layer 1 'dense 12x relu': token 2 '12x' is not a valid units, a whole number ≥ 1.")
        assertError("flatten, dense 128 rleu",
                    "Model spec layer 2 'dense 128 rleu': token 3 'rleu' is not understood; write: dense UNITS [ACTIVATION] [l1=…] [l2=…].")
        assertError("flatten 3", "Model spec layer 1 'flatten 3': token 2 '3' is not expected; flatten takes no arguments.")
        assertError("dense 10 relu l3=0.1",
                    "Model spec layer 1 'dense 10 relu l3=0.1': token 4 'l3=0.1' is not an option of dense; it takes: dense UNITS [ACTIVATION] [l1=…] [l2=…].")
        assertError("dropout 1.5",
                    "Model spec layer 1 'dropout 1.5': token 2 '1.5' is not a dropout rate; write a fraction in [0, 1), e.g. 'dropout 0.5'.")
        assertError("conv2d 32 0x3", "Model spec layer 1 'conv2d 32 0x3': token 3 '0x3' is not understood; write: conv2d FILTERS [KERNEL] [ACTIVATION] [PADDING] [strides=…] [l1=…] [l2=…].")
        assertError("flatten, input 28x28", "Model spec layer 2 'input 28x28': token 1 'input' must be the first layer.")
    }

    func testMissingArgumentsUnknownLayersAndEmptySpecs() {
        assertError("flatten, dense", "Model spec layer 2 'dense': missing units, a whole number ≥ 1; write: dense UNITS [ACTIVATION] [l1=…] [l2=…].")
        XCTAssertThrowsError(try ModelSpecification(parsing: "flatten, lstm 64")) { error in
            XCTAssertEqual(error as? ModelSpecificationError, .unknownLayer(layer: 2, name: "lstm"))
            XCTAssertTrue(String(describing: error).hasPrefix("Model spec layer 2: unknown layer 'lstm'; known layers: input, flatten"))
        }
        XCTAssertThrowsError(try ModelSpecification(parsing: " , ,")) { XCTAssertEqual($0 as? ModelSpecificationError, .empty) }
        XCTAssertThrowsError(try ModelSpecification(parsing: "input 4").makeModel()) { XCTAssertEqual($0 as? ModelSpecificationError, .empty) }
    }

    func testDeclaredInputMustMatchTheData() throws {
        let spec = try ModelSpecification(parsing: "input 28x28, flatten, dense 10 softmax")
        XCTAssertThrowsError(try spec.makeModel(inputShape: [32, 32, 3])) {
            XCTAssertEqual($0 as? ModelSpecificationError, .inputShapeMismatch(declared: [28, 28], data: [32, 32, 3]))
        }
        XCTAssertEqual(try spec.makeModel(inputShape: [28, 28]).countParams(), 7850)
    }

    private func assertError(_ text: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try ModelSpecification(parsing: text), line: line) { error in
            XCTAssertEqual(String(describing: error), message, line: line)
        }
    }
}
