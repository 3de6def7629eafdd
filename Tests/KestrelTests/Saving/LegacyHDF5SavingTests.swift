import Foundation
import XCTest
@testable import Kestrel

/// `model.save("m.h5")` and `ModelCheckpoint(filepath: "….h5")` write Keras 3's legacy HDF5 model file, which
/// real Keras 3.15.1 loads: Tests/Fixtures/keras/legacy_h5/kestrel_written.h5 was written by this test
/// (KESTREL_WRITE_FIXTURES=1) and scripts/fixtures/check_keras_loads_kestrel_h5.py loaded it with Keras and
/// recorded Keras's predictions, which the same model must give here.
final class LegacyHDF5SavingTests: XCTestCase {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/keras/legacy_h5")

    /// The fixture's model: seeded weights, moving statistics set, compiled with Adam.
    private func model() throws -> Sequential {
        Kestrel.setRandomSeed(7)
        let model = try Sequential(name: "sequential") {
            Input(shape: [4])
            Dense(5, activation: .relu, name: "dense")
            BatchNormalization(name: "batch_normalization")
            Dense(3, activation: .softmax, name: "dense_1")
        }
        let norm = model.layers[1].weights
        try norm[2].assign(Tensor([0.1, -0.2, 0.3, 0.0, 0.5]))
        try norm[3].assign(Tensor([1.5, 0.5, 2.0, 1.0, 0.25]))
        try model.compile(optimizer: .adam(learningRate: 0.002), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        return model
    }

    private static let input: [Float] = (0..<8).map { Float($0) / 8 - 0.3 }

    func testSaveH5WritesWhatKerasLoadsAndPredictsTheSame() throws {
        let model = try model()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.h5").path
        try model.save(path)
        if ProcessInfo.processInfo.environment["KESTREL_WRITE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: Self.folder.appendingPathComponent("kestrel_written.h5"))
            try FileManager.default.copyItem(atPath: path, toPath: Self.folder.appendingPathComponent("kestrel_written.h5").path)
        }
        // Keras's predictions for the committed file equal this model's.
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("keras_predictions.json"))) as? [String: Any]
        let kerasPredictions = try XCTUnwrap(recorded?["predictions"] as? [[Double]]).flatMap { $0 }
        let ours = try model.predict(try Tensor(shape: [2, 4], scalars: Self.input), verbose: 0).scalars
        for (mine, theirs) in zip(ours, kerasPredictions) { XCTAssertEqual(Double(mine), theirs, accuracy: 1e-6) }
        XCTAssertEqual(recorded?["compiled_optimizer"] as? String, "Adam", "Keras compiled the loaded model from training_config")
        // The file written now holds the same layout and values as the committed one.
        let written = try HDF5File.open(image: Data(contentsOf: URL(fileURLWithPath: path)), fileName: path)
        let committed = try HDF5File.open(image: Data(contentsOf: Self.folder.appendingPathComponent("kestrel_written.h5")), fileName: "fixture")
        for dataset in ["model_weights/dense/dense/kernel", "model_weights/batch_normalization/batch_normalization/moving_variance",
                        "model_weights/dense_1/dense_1/bias"] {
            XCTAssertEqual(try written.readFloats(dataset).values, try committed.readFloats(dataset).values, dataset)
        }
        XCTAssertEqual(written.stringAttribute("model_config", on: "/"), committed.stringAttribute("model_config", on: "/"))
        XCTAssertEqual(written.stringAttribute("keras_version", on: "/"), "3.15.1")
    }

    func testLoadModelReadsKerassAndKestrelsLegacyFiles() throws {
        // Keras's own .h5 (trained, with optimizer weights): Kestrel predicts what Keras predicted.
        let kerasModel = try loadModel(Self.folder.appendingPathComponent("keras_written.h5").path)
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("keras_written_predictions.json"))) as? [String: Any]
        let expected = try XCTUnwrap(recorded?["predictions"] as? [[Double]]).flatMap { $0 }
        let predicted = try kerasModel.predict(try Tensor(shape: [2, 4], scalars: Self.input), verbose: 0).scalars
        XCTAssertEqual(predicted.count, expected.count)
        for (mine, theirs) in zip(predicted, expected) { XCTAssertEqual(Double(mine), theirs, accuracy: 1e-6) }
        XCTAssertEqual(kerasModel.optimizer?.name.lowercased(), "adam", "compiled from training_config")
        // Kestrel's own .h5 round-trips.
        let model = try model()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("round-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        let loaded = try loadModel(path)
        let x = try Tensor(shape: [2, 4], scalars: Self.input)
        XCTAssertEqual(try loaded.predict(x, verbose: 0).scalars, try model.predict(x, verbose: 0).scalars)
    }

    func testModelCheckpointAcceptsH5PathsAsKerasDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = try model()
        let x = try Tensor(shape: [8, 4], scalars: (0..<32).map { Float($0 % 7) / 7 })
        let y = try Tensor([0, 1, 2, 0, 1, 2, 0, 1])
        _ = try model.fit(x, y, epochs: 2, batchSize: 4, verbose: 0,
                          callbacks: [try ModelCheckpoint(filepath: folder + "/{epoch:02d}.h5", monitor: "loss")])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["01.h5", "02.h5"])
        XCTAssertThrowsError(try ModelCheckpoint(filepath: folder + "/x.tf")) { error in
            XCTAssertTrue("\(error)".contains(".h5"), "\(error)")
        }
    }
}
