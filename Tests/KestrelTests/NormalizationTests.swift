import Foundation
import XCTest
@testable import Kestrel

/// Keras's `Normalization` against real Keras 3 (`scripts/fixtures/make_keras_normalization_fixtures.py` →
/// Tests/Fixtures/keras/normalization.json and saving/normalization.keras; `check_keras_loads_kestrel_normalization.py`
/// loads the file Kestrel writes and records Keras's predictions in saving/kestrel_normalization_keras.json).
final class NormalizationTests: XCTestCase {
    private func fixture() throws -> [String: Any] { try KerasFixture.load("normalization.json") }

    private func weights(_ object: Any?) throws -> [Tensor] {
        try XCTUnwrap(object as? [Any]).map { try KerasFixture.tensor($0) }
    }

    func testAdaptEqualsKerasForEachAxisAndInvert() throws {
        let fixture = try fixture()
        let x = try KerasFixture.tensor(fixture["x"]), probe = try KerasFixture.tensor(fixture["probe"])
        for case let item as [String: Any] in try XCTUnwrap(fixture["adapt"] as? [Any]) {
            let axis = item["axis"] as? Int
            let layer = Normalization(axis: axis, invert: item["invert"] as? Bool ?? false)
            try layer.adapt(x)
            let expected = try weights(item["weights"])
            XCTAssertEqual(layer.weights.map(\.name), ["mean", "variance", "count"])
            XCTAssertEqual(layer.weights.map(\.shape), expected.map(\.shape), "axis \(String(describing: axis))")
            XCTAssertFalse(layer.weights.contains(where: \.trainable))
            assertClose(layer.weights[0].value.scalars, expected[0].scalars, relative: 1e-6, absolute: 1e-5, "mean, axis \(String(describing: axis))")
            assertClose(layer.weights[1].value.scalars, expected[1].scalars, relative: 1e-5, absolute: 1e-6, "variance, axis \(String(describing: axis))")
            XCTAssertEqual(layer.weights[2].value.scalars, expected[2].scalars, "count (Keras leaves it at 0)")
            assertClose(try layer(probe).scalars, try KerasFixture.tensor(item["output"]).scalars, relative: 1e-5, absolute: 1e-5, "output")
            try assertConfig(layer, equals: item["config"])
        }
    }

    func testAdaptOverBatchesCombinesAsKeras() throws {
        let fixture = try fixture()
        let x = try KerasFixture.tensor(fixture["x"]), probe = try KerasFixture.tensor(fixture["probe"])
        let item = try XCTUnwrap(fixture["adapt_batches"] as? [String: Any])
        let layer = Normalization()
        try layer.adapt(batches: [try x.slice(rows: 0..<13), try x.slice(rows: 13..<30), try x.slice(rows: 30..<40)])
        let expected = try weights(item["weights"])
        assertClose(layer.weights[0].value.scalars, expected[0].scalars, relative: 1e-6, absolute: 1e-5)
        assertClose(layer.weights[1].value.scalars, expected[1].scalars, relative: 1e-5, absolute: 1e-6)
        assertClose(try layer(probe).scalars, try KerasFixture.tensor(item["output"]).scalars, relative: 1e-5, absolute: 1e-5)
    }

    func testAdaptOnABatchedDatasetEqualsKeras() throws {
        let fixture = try fixture()
        let x = try KerasFixture.tensor(fixture["x"])
        let item = try XCTUnwrap(fixture["adapt_batches"] as? [String: Any])
        let dataset = try Dataset(x: x, y: try Tensor(shape: [40, 1], scalars: Array(repeating: 0, count: 40))).batch(13)
        let layer = Normalization()
        try layer.adapt(dataset)
        let expected = try weights(item["weights"])
        assertClose(layer.weights[0].value.scalars, expected[0].scalars, relative: 1e-6, absolute: 1e-5)
        assertClose(layer.weights[1].value.scalars, expected[1].scalars, relative: 1e-5, absolute: 1e-6)
    }

    func testRankThreeInputsKeepStatisticsPerPosition() throws {
        let item = try XCTUnwrap(try fixture()["adapt_rank3"] as? [String: Any])
        let x = try KerasFixture.tensor(item["x"])
        let layer = Normalization(axes: [1, 2])
        try layer.adapt(x)
        let expected = try weights(item["weights"])
        XCTAssertEqual(layer.weights[0].shape, [3, 4])
        assertClose(layer.weights[0].value.scalars, expected[0].scalars, relative: 1e-5, absolute: 1e-5)
        assertClose(layer.weights[1].value.scalars, expected[1].scalars, relative: 1e-5, absolute: 1e-5)
        assertClose(try layer(try x.slice(rows: 0..<2)).scalars, try KerasFixture.tensor(item["output"]).scalars, relative: 1e-5, absolute: 1e-5)
        try assertConfig(layer, equals: item["config"])
    }

    func testGivenMeanAndVarianceMatchKerasIncludingZeroVariance() throws {
        let fixture = try fixture()
        let probe = try KerasFixture.tensor(fixture["probe"])
        let given = try XCTUnwrap(fixture["given"] as? [String: Any])
        let layer = Normalization(mean: [1, 2, -3, 0.5, 10], variance: [4, 0.25, 9, 1, 0])
        // variance 0 divides by Keras's epsilon 1e-7, so compare relatively
        assertClose(try layer(probe).scalars, try KerasFixture.tensor(given["output"]).scalars, relative: 1e-5, absolute: 1e-4)
        XCTAssertTrue(layer.weights.isEmpty)
        XCTAssertEqual(given["weight_count"] as? Int, 0)
        try assertConfig(layer, equals: given["config"])
        let scalar = try XCTUnwrap(fixture["given_scalar_invert"] as? [String: Any])
        let inverse = Normalization(mean: 3, variance: 2, invert: true)
        assertClose(try inverse(probe).scalars, try KerasFixture.tensor(scalar["output"]).scalars, relative: 1e-6, absolute: 1e-5)
        try assertConfig(inverse, equals: scalar["config"])
    }

    func testKerasDocstringExamples() throws {
        // keras: layer = Normalization(axis=None); layer.adapt([1., 2., 3., 4., 5.]); layer([1., 2., 3.]) → [-1.4142135, -0.70710677, 0.]
        let global = Normalization(axis: nil)
        try global.adapt(try Tensor(shape: [5, 1], scalars: [1, 2, 3, 4, 5]))
        assertClose(try global(try Tensor(shape: [3, 1], scalars: [1, 2, 3])).scalars, [-1.4142135, -0.70710677, 0], absolute: 1e-6)
        // keras: invert=True after adapting [[0,7,4],[2,9,6],[0,7,4],[2,9,6]]: [[1,2,3]] → [2, 10, 8]
        let inverse = Normalization(axis: -1, invert: true)
        try inverse.adapt(try Tensor(shape: [4, 3], scalars: [0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6]))
        assertClose(try inverse(try Tensor(shape: [1, 3], scalars: [1, 2, 3])).scalars, [2, 10, 8], absolute: 1e-6)
    }

    func testMistakesThrowNamingTheFix() throws {
        let layer = Normalization()
        try layer.adapt(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertThrowsError(try layer.adapt(try Tensor(shape: [2, 4], scalars: Array(repeating: 1, count: 8)))) { error in
            XCTAssertTrue("\(error)".contains("was built for"), "\(error)")
        }
        XCTAssertThrowsError(try Normalization().adapt(batches: [])) { XCTAssertTrue("\($0)".contains("no batches")) }
        XCTAssertThrowsError(try Normalization().adapt(try Tensor(shape: [2, 1], scalars: [1, .nan]))) { XCTAssertTrue("\($0)".contains("NaN")) }
        XCTAssertThrowsError(try Normalization(mean: [1], variance: [1, 2]).validateArguments())
        XCTAssertThrowsError(try Normalization(mean: [1], variance: [-1]).validateArguments())
        XCTAssertThrowsError(try Normalization(mean: 0, variance: 1).adapt(try Tensor(shape: [1, 1], scalars: [1]))) {
            XCTAssertTrue("\($0)".contains("was given its mean and variance"))
        }
        XCTAssertThrowsError(try Normalization(axis: 3)(try Tensor(shape: [2, 3], scalars: Array(repeating: 1, count: 6))))
        XCTAssertThrowsError(try Normalization(mean: [1, 2], variance: [1, 1])(try Tensor(shape: [2, 3], scalars: Array(repeating: 1, count: 6)))) {
            XCTAssertTrue("\($0)".contains("give one value or 3"), "\($0)")
        }
    }

    func testLoadsTheKerasSavedModelWithEqualPredictions() throws {
        let expected = try KerasFixture.load("saving/normalization.json")
        let model = try loadModel(KerasFixture.directory.appendingPathComponent("saving/normalization.keras").path)
        XCTAssertEqual(model.layers.map(\.className), ["Normalization", "Dense"])
        let probe = try KerasFixture.tensor(try fixture()["probe"])
        assertClose(try model.predict(probe).scalars, try KerasFixture.tensor(expected["probe_predictions"]).scalars, relative: 1e-5, absolute: 1e-4)
        let normalizer = try XCTUnwrap(model.layers.first as? Normalization)
        let keras = try weights((try fixture()["adapt"] as? [[String: Any]])?.first?["weights"])
        assertClose(normalizer.weights[0].value.scalars, keras[0].scalars, relative: 1e-6, absolute: 1e-5, "the adapted mean read from model.weights.h5")
    }

    /// The tutorial's model saved by Kestrel: loads back with equal predictions, and the file has Keras's
    /// layout (count an int64 scalar). With KESTREL_WRITE_FIXTURES=1 it also writes the file Keras loads
    /// in `check_keras_loads_kestrel_normalization.py`; the predictions Keras recorded must equal ours.
    func testKestrelSavedModelRoundTripsAndKerasLoadsIt() throws {
        let fixture = try fixture()
        let x = try KerasFixture.tensor(fixture["x"]), probe = try KerasFixture.tensor(fixture["probe"])
        let model = try kestrelWrittenModel(x)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("normalization-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        let loaded = try loadModel(path)
        XCTAssertEqual(try loaded.predict(probe).scalars, try model.predict(probe).scalars)
        let members = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: path)), fileName: path, wanted: ["model.weights.h5"])
        let file = try HDF5File.open(image: try XCTUnwrap(members["model.weights.h5"]), fileName: "model.weights.h5")
        XCTAssertEqual(try file.childNames(of: "layers/normalization/vars"), ["0", "1", "2"])
        XCTAssertEqual(try file.datasetInfo("layers/normalization/vars/2").dtype, "int64")
        XCTAssertEqual(try file.datasetInfo("layers/normalization/vars/0").shape, [5])
        let written = KerasFixture.directory.appendingPathComponent("saving/kestrel_normalization.keras")
        if ProcessInfo.processInfo.environment["KESTREL_WRITE_FIXTURES"] == "1" { try model.save(written.path) }
        let kerasSide = try KerasFixture.load("saving/kestrel_normalization_keras.json")
        XCTAssertEqual(kerasSide["layers"] as? [String], ["Normalization", "Dense"])
        assertClose(try model.predict(probe).scalars, try KerasFixture.tensor(kerasSide["probe_predictions"]).scalars,
                    relative: 1e-5, absolute: 1e-4, "Keras's predictions from the file Kestrel wrote")
        assertClose(try KerasFixture.tensor(kerasSide["mean"]).scalars, (model.layers[0] as! Normalization).weights[0].value.scalars, absolute: 1e-5)
    }

    /// Normalization adapted on x, then Dense(1) with fixed weights (so the committed Keras predictions stay valid).
    private func kestrelWrittenModel(_ x: Tensor) throws -> Sequential {
        let normalizer = Normalization(axis: -1)
        try normalizer.adapt(x)
        let model = try Sequential {
            Input(shape: [5])
            normalizer
            Dense(1)
        }
        try model.layers[1].setWeights([try Tensor(shape: [5, 1], scalars: [0.5, -1, 2, 0.25, -0.75]), try Tensor(shape: [1], scalars: [0.3])])
        try model.compile(optimizer: .adam(learningRate: 0.1), loss: .meanAbsoluteError)
        return model
    }

    private func assertConfig(_ layer: Normalization, equals kerasObject: Any?, file: StaticString = #filePath, line: UInt = #line) throws {
        let keras = try XCTUnwrap(kerasObject as? [String: Any], file: file, line: line)
        let ours = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ConfigValue.object(layer.config).jsonText.utf8)) as? [String: Any])
        for key in ["axis", "invert", "mean", "variance"] {
            XCTAssertEqual(String(describing: ours[key] ?? NSNull()), String(describing: keras[key] ?? NSNull()), "config \(key)", file: file, line: line)
        }
        // the config read back makes an equal layer
        let rebuilt = try XCTUnwrap(try KerasLayerRegistry.layer(from: .object(["class_name": .string("Normalization"), "config": .object(layer.config)]), number: 1) as? Normalization)
        XCTAssertEqual(rebuilt.axis, layer.axis, file: file, line: line)
        XCTAssertEqual(rebuilt.invert, layer.invert, file: file, line: line)
        XCTAssertEqual(rebuilt.givenMean, layer.givenMean, file: file, line: line)
        XCTAssertEqual(rebuilt.givenVariance, layer.givenVariance, file: file, line: line)
    }
}
