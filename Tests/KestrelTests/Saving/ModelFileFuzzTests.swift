import Foundation
import XCTest
@testable import Kestrel

/// Thousands of mutated `.keras`, `.weights.h5` and architecture JSON files (bit flips, truncation,
/// huge sizes): each one loads or throws a `KestrelError` — never a crash, a trap or another error.
final class ModelFileFuzzTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    /// SplitMix64: a small deterministic generator so every run mutates the same way.
    private struct Mutator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

        /// One of: flipped bits, a truncation, a run of 0xFF bytes (huge sizes and offsets), zeroed bytes.
        mutating func mutate(_ data: Data) -> Data {
            var bytes = [UInt8](data)
            guard !bytes.isEmpty else { return data }
            switch below(4) {
            case 0:
                for _ in 0...below(8) { bytes[below(bytes.count)] ^= UInt8(1 << below(8)) }
            case 1:
                bytes = Array(bytes.prefix(below(bytes.count)))
            case 2:
                let start = below(bytes.count)
                for index in start..<min(bytes.count, start + 1 + below(8)) { bytes[index] = 0xFF }
            default:
                let start = below(bytes.count)
                for index in start..<min(bytes.count, start + 1 + below(16)) { bytes[index] = 0 }
            }
            return Data(bytes)
        }

        /// JSON edits that keep it parseable: numbers made huge, negative or fractional, strings swapped.
        mutating func mutateJSON(_ text: String) -> String {
            let replacements = ["1e300", "-1", "2147483648", "0", "0.5", "null", "\"x\"", "[]", "{}", "9223372036854775807", "true"]
            var characters = Array(text)
            let digitPositions = characters.indices.filter { characters[$0].isNumber }
            guard !digitPositions.isEmpty, below(5) != 0 else {
                return String(decoding: mutate(Data(text.utf8)), as: UTF8.self)
            }
            let position = digitPositions[below(digitPositions.count)]
            var end = position
            while end < characters.count, characters[end].isNumber || characters[end] == "." || characters[end] == "e" || characters[end] == "-" { end += 1 }
            var start = position
            while start > 0, characters[start - 1].isNumber || characters[start - 1] == "." { start -= 1 }
            characters.replaceSubrange(start..<end, with: Array(replacements[below(replacements.count)]))
            return String(characters)
        }
    }

    private struct Counts: CustomStringConvertible {
        var loaded = 0, refused = 0
        var description: String { "\(loaded + refused) cases: \(loaded) loaded, \(refused) refused with a KestrelError" }
    }

    private func run(_ count: Int, _ label: String, counts: inout Counts, _ body: () throws -> Void) {
        for _ in 0..<count {
            do {
                try body()
                counts.loaded += 1
            } catch is KestrelError {
                counts.refused += 1
            } catch {
                XCTFail("\(label): an error that is not a KestrelError: \(error)")
            }
        }
    }

    /// Two inputs this fuzz test found that crashed inside libhdf5 1.10 (H5Dread → H5VM_memcpyvv →
    /// memcpy out of bounds): a contiguous dataset pointing past the file's end, and a compact dataset
    /// whose buffer size disagrees with its shape. Both are refused before libhdf5 reads them.
    func testRecordedLibHDF5CrashInputsAreRefused() throws {
        let model = try loadModel(F.path("cnn.keras"))
        for name in ["read-past-end", "compact-size-mismatch"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: F.path("damaged/\(name).weights.h5")))
            XCTAssertThrowsError(try KerasSaving.loadWeights(data: data, fileName: "\(name).weights.h5", into: model)) {
                XCTAssertTrue($0 is KestrelError, "\($0)")
            }
        }
    }

    /// Functional configs (nested frozen base, shared layer, two outputs) mutated: each ends loaded or refused.
    func testMutatedFunctionalModelFilesLoadOrThrow() throws {
        var mutator = Mutator(state: 13)
        let folder = KerasFixture.directory.appendingPathComponent("functional_saving")
        let keras = try Data(contentsOf: folder.appendingPathComponent("transfer.keras"))
        let members = try KerasArchive.read(keras, fileName: "transfer.keras", wanted: ["metadata.json", "config.json", "model.weights.h5"])
        let json = try String(contentsOf: folder.appendingPathComponent("multi.json"), encoding: .utf8)
        var innerCounts = Counts(), jsonCounts = Counts()
        run(400, "functional .keras members", counts: &innerCounts) {
            var config = members["config.json"]!, h5 = members["model.weights.h5"]!
            if mutator.below(3) > 0 {
                config = Data(mutator.mutateJSON(String(decoding: config, as: UTF8.self)).utf8)
            } else {
                h5 = mutator.mutate(h5)
            }
            let data = try KerasArchive.write([("metadata.json", members["metadata.json"]!), ("config.json", config), ("model.weights.h5", h5)],
                                              fileName: "fuzz.keras")
            _ = try KerasSaving.loadModel(data: data, fileName: "fuzz.keras", compile: true)
        }
        run(400, "functional JSON", counts: &jsonCounts) { _ = try modelFromJSON(mutator.mutateJSON(json)) }
        print("Functional model-file fuzz: .keras members \(innerCounts); JSON \(jsonCounts)")
        XCTAssertGreaterThan(innerCounts.refused, 0)
        XCTAssertGreaterThan(jsonCounts.loaded, 0)
    }

    func testMutatedModelFilesLoadOrThrow() throws {
        var mutator = Mutator(state: 12)
        let keras = try Data(contentsOf: URL(fileURLWithPath: F.path("cnn.keras")))
        let weights = try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.weights.h5")))
        let json = try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8)
        let members = try KerasArchive.read(keras, fileName: "cnn.keras", wanted: ["metadata.json", "config.json", "model.weights.h5"])
        let target = try modelFromJSON(json)

        var zipCounts = Counts(), innerCounts = Counts(), weightCounts = Counts(), jsonCounts = Counts()
        run(500, ".keras bytes", counts: &zipCounts) {
            let mutated = mutator.mutate(keras)
            _ = try KerasSaving.loadModel(data: mutated, fileName: "fuzz.keras", compile: true)
        }
        run(500, ".keras members", counts: &innerCounts) {
            var config = members["config.json"]!, h5 = members["model.weights.h5"]!
            if mutator.below(2) == 0 {
                config = Data(mutator.mutateJSON(String(decoding: config, as: UTF8.self)).utf8)
            } else {
                h5 = mutator.mutate(h5)
            }
            let data = try KerasArchive.write([("metadata.json", members["metadata.json"]!), ("config.json", config), ("model.weights.h5", h5)],
                                              fileName: "fuzz.keras")
            _ = try KerasSaving.loadModel(data: data, fileName: "fuzz.keras", compile: true)
        }
        run(700, ".weights.h5", counts: &weightCounts) {
            let mutated = mutator.mutate(weights)
            try KerasSaving.loadWeights(data: mutated, fileName: "fuzz.weights.h5", into: target)
        }
        run(700, "JSON", counts: &jsonCounts) {
            let mutated = mutator.mutateJSON(json)
            _ = try modelFromJSON(mutated)
        }
        print("Model-file fuzz: .keras bytes \(zipCounts); .keras members \(innerCounts); .weights.h5 \(weightCounts); JSON \(jsonCounts)")
        XCTAssertGreaterThan(zipCounts.refused, 0)
        XCTAssertGreaterThan(weightCounts.refused, 0)
        XCTAssertGreaterThan(jsonCounts.loaded, 0)
    }
}
