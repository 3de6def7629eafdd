import Foundation
import XCTest
@testable import Kestrel

/// A user's own layer through `.keras` files: registered with `KerasLayerRegistry.register`, it loads
/// from a file real Keras saved with its registered Python twin, and round-trips through Kestrel.
final class CustomLayerSavingTests: XCTestCase {
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/keras/custom")

    override func setUpWithError() throws {
        try KerasLayerRegistry.register(ScaledTanh.self, package: "KestrelFixtures")
    }

    private func fixture() throws -> (x: Tensor, y: [Float], config: [String: Any]) {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("scaled_tanh.json"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(object["x"] as? [[Double]]), outputs = try XCTUnwrap(object["y"] as? [[Double]])
        return (try Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0.map(Float.init) }),
                outputs.flatMap { $0.map(Float.init) }, try XCTUnwrap(object["config"] as? [String: Any]))
    }

    func testFileKerasSavedWithARegisteredLayerPredictsAsKeras() throws {
        let (x, expected, config) = try fixture()
        let model = try loadModel(Self.directory.appendingPathComponent("scaled_tanh.keras").path)
        let layer = try XCTUnwrap(model.layers.compactMap { $0 as? ScaledTanh }.first)
        XCTAssertEqual(layer.name, "scaled_tanh")
        XCTAssertEqual(Double(layer.scale), config["scale"] as? Double)
        XCTAssertEqual(layer.alpha?.value.scalars, [0.5, -1.25, 2.0])
        let predicted = try model.predict(x).scalars
        XCTAssertLessThan(KerasSavingFixtures.maxDifference(predicted, expected), 1e-5, "\(predicted) vs \(expected)")
    }

    func testRegisteredLayerRoundTripsThroughKestrelWithKerasRegisteredName() throws {
        let model = try Sequential([Input(shape: [4]), Dense(3, name: "dense"), ScaledTanh(scale: 1.5, name: "scaled_tanh"),
                                    Dense(2, activation: .softmax, name: "head")], name: "custom_round_trip")
        let custom = try XCTUnwrap(model.layers.compactMap { $0 as? ScaledTanh }.first)
        try custom.setWeights([try Tensor(shape: [3], scalars: [0.25, -2, 1.5])])
        let (x, _, _) = try fixture()
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        let path = folder.appendingPathComponent("custom.keras").path
        try model.save(path)

        let serialized = try KerasLayerRegistry.serialize(custom, inputShape: [3])
        XCTAssertEqual(serialized["registered_name"], .string("KestrelFixtures>ScaledTanh"))
        XCTAssertEqual(serialized["class_name"], .string("ScaledTanh"))
        XCTAssertEqual(serialized["module"], .null)
        XCTAssertEqual(serialized["config"]?["scale"], .double(1.5))

        let loaded = try loadModel(path)
        let restored = try XCTUnwrap(loaded.layers.compactMap { $0 as? ScaledTanh }.first)
        XCTAssertEqual(restored.scale, 1.5)
        XCTAssertEqual(restored.alpha?.value.scalars, [0.25, -2, 1.5])
        XCTAssertEqual(try loaded.predict(x).scalars, try model.predict(x).scalars)
        try export(path, x: x, y: try model.predict(x))
    }

    /// With KESTREL_CUSTOM_LAYER_EXPORT=folder, keeps Kestrel's file and predictions there for
    /// scripts/fixtures/check_keras_loads_kestrel_custom_layer.py to load in real Keras.
    private func export(_ path: String, x: Tensor, y: Tensor) throws {
        guard let folder = ProcessInfo.processInfo.environment["KESTREL_CUSTOM_LAYER_EXPORT"] else { return }
        let target = URL(fileURLWithPath: folder).appendingPathComponent("kestrel_scaled_tanh.keras")
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: target)
        func rows(_ tensor: Tensor) -> [[Float]] { stride(from: 0, to: tensor.count, by: tensor.shape[1]).map { Array(tensor.scalars[$0..<$0 + tensor.shape[1]]) } }
        let json = try JSONSerialization.data(withJSONObject: ["x": rows(x), "y": rows(y)])
        try json.write(to: URL(fileURLWithPath: folder).appendingPathComponent("kestrel_scaled_tanh.json"))
    }

    func testWeightBudgetCountsWhatBuildMakesEvenForAUsersLayer() throws {
        let model = try Sequential([Input(shape: [4]), Dense(3, name: "dense"), ScaledTanh(scale: 1, name: "scaled_tanh")], name: "budget")
        let config = try KerasModelConfig.serialize(model)
        // Dense: 4·3 + 3 = 15 weights; ScaledTanh: 3 (no formula anywhere says so: its build makes them).
        XCTAssertEqual(try KerasModelConfig.model(from: config, parameterBudget: 18).countParams(), 18)
        XCTAssertThrowsError(try KerasModelConfig.model(from: config, parameterBudget: 17)) { error in
            XCTAssertTrue("\(error)".contains("Keras layer 'scaled_tanh' (ScaledTanh), weight 'alpha' of shape [3]: the model declares more weights than its weights file holds"), "\(error)")
        }
        XCTAssertThrowsError(try KerasModelConfig.model(from: config, parameterBudget: 11)) { error in
            XCTAssertTrue("\(error)".contains("Keras layer 'dense' (Dense), weight 'kernel' of shape [4, 3]"), "\(error)")
        }
    }

    func testUnregisteredPythonLayerNamesTheClassAndHowToRegisterIt() throws {
        let object = ConfigValue.object([
            "module": .null, "class_name": .string("Gate"), "registered_name": .string("Acme>Gate"),
            "config": .object(["name": .string("gate")]),
        ])
        XCTAssertThrowsError(try KerasLayerRegistry.layer(from: object, number: 2)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("Keras layer 2 (Gate)"), message)
            XCTAssertTrue(message.contains("'Acme>Gate' is a custom layer"), message)
            XCTAssertTrue(message.contains("KerasLayerRegistry.register(Gate.self, package: \"Acme\", name: \"Gate\")"), message)
        }
        let unknown = ConfigValue.object(["class_name": .string("Bidirectional"), "config": .object([:])])
        XCTAssertThrowsError(try KerasLayerRegistry.layer(from: unknown, number: 1)) { error in
            XCTAssertTrue("\(error)".contains("Keras layer 1 (Bidirectional): this layer class is not supported"), "\(error)")
            XCTAssertTrue("\(error)".contains("KerasLayerRegistry.register(Bidirectional.self"), "\(error)")
        }
    }

    func testATakenRegisteredNameIsRefusedAndAnUnregisteredCustomLayerCannotBeSaved() throws {
        XCTAssertNoThrow(try KerasLayerRegistry.register(ScaledTanh.self, package: "KestrelFixtures"))
        XCTAssertThrowsError(try KerasLayerRegistry.register(Dense.self, package: "KestrelFixtures", name: "ScaledTanh")) { error in
            XCTAssertTrue("\(error)".contains("'KestrelFixtures>ScaledTanh' is already registered"), "\(error)")
        }
        XCTAssertThrowsError(try KerasLayerRegistry.register(ScaledTanh.self, package: "a>b"))
        XCTAssertThrowsError(try KerasLayerRegistry.serialize(UnregisteredGate(), inputShape: [2])) { error in
            XCTAssertTrue("\(error)".contains("is not registered; call KerasLayerRegistry.register(UnregisteredGate.self"), "\(error)")
        }
    }
}
