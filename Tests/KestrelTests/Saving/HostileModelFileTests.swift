import Foundation
import XCTest
import ZIPFoundation
@testable import Kestrel

/// Model files crafted to reach outside themselves or to inflate without bound (issue 21): each is
/// refused with an error that names the file, the link or member, and why — before anything is read.
final class HostileModelFileTests: XCTestCase {
    private typealias F = KerasSavingFixtures
    /// The file the crafted links point at (scripts/fixtures/make_hostile_hdf5_fixtures.py).
    private static let linkTarget = "/tmp/kestrel-hostile-target.weights.h5"

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

    private func hostile(_ name: String) -> String { F.path("hostile/\(name).weights.h5") }

    private func mlp() throws -> Model { try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8)) }

    /// A `.keras` holding mlp.keras's config and metadata with `weights` as its model.weights.h5.
    private func keras(weights: Data) throws -> Data {
        let original = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras"))), fileName: "mlp.keras",
                                             wanted: ["metadata.json", "config.json"])
        return try KerasArchive.write([("metadata.json", try XCTUnwrap(original["metadata.json"])),
                                       ("config.json", try XCTUnwrap(original["config.json"])), ("model.weights.h5", weights)],
                                      fileName: "hostile.keras")
    }

    /// Both ways in: a bare `.weights.h5` through loadWeights and the same bytes inside a `.keras`.
    private func refusals(_ name: String) throws -> (weights: String, keras: String) {
        let model = try mlp()
        let weights = message { try model.loadWeights(self.hostile(name)) }
        let data = try Data(contentsOf: URL(fileURLWithPath: hostile(name)))
        let keras = message { try KerasSaving.loadModel(data: try self.keras(weights: data), fileName: "h.keras", compile: false) }
        return (weights, keras)
    }

    /// The link target exists and is a valid weights file, so a reader that followed the link would
    /// load it without complaint: the test fails unless the link itself is refused.
    private func placeLinkTarget() throws {
        try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.weights.h5"))).write(to: URL(fileURLWithPath: Self.linkTarget))
    }

    func testExternalLinksAreRefusedWhereverTheyAre() throws {
        try placeLinkTarget()
        for name in ["external-link", "soft-to-external", "unused-external-link"] {
            let (weights, keras) = try refusals(name)
            XCTAssertTrue(weights.contains("is an external link to '\(Self.linkTarget)' object '/layers/dense/vars/0' in another file"), "\(name): \(weights)")
            XCTAssertTrue(weights.hasPrefix("HDF5 file '\(hostile(name))'"), weights)
            XCTAssertTrue(weights.contains("Kestrel reads only what is inside the model file"), weights)
            XCTAssertTrue(keras.hasPrefix("HDF5 file 'h.keras (model.weights.h5)'") && keras.contains("external link"), "\(name): \(keras)")
        }
        XCTAssertTrue(try refusals("unused-external-link").weights.contains("'layers/dense/extra' is an external link"))
        XCTAssertTrue(try refusals("soft-to-external").weights.contains("'outside' is an external link"))
    }

    func testAnExternalLinkToAFIFOIsRefusedWithoutOpeningIt() throws {
        // Reading a FIFO with no writer blocks forever; the refusal must come from the link alone.
        let fifo = "/tmp/kestrel-fifo-\(UUID().uuidString.prefix(8)).keras"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        addTeardownBlock { unlink(fifo) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: hostile("external-link")))
        // Same-length path swap: the link's target string is stored verbatim in the file.
        let padded = fifo.padding(toLength: Self.linkTarget.count, withPad: "/", startingAt: 0)
        guard fifo.count <= Self.linkTarget.count, let range = bytes.range(of: Data(Self.linkTarget.utf8)) else {
            return XCTFail("the fixture's link target is missing")
        }
        var swapped = bytes
        swapped.replaceSubrange(range, with: Data(padded.utf8))
        let text = message { try HDF5File.open(image: swapped, fileName: "fifo.weights.h5") }
        XCTAssertTrue(text.contains("is an external link to '\(padded)'"), text)
        // Named directly as the model file, a FIFO is refused as not a regular file instead of read.
        XCTAssertTrue(message { try loadModel(fifo) }.contains("is not a regular file"), message { try loadModel(fifo) })
    }

    func testExternalStorageAndVirtualDatasetsAreRefused() throws {
        try placeLinkTarget()
        try Data(count: 12 * 16 * 4).write(to: URL(fileURLWithPath: "/tmp/kestrel-hostile-target.bin"))
        let storage = try refusals("external-storage")
        XCTAssertTrue(storage.weights.contains("dataset 'layers/dense/vars/0' keeps its bytes in 1 external file (the first is '/tmp/kestrel-hostile-target.bin')"), storage.weights)
        XCTAssertTrue(storage.keras.contains("keeps its bytes in 1 external file"), storage.keras)
        let virtual = try refusals("virtual")
        XCTAssertTrue(virtual.weights.contains("dataset 'layers/dense/vars/0' is a virtual dataset (its values come from other files)"), virtual.weights)
        XCTAssertTrue(virtual.keras.contains("is a virtual dataset"), virtual.keras)
    }

    /// Chunked, gzip-compressed weights (h5py writes them on request) load with the values they hold.
    func testChunkedCompressedWeightsLoad() throws {
        let model = try mlp()
        try model.loadWeights(hostile("chunked-gzip"))
        let reference = try mlp()
        try reference.loadWeights(F.path("mlp.weights.h5"))
        XCTAssertEqual(model.weights.map(\.value.scalars), reference.weights.map(\.value.scalars))
    }

    func testKerasOwnFilesStillLoad() throws {
        let model = try mlp()
        try model.loadWeights(F.path("mlp.weights.h5"))
        for name in ["mlp.keras", "cnn.keras", "separable.keras"] { _ = try loadModel(F.path(name)) }
    }

    // MARK: Zip members

    /// A `.keras` whose `config.json` is `config` deflated (Keras stores members; a crafted file need not).
    private func deflatedArchive(config: Data) throws -> Data {
        let original = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras"))), fileName: "mlp.keras",
                                             wanted: ["metadata.json", "model.weights.h5"])
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data, method) in [("metadata.json", original["metadata.json"]!, CompressionMethod.none), ("config.json", config, .deflate),
                                     ("model.weights.h5", original["model.weights.h5"]!, .none)] {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try XCTUnwrap(archive.data)
    }

    private func load(_ data: Data) -> String { message { try KerasSaving.loadModel(data: data, fileName: "bomb.keras", compile: false) } }

    func testAZipBombMemberIsRefusedFromTheCentralDirectory() throws {
        // 4 MiB of spaces deflate to a few KB: over 100:1 and over the 1 MiB exemption.
        let bomb = try deflatedArchive(config: Data(repeating: 0x20, count: 4 << 20))
        XCTAssertLessThan(bomb.count, 64 << 10)
        let text = load(bomb)
        XCTAssertTrue(text.hasPrefix("'bomb.keras': the zip member 'config.json' would inflate "), text)
        XCTAssertTrue(text.contains("to 4194304 (more than 100:1, a zip bomb rather than a model)"), text)
    }

    /// The central directory's record of `member` with its uncompressed size replaced by `size`.
    private func patchingDeclaredSize(_ archive: Data, member: String, to size: UInt32) throws -> Data {
        var bytes = [UInt8](archive)
        let name = [UInt8](member.utf8)
        var patched = false
        for offset in 0..<(bytes.count - 46) where bytes[offset..<offset + 4] == [0x50, 0x4B, 0x01, 0x02] {
            let nameLength = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            guard Array(bytes[offset + 46..<offset + 46 + nameLength]) == name else { continue }
            for index in 0..<4 { bytes[offset + 24 + index] = UInt8(truncatingIfNeeded: size >> (8 * index)) }
            patched = true
        }
        XCTAssertTrue(patched)
        return Data(bytes)
    }

    func testAMemberOverItsAbsoluteCapIsRefusedBeforeInflating() throws {
        let archive = try keras(weights: try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.weights.h5"))))
        let text = load(try patchingDeclaredSize(archive, member: "config.json", to: 100 << 20))
        XCTAssertTrue(text.contains("the zip member 'config.json' declares 104857600 bytes, more than the 67108864 bytes Kestrel allows for it"), text)
    }

    func testAHeaderThatUnderstatesTheSizeIsStoppedWhileInflating() throws {
        // 900 KB of spaces (under the 1 MiB exemption) whose directory claims 1000 bytes: inflating
        // must stop at 1000 bytes instead of trusting the stream.
        let archive = try deflatedArchive(config: Data(repeating: 0x20, count: 900_000))
        let text = load(try patchingDeclaredSize(archive, member: "config.json", to: 1000))
        XCTAssertTrue(text.contains("the zip member 'config.json'"), text)
        XCTAssertTrue(text.contains("holds more bytes than it declares") || text.contains("cannot be read"), text)
    }

    func testAMetadataFileWithAMillionClassNamesIsRefusedFromItsSize() throws {
        let original = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras"))), fileName: "mlp.keras",
                                             wanted: ["config.json", "model.weights.h5"])
        let million = "{\"keras_version\": \"3.15.1\", \"class_indices\": {" + (0..<1_000_000).map { "\"c\($0)\": \($0)" }.joined(separator: ", ") + "}}"
        let archive = try KerasArchive.write([("metadata.json", Data(million.utf8)), ("config.json", original["config.json"]!),
                                              ("model.weights.h5", original["model.weights.h5"]!)], fileName: "m.keras")
        let text = load(archive)
        XCTAssertTrue(text.hasPrefix("'bomb.keras': the zip member 'metadata.json' declares "), text)
        XCTAssertTrue(text.contains("more than the 4194304 bytes Kestrel allows for it"), text)
        // Under the byte cap, more than 100000 names are refused by count.
        let many = "{\"class_indices\": {" + (0..<100_001).map { "\"\($0)\": \($0)" }.joined(separator: ",") + "}}"
        XCTAssertLessThan(many.utf8.count, 4 << 20)
        XCTAssertEqual(message { try KerasSaving.classNames(fromMetadata: Data(many.utf8), fileName: "m.keras") },
                       "'m.keras (metadata.json)': \"class_indices\" names 100001 classes, more than the 100000 Kestrel reads.")
    }
}
