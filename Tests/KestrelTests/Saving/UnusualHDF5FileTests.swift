import CHDF5
import Foundation
import XCTest
@testable import Kestrel

/// Valid weights files written with HDF5 features Keras itself does not use (issue 21: the header
/// pre-check must not refuse them): `libver='latest'` (dense link storage for a group of ten links),
/// a user block before the superblock, compact datasets and chunked gzip+shuffle datasets, made by
/// scripts/fixtures/make_unusual_hdf5_fixtures.py from the weights Keras saved for the same model.
/// External links, external storage and virtual datasets in such files are still refused.
final class UnusualHDF5FileTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    private func path(_ name: String) -> String { F.path("unusual/\(name).weights.h5") }

    /// The fixture's model: Input((3,)) and ten Dense(2) layers.
    private func deepModel() throws -> Model {
        try Sequential([Input(shape: [3])] + (0..<10).map { _ in Dense(2) })
    }

    /// Keras's values for each weight, by dataset path.
    private func expected() throws -> [String: [Float]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: F.path("unusual/expected.json")))
        return try JSONDecoder().decode([String: [Float]].self, from: data)
    }

    private func checkLoads(_ name: String) throws {
        let model = try deepModel()
        try model.loadWeights(path(name))
        let values = try expected()
        for (index, layer) in model.layers.enumerated() {
            let group = "layers/dense\(index == 0 ? "" : "_\(index)")/vars"
            XCTAssertEqual(layer.weights[0].value.scalars, values["\(group)/0"], "\(name): \(group)/0")
            XCTAssertEqual(layer.weights[1].value.scalars, values["\(group)/1"], "\(name): \(group)/1")
        }
    }

    func testKerasOwnFileLoads() throws { try checkLoads("keras") }

    func testLatestFormatWithDenseLinkStorageLoads() throws {
        // The `layers` group of this file really is dense: its Link Info message names a fractal heap.
        let file = try HDF5File.open(image: try Data(contentsOf: URL(fileURLWithPath: path("latest"))), fileName: "latest")
        var info = H5O_info_t()
        let status = HDF5File.locked { H5Oget_info_by_name2(file.handle, "layers", &info, UInt32(H5O_INFO_BASIC), file.linkAccess) }
        XCTAssertGreaterThanOrEqual(status, 0)
        XCTAssertEqual(HDF5LayoutProbe.linkStorage(in: try XCTUnwrap(file.storage), headerAt: Int(info.addr)), .dense)
        try checkLoads("latest")
    }

    func testAUserBlockBeforeTheSuperblockLoads() throws {
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("userblock"))).prefix(8), Data(count: 8))
        try checkLoads("userblock")
    }

    func testCompactDatasetsLoad() throws { try checkLoads("compact") }

    func testChunkedGzipShuffledDatasetsLoad() throws { try checkLoads("chunked-gzip") }

    func testAllTogetherLoad() throws { try checkLoads("latest-all") }

    /// The same files from inside a `.keras` archive, read through the in-memory path.
    func testTheInMemoryPathReadsThemToo() throws {
        for name in ["latest", "userblock", "latest-all", "chunked-gzip"] {
            let model = try deepModel()
            try KerasSaving.loadWeights(data: try Data(contentsOf: URL(fileURLWithPath: path(name))), fileName: name, into: model)
            XCTAssertEqual(model.layers[9].weights[0].value.scalars, try expected()["layers/dense_9/vars/0"], name)
        }
    }

    func testReachingOutsideIsStillRefusedInTheLatestFormat() throws {
        let cases = ["latest-external-link": "'layers/dense/vars/0' is an external link to '/tmp/kestrel-hostile-target.weights.h5'",
                     "latest-external-storage": "dataset 'layers/dense_1/vars/0' keeps its bytes in 1 external file",
                     "latest-virtual": "dataset 'layers/dense_2/vars/0' is a virtual dataset"]
        for (name, text) in cases {
            let model = try deepModel()
            XCTAssertThrowsError(try model.loadWeights(path(name))) { error in
                XCTAssertTrue("\(error)".contains(text), "\(name): \(error)")
            }
        }
    }

    /// Random byte damage to the unusual files (dense link storage, a user block, chunked data), read from
    /// disk and from memory: every case loads or throws a KestrelError (deterministic, 160 cases).
    func testDamagedUnusualFilesLoadOrThrow() throws {
        var state: UInt64 = 2121
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let seeds = try ["latest", "latest-all", "userblock", "chunked-gzip"].map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path($0)))) }
        let folder = try F.temporaryFolder(self).path
        var loaded = 0, refused = 0
        for index in 0..<160 {
            var bytes = seeds[index % seeds.count]
            for _ in 0...(next() % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            let model = try deepModel()
            do {
                if index % 2 == 0 {
                    let file = "\(folder)/case.weights.h5"
                    try Data(bytes).write(to: URL(fileURLWithPath: file))
                    try model.loadWeights(file)
                } else {
                    try KerasSaving.loadWeights(data: Data(bytes), fileName: "case.weights.h5", into: model)
                }
                loaded += 1
            } catch is KestrelError {
                refused += 1
            } catch {
                XCTFail("case \(index): an error that is not a KestrelError: \(error)")
            }
        }
        print("Unusual HDF5 damage: \(loaded) loaded, \(refused) refused")
        XCTAssertGreaterThan(refused, 0)
    }

    /// The inflated weights of a `.keras` file go to a private temporary file that is gone after loading,
    /// whether the load succeeds or fails (damaged weights, weights from another model, a link outside).
    func testNoTemporaryFileIsLeftBehind() throws {
        let folder = try F.temporaryFolder(self).path
        let previous = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", folder, 1)
        defer { if let previous { setenv("TMPDIR", previous, 1) } else { unsetenv("TMPDIR") } }
        XCTAssertEqual(FileManager.default.temporaryDirectory.standardizedFileURL.path, URL(fileURLWithPath: folder).standardizedFileURL.path)
        let cases = "\(folder)/cases"
        try FileManager.default.createDirectory(atPath: cases, withIntermediateDirectories: true)
        let good = try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras")))
        let members = try KerasArchive.read(good, fileName: "mlp.keras", wanted: ["metadata.json", "config.json", "model.weights.h5"])
        func archive(_ weights: Data) throws -> Data {
            try KerasArchive.write([("metadata.json", members["metadata.json"]!), ("config.json", members["config.json"]!),
                                    ("model.weights.h5", weights)], fileName: "case.keras")
        }
        let damaged = Data(members["model.weights.h5"]!.prefix(members["model.weights.h5"]!.count / 2))
        let otherModel = try Data(contentsOf: URL(fileURLWithPath: path("keras")))
        let outside = try Data(contentsOf: URL(fileURLWithPath: F.path("hostile/external-link.weights.h5")))
        let files = ["good": good, "damaged": try archive(damaged), "other": try archive(otherModel), "outside": try archive(outside)]
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: "\(cases)/\(name).keras")) }
        XCTAssertNoThrow(try loadModel("\(cases)/good.keras"))
        for name in ["damaged", "other", "outside"] {
            XCTAssertThrowsError(try loadModel("\(cases)/\(name).keras"), name)
            let model = try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8))
            XCTAssertThrowsError(try model.loadWeights("\(cases)/\(name).keras"), name)
        }
        let mlp = try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8))
        XCTAssertThrowsError(try mlp.loadWeights(F.path("hostile/external-link.weights.h5")))
        XCTAssertNoThrow(try mlp.loadWeights(F.path("mlp.weights.h5")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["cases"])
    }
}

