import XCTest
@testable import Kestrel

/// The text spec goes through the one registry: each layer becomes a Keras config read by
/// `KerasLayerRegistry`, and any registered class (a user's too) is usable by its Keras name.
final class RegistryTextSpecificationTests: XCTestCase {
    func testSpecLayersAreKerasConfigs() throws {
        let spec = try ModelSpecification(parsing: "conv2d 4 3x2 relu same strides=2 l2=0.5, maxpool, flatten, dense 10 softmax")
        XCTAssertEqual(spec.layers[0].kerasObject, .object(["class_name": .string("Conv2D"), "config": .object([
            "filters": .int(4), "kernel_size": .ints([3, 2]), "strides": .ints([2, 2]), "padding": .string("same"),
            "activation": .string("relu"), "kernel_regularizer": KerasObjects.serialize(Regularizer(l1: 0, l2: 0.5)),
        ])]))
        XCTAssertEqual(spec.layers[3].kerasObject?["config"]?["units"], .int(10))
        let model = try spec.makeModel(inputShape: [8, 8, 1])
        let conv = try XCTUnwrap(model.layers.compactMap { $0 as? Conv2D }.first)
        XCTAssertEqual(conv.kernelSize, WindowSize(3, 2))
        XCTAssertEqual(conv.strides, WindowSize(2, 2))
        XCTAssertEqual(conv.kernelRegularizer, Regularizer(l1: 0, l2: 0.5))
        // Counted by build: a 3×2×1×4 kernel and 4 biases; 8×8 → 4×4×4 (same, strides 2) → 2×2×4 = 16 → 16·10 + 10.
        XCTAssertEqual(model.countParams(), 3 * 2 * 1 * 4 + 4 + 16 * 10 + 10)
    }

    func testAnyRegisteredClassIsASpecLayerByItsKerasName() throws {
        try KerasLayerRegistry.register(ScaledTanh.self, package: "KestrelFixtures")
        let spec = try ModelSpecification(parsing: "flatten, dense 3, Layer_Normalization epsilon=0.01 center=false, scaledtanh scale=2, dense 2 softmax")
        let model = try spec.makeModel(inputShape: [2, 2])
        let norm = try XCTUnwrap(model.layers.compactMap { $0 as? LayerNormalization }.first)
        XCTAssertEqual(norm.epsilon, 0.01)
        XCTAssertFalse(norm.center)
        XCTAssertEqual(norm.countParams(), 3)
        XCTAssertEqual(try XCTUnwrap(model.layers.compactMap { $0 as? ScaledTanh }.first).scale, 2)
        XCTAssertThrowsError(try ModelSpecification(parsing: "flatten, layernormalization 0.01")) { error in
            XCTAssertEqual("\(error)", "Model spec layer 2 'layernormalization 0.01': token 2 '0.01' is not key=value; give layernormalization's Keras settings by name, e.g. epsilon=0.01.")
        }
        XCTAssertThrowsError(try ModelSpecification(parsing: "flatten, layernormalization epsilon=-1").makeModel(inputShape: [4])) { error in
            XCTAssertTrue("\(error)".contains("Keras layer 2 (LayerNormalization): \"epsilon\" must be positive, got -1.0"), "\(error)")
        }
    }

    func testTheTextLessonsLayersAreSpecLayersByTheirKerasNames() throws {
        // The text-classification tutorial's model after TextVectorization, and a Conv1D variant, as specs.
        let spec = try ModelSpecification(parsing:
            "embedding input_dim=100 output_dim=16 mask_zero=true, dropout 0.2, globalaveragepooling1d, dense 1")
        let model = try spec.makeModel(inputShape: [25])
        let embedding = try XCTUnwrap(model.layers.compactMap { $0 as? Embedding }.first)
        XCTAssertEqual(embedding.inputDim, 100)
        XCTAssertEqual(embedding.outputDim, 16)
        XCTAssertTrue(embedding.maskZero)
        XCTAssertEqual(model.countParams(), 100 * 16 + 16 + 1)
        let convolutional = try ModelSpecification(parsing:
            "embedding input_dim=50 output_dim=8, conv1d filters=4 kernel_size=3 activation=relu, maxpooling1d pool_size=2, globalmaxpooling1d, dense 1")
            .makeModel(inputShape: [10])
        // 10 steps → Conv1D valid 8 steps × 4 → pooled 4 × 4 → 4 features.
        XCTAssertEqual(try convolutional.computeOutputShape([10]), [1])
        XCTAssertEqual(convolutional.countParams(), 50 * 8 + (3 * 8 * 4 + 4) + (4 + 1))
    }
}
