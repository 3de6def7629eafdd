import Foundation
import XCTest
@testable import Kestrel

/// ModelCheckpoint: Keras's path placeholders, best-only saving, weights-only files, batch frequency.
final class ModelCheckpointTests: XCTestCase {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "kestrel-ckpt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func trainedModel(epochs: Int, callbacks: [Callback]) throws -> (Sequential, History) {
        Kestrel.setRandomSeed(4)
        var generator = RandomGenerator(seed: 8)
        let x = try Tensor(shape: [60, 3], scalars: (0..<180).map { _ in generator.nextNormal() })
        let y = Tensor(labels: (0..<60).map { $0 % 2 })
        let model = try Sequential { Input(shape: [3]); Dense(8, activation: .relu); Dense(2, activation: .softmax) }
        try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let history = try model.fit(x, y, epochs: epochs, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: callbacks)
        return (model, history)
    }

    func testPlaceholdersFollowPythonFormatSpecs() throws {
        let template = FilepathTemplate("ckpt/{epoch:02d}-{val_loss:.2f}_{loss:.3e}_{accuracy:08.3f}_{lr:g}_{{x}}_{epoch}.keras")
        let path = try template.format(integers: ["epoch": 3], values: ["val_loss": 0.12345, "loss": 1234.5, "accuracy": 0.5, "lr": 0.0001])
        XCTAssertEqual(path, "ckpt/03-0.12_1.234e+03_0000.500_0.0001_{x}_3.keras")
        XCTAssertEqual(try FilepathTemplate("{val_loss}.keras").format(integers: [:], values: ["val_loss": 0.5]), "0.5.keras")
        XCTAssertThrowsError(try FilepathTemplate("{val_acc:.2f}.keras").format(integers: [:], values: ["val_loss": 1])) { error in
            XCTAssertTrue("\(error)".contains("no value named 'val_acc' is logged (available: val_loss)"), "\(error)")
        }
        XCTAssertThrowsError(try FilepathTemplate("{loss:02d}.keras").format(integers: [:], values: ["loss": 1])) { error in
            XCTAssertTrue("\(error)".contains("'d' formats integers only"), "\(error)")
        }
        XCTAssertThrowsError(try FilepathTemplate("{epoch:>5s}.keras").format(integers: ["epoch": 1], values: [:]))
        XCTAssertThrowsError(try FilepathTemplate("{epoch.keras").format(integers: ["epoch": 1], values: [:]))
    }

    func testEveryEpochWithPlaceholdersWritesLoadableKerasFiles() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let checkpoint = try ModelCheckpoint(filepath: work + "/ckpt/{epoch:02d}-{val_loss:.2f}.keras")
        let (model, history) = try trainedModel(epochs: 3, callbacks: [checkpoint])
        let expected = history["val_loss"]!.enumerated().map { String(format: "%02d-%.2f.keras", $0.offset + 1, $0.element) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work + "/ckpt").sorted(), expected.sorted())
        let last = try loadModel(work + "/ckpt/" + expected[2])
        let probe = try Tensor(shape: [2, 3], scalars: [0.1, -0.2, 0.3, 1, 0.5, -1])
        XCTAssertEqual(try last.predict(probe).scalars, try model.predict(probe).scalars)
    }

    func testSaveBestOnlyWritesOnImprovementOnly() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let checkpoint = try ModelCheckpoint(filepath: work + "/best-{epoch:02d}.keras", monitor: "val_loss", saveBestOnly: true)
        let (_, history) = try trainedModel(epochs: 6, callbacks: [checkpoint])
        var best = Double.infinity
        var improved: [String] = []
        for (epoch, value) in history["val_loss"]!.enumerated() where value < best {
            best = value
            improved.append(String(format: "best-%02d.keras", epoch + 1))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work).sorted(), improved)
        XCTAssertEqual(checkpoint.best, best)
        let threshold = try ModelCheckpoint(filepath: work + "/never.keras", saveBestOnly: true, initialValueThreshold: 0)
        _ = try trainedModel(epochs: 2, callbacks: [threshold])
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/never.keras"), "nothing beats initialValueThreshold 0")
    }

    func testWeightsOnlyAndBatchFrequency() throws {
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        XCTAssertThrowsError(try ModelCheckpoint(filepath: work + "/w.keras", saveWeightsOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("must end in `.weights.h5`"), "\(error)")
        }
        XCTAssertThrowsError(try ModelCheckpoint(filepath: work + "/w.tf"))  // .h5 is Keras's legacy model file (LegacyHDF5SavingTests)
        let weights = try ModelCheckpoint(filepath: work + "/e{epoch}-b{batch}.weights.h5", saveWeightsOnly: true, saveFreq: .batches(2))
        let (model, _) = try trainedModel(epochs: 2, callbacks: [weights])
        // 45 training samples in batches of 16: 3 batches per epoch, 6 in all → saved after batches 2, 4, 6.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work).sorted(),
                       ["e1-b2.weights.h5", "e2-b1.weights.h5", "e2-b3.weights.h5"])
        let fresh = try Sequential { Input(shape: [3]); Dense(8, activation: .relu); Dense(2, activation: .softmax) }
        try fresh.loadWeights(work + "/e2-b3.weights.h5")
        XCTAssertEqual(fresh.getWeights().map(\.scalars), model.getWeights().map(\.scalars))
    }
}
