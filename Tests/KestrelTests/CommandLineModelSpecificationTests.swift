import Foundation
import XCTest
@testable import Kestrel

/// What `kestrel fit --model` reads (issue 13 item 9): `base=PATH.keras frozen, …` puts a saved model
/// under a new head, and a Keras functional config.json trains as given. Both go through
/// `ModelSpecification` (what `TrainingOptions.readModel` and `TrainingRecipe.makeModel` call).
final class CommandLineModelSpecificationTests: XCTestCase {
    /// A trained base saved as .keras: a small functional CNN-free MLP over 4×4×1 images.
    private func savedBase() throws -> (path: String, model: Model) {
        Kestrel.setRandomSeed(17)
        let input = Input(shape: [4, 4, 1], name: "pixels")
        let hidden = try Dense(6, activation: .relu, name: "features")(try Flatten(name: "flat")(input))
        let base = try Model(inputs: input, outputs: try Dense(5, activation: .relu, name: "top")(hidden), name: "digits_base")
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        let path = folder.appendingPathComponent("digits.keras").path
        try base.save(path)
        return (path, base)
    }

    func testBaseFrozenUnderANewHeadTrainsOnlyTheHead() throws {
        let (path, saved) = try savedBase()
        let spec = try ModelSpecification(parsing: "base=\(path) frozen, dense 4 relu, dense 2 softmax")
        XCTAssertEqual(spec.layers.first, .savedModel(path: path, frozen: true, unfreezeTop: 0))
        let model = try spec.makeModel(inputShape: [4, 4, 1])
        let base = try XCTUnwrap(model.layers.first as? Model)
        XCTAssertEqual(base.name, "digits_base")
        XCTAssertFalse(base.trainable)
        XCTAssertEqual(base.weights.map(\.value.scalars), saved.weights.map(\.value.scalars), "the saved weights came with the base")
        XCTAssertEqual(model.trainableWeights.count, 4, "only the two new Dense layers train")
        XCTAssertEqual(model.nonTrainableWeights.reduce(0) { $0 + $1.value.count }, saved.countParams())
        try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
        var generator = RandomGenerator(seed: 2)
        let x = try Tensor.randomNormal([8, 4, 4, 1], mean: 0, standardDeviation: 1, generator: &generator)
        let head = model.layers[1].weights.map(\.value.scalars)
        try model.fit(x, Tensor((0..<8).map { Float($0 % 2) }), epochs: 2, batchSize: 4, verbose: .silent)
        XCTAssertEqual(base.weights.map(\.value.scalars), saved.weights.map(\.value.scalars), "the frozen base is bit-identical after training")
        XCTAssertNotEqual(model.layers[1].weights.map(\.value.scalars), head, "the head trained")
        // The result saves as a Keras file with the frozen nested base.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-head-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try model.save(out)
        XCTAssertFalse(try XCTUnwrap(try loadModel(out).layers.first).trainable)
    }

    func testUnfreezeTopLayersForFineTuningAndErrors() throws {
        let (path, _) = try savedBase()
        let model = try ModelSpecification(parsing: "base=\(path) frozen unfreeze=1, dense 2 softmax").makeModel(inputShape: [4, 4, 1])
        let base = try XCTUnwrap(model.layers.first as? Model)
        XCTAssertEqual(base.layers.map { "\($0.name):\($0.trainable)" }, ["pixels:false", "flat:false", "features:false", "top:true"])
        func message(_ text: String) -> String {
            do {
                _ = try ModelSpecification(parsing: text).makeModel(inputShape: [4, 4, 1])
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message("base=/nowhere/x.keras frozen, dense 2").contains("'/nowhere/x.keras', which does not exist"))
        XCTAssertTrue(message("base=\(path) frozn, dense 2").contains("token 2 'frozn' is not 'frozen'"), message("base=\(path) frozn, dense 2"))
        XCTAssertTrue(message("base=\(path) unfreeze=1, dense 2").contains("only makes sense after 'frozen'"))
        XCTAssertTrue(message("base=\(path) frozen unfreeze=9, dense 2").contains("only 2 layers with weights"))
        XCTAssertTrue(message("base=model.h5, dense 2").contains("ending in .keras"))
        XCTAssertTrue(message("base=\(path) frozen, dense 2").contains("no error"))
        XCTAssertThrowsError(try ModelSpecification(parsing: "base=\(path), dense 2").makeModel(inputShape: [3, 3, 1])) { error in
            XCTAssertTrue("\(error)".contains("'digits_base'") && "\(error)".contains("(None, 4, 4, 1)"), "a base that does not fit the data: \(error)")
        }
    }

    func testKerasFunctionalConfigJSONTrainsAsGiven() throws {
        let folder = KerasFixture.directory.appendingPathComponent("functional_saving")
        let spec = try ModelSpecification(kerasJSON: try Data(contentsOf: folder.appendingPathComponent("branched.json")))
        XCTAssertEqual(spec.inputShape, [6])
        let model = try spec.makeModel(inputShape: [6])
        let graph = try XCTUnwrap(model.layers.first as? Model)
        XCTAssertTrue(graph.isFunctional)
        XCTAssertEqual(graph.layers.map(\.name), ["features", "trunk", "left", "right", "add", "concatenate", "head"])
        XCTAssertEqual(model.countParams(), 245, "Keras's count for the branched model")
        try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy")
        var generator = RandomGenerator(seed: 4)
        let x = try Tensor.randomNormal([12, 6], mean: 0, standardDeviation: 1, generator: &generator)
        let history = try model.fit(x, Tensor((0..<12).map { Float($0 % 3) }), epochs: 2, batchSize: 4, verbose: .silent)
        XCTAssertEqual(history.history["loss"]?.count, 2)
        XCTAssertThrowsError(try ModelSpecification(kerasJSON: try Data(contentsOf: folder.appendingPathComponent("multi.json")))) { error in
            XCTAssertTrue("\(error)".contains("2 inputs and 2 outputs"), "\(error)")
        }
        XCTAssertThrowsError(try spec.makeModel(inputShape: [7])) { error in
            XCTAssertTrue("\(error)".contains("[6]") && "\(error)".contains("[7]"), "\(error)")
        }
    }
}
