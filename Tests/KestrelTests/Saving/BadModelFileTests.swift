import Foundation
import XCTest
@testable import Kestrel

/// Damaged or foreign files end in one `KestrelError` naming the file, the member and the fix.
final class BadModelFileTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch let error as KestrelError {
            return error.message
        } catch {
            return "not a KestrelError: \(error)"
        }
    }

    private func fixture(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: F.path(name))) }

    private func members(_ name: String) throws -> [String: Data] {
        try KerasArchive.read(try fixture(name), fileName: name, wanted: ["metadata.json", "config.json", "model.weights.h5"])
    }

    private func archive(_ members: [(name: String, data: Data)]) throws -> Data {
        try KerasArchive.write(members, fileName: "test.keras")
    }

    private func load(_ data: Data) -> String {
        message { try KerasSaving.loadModel(data: data, fileName: "m.keras", compile: true) }
    }

    private func config(replacing edit: (inout String) -> Void) throws -> Data {
        let original = try members("mlp.keras")
        var text = String(decoding: try XCTUnwrap(original["config.json"]), as: UTF8.self)
        edit(&text)
        return try archive([("metadata.json", original["metadata.json"]!), ("config.json", Data(text.utf8)),
                            ("model.weights.h5", original["model.weights.h5"]!)])
    }

    func testNotAZipTruncatedZipAndMissingMembers() throws {
        XCTAssertTrue(load(Data("hello".utf8)).hasPrefix("'m.keras' is not a .keras file: it is not a zip archive."))
        let keras = try fixture("mlp.keras")
        XCTAssertTrue(load(keras.prefix(keras.count / 2)).contains("damaged zip archive"), load(keras.prefix(keras.count / 2)))
        let original = try members("mlp.keras")
        let withoutWeights = try archive([("metadata.json", original["metadata.json"]!), ("config.json", original["config.json"]!)])
        XCTAssertEqual(load(withoutWeights), "'m.keras' has no 'model.weights.h5' member, so it is not a complete .keras file; save the model again with model.save(\"….keras\").")
        let withoutConfig = try archive([("model.weights.h5", original["model.weights.h5"]!)])
        XCTAssertTrue(load(withoutConfig).hasPrefix("'m.keras' has no 'config.json' member"))
        XCTAssertTrue(message { try loadModel("/nonexistent/m.keras") }.contains("does not exist"))
        XCTAssertTrue(message { try loadModel("/nonexistent/m.h5") }.contains("does not exist"))
        XCTAssertTrue(message { try loadModel("w.weights.h5") }.contains("holds only weights"))
    }

    func testJSONThatIsNotAKerasConfig() throws {
        XCTAssertTrue(message { try modelFromJSON("{not json") }.hasPrefix("'the model JSON' is not valid JSON"))
        XCTAssertTrue(message { try modelFromJSON("[1, 2]") }.contains("is not a JSON object"))
        XCTAssertTrue(message { try modelFromJSON(#"{"hello": 1}"#) }.contains("not a Keras model config"))
        XCTAssertTrue(message { try modelFromJSON(#"{"class_name": "Sequential", "config": {}}"#) }.contains("has no \"layers\" list"))
        let bad = try config { $0 = $0.replacingOccurrences(of: #""units": 16"#, with: #""units": "many""#) }
        XCTAssertEqual(load(bad), "'m.keras (config.json)': Keras layer 2 (Dense): \"units\" is missing or not a number.")
    }

    func testUnsupportedLambdaAndCustomLayersAreNamed() throws {
        let lstm = try config { $0 = $0.replacingOccurrences(of: #""class_name": "Dropout""#, with: #""class_name": "LSTM""#) }
        XCTAssertTrue(load(lstm).hasPrefix("'m.keras (config.json)': Keras layer 3 (LSTM): this layer class is not supported; supported: InputLayer, Dense"), load(lstm))
        let lambda = try config { $0 = $0.replacingOccurrences(of: #""class_name": "Dropout""#, with: #""class_name": "Lambda""#) }
        XCTAssertTrue(load(lambda).contains("Keras layer 3 (Lambda): a Lambda layer holds Python code, which Kestrel never runs (Keras's safe_mode refuses it too)"), load(lambda))
        let custom = try config {
            $0 = $0.replacingOccurrences(of: #""class_name": "Dropout", "config""#, with: #""class_name": "MyLayer", "config""#)
                .replacingOccurrences(of: #""module": "keras.layers", "class_name": "MyLayer""#, with: #""module": "my_package.layers", "class_name": "MyLayer""#)
        }
        XCTAssertTrue(load(custom).contains("'Custom>MyLayer' is a custom layer from the Python module 'my_package.layers'"), load(custom))
        XCTAssertTrue(load(custom).contains("KerasLayerRegistry.register(MyLayer.self, package: \"Custom\", name: \"MyLayer\") before loading"), load(custom))
        let registered = try config { $0 = $0.replacingOccurrences(of: #""class_name": "Dropout", "config""#, with: #""class_name": "Dropout", "registered_name": "my_package>MyDropout", "config""#) }
        XCTAssertTrue(load(registered).contains("'my_package>MyDropout' is a custom layer"), load(registered))
        XCTAssertTrue(load(registered).contains("KerasLayerRegistry.register(MyDropout.self, package: \"my_package\", name: \"MyDropout\")"), load(registered))
    }

    func testAbsurdDeclaredSizesAreRefusedBeforeAllocating() throws {
        let huge = try config { $0 = $0.replacingOccurrences(of: #""units": 16"#, with: #""units": 2000000000"#) }
        XCTAssertTrue(load(huge).contains("the model declares more weights than its weights file holds"), load(huge))
        let overflow = try config { $0 = $0.replacingOccurrences(of: #""units": 16"#, with: #""units": 1e300"#) }
        XCTAssertTrue(load(overflow).contains("\"units\" is missing or not a number"), load(overflow))
        let negative = try config { $0 = $0.replacingOccurrences(of: #""units": 16"#, with: #""units": -3"#) }
        XCTAssertTrue(load(negative).contains("\"units\" is -3; it must be between 1 and"), load(negative))
        let input = try config { $0 = $0.replacingOccurrences(of: #""batch_shape": [null, 12]"#, with: #""batch_shape": [null, 2147483647, 2147483647, 2147483647]"#) }
        XCTAssertTrue(load(input).contains("larger than any model can hold") || load(input).contains("more weights than"), load(input))
    }

    func testWrongWeightShapeAndDtype() throws {
        let model = try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8))
        let file = try HDF5File.create(fileName: "w.weights.h5")
        try file.createGroup("layers/dense/vars")
        try file.writeFloats([Float](repeating: 0, count: 12 * 15), shape: [12, 15], at: "layers/dense/vars/0")
        try file.writeFloats([Float](repeating: 0, count: 16), shape: [16], at: "layers/dense/vars/1")
        let wrongShape = try file.image()
        XCTAssertEqual(message { try KerasSaving.loadWeights(data: wrongShape, fileName: "w.weights.h5", into: model) },
                       "'w.weights.h5': layer '\(model.layers[0].name)' (Dense) weight 0 (kernel) has shape (12, 15) in the file but (12, 16) in the model; the file was saved from a different model.")
        let integers = try HDF5File.create(fileName: "w.weights.h5")
        try integers.createGroup("layers/dense/vars")
        try integers.writeInt64Scalar(3, at: "layers/dense/vars/0")
        try integers.writeInt64Scalar(3, at: "layers/dense/vars/1")
        XCTAssertTrue(message { try KerasSaving.loadWeights(data: try integers.image(), fileName: "w.weights.h5", into: model) }
            .contains("weight 0 (kernel) at 'layers/dense/vars/0' is stored as int64; weights must be floating point"))
        XCTAssertTrue(message { try KerasSaving.loadWeights(data: Data("HDF5? no".utf8), fileName: "w.weights.h5", into: model) }
            .contains("is not an HDF5 file"))
        let truncated = try fixture("mlp.weights.h5").prefix(3000)
        XCTAssertTrue(message { try KerasSaving.loadWeights(data: Data(truncated), fileName: "w.weights.h5", into: model) }
            .contains("is not a readable HDF5 file"))
    }

    func testZipMemberClimbingOutOfTheArchiveIsRefused() throws {
        let original = try members("mlp.keras")
        let evil = try archive([("../../evil.txt", Data("x".utf8)), ("config.json", original["config.json"]!),
                                ("model.weights.h5", original["model.weights.h5"]!)])
        XCTAssertEqual(load(evil), "'m.keras': the zip member '../../evil.txt' points outside the archive; the file is refused (nothing was written to disk).")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "../../evil.txt"))
    }
}

/// The pre-check that keeps damaged zips away from ZIPFoundation's leaking in-memory error path.
final class ZipDirectoryEndCheckTests: XCTestCase {
    func testAWholeArchivePassesAndTruncatedOrCommentCutArchivesFail() throws {
        let archive = try KerasArchive.write([(name: "a.txt", data: Data("hello".utf8))], fileName: "t.keras")
        XCTAssertTrue(KerasArchive.hasReadableDirectoryEnd(archive))
        XCTAssertFalse(KerasArchive.hasReadableDirectoryEnd(archive.prefix(archive.count - 1)), "the record's last byte is cut")
        XCTAssertFalse(KerasArchive.hasReadableDirectoryEnd(Data()))
        var claimingComment = archive
        claimingComment[claimingComment.count - 2] = 5  // a 5-byte comment that is not there
        XCTAssertFalse(KerasArchive.hasReadableDirectoryEnd(claimingComment))
        XCTAssertTrue(KerasArchive.hasReadableDirectoryEnd(claimingComment + Data("12345".utf8)), "the comment is there")
        XCTAssertThrowsError(try KerasArchive.read(archive.prefix(archive.count - 1), fileName: "cut.keras", wanted: ["a.txt"])) { error in
            XCTAssertTrue("\(error)".contains("cut.keras") && "\(error)".contains("damaged"), "\(error)")
        }
        XCTAssertEqual(try KerasArchive.read(archive, fileName: "t.keras", wanted: ["a.txt"])["a.txt"], Data("hello".utf8))
    }
}
