import Foundation
import XCTest
import ZIPFoundation
@testable import Kestrel

/// Structure-aware fuzzing of the readers' containment checks (issue 21): `.weights.h5` files whose links,
/// storage layouts and dataspace sizes are mutated, and `.keras` archives whose members' recorded sizes
/// and compression methods lie. Each case loads or throws a `KestrelError` — never a crash, a trap, a
/// hang or another error. Deterministic (seeded), bounded by its case count.
final class ContainmentFuzzTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    /// SplitMix64, seeded, so every run makes the same cases.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    private struct Counts: CustomStringConvertible {
        var loaded = 0, refused = 0
        var description: String { "\(loaded + refused) cases: \(loaded) loaded, \(refused) refused" }
    }

    private func run(_ count: Int, _ label: String, counts: inout Counts, _ body: (Int) throws -> Void) {
        for index in 0..<count {
            do {
                try body(index)
                counts.loaded += 1
            } catch is KestrelError {
                counts.refused += 1
            } catch {
                XCTFail("\(label) case \(index): an error that is not a KestrelError: \(error)")
            }
        }
    }

    private static let linkTarget = Array("/tmp/kestrel-hostile-target.weights.h5".utf8)
    private static let storageTarget = Array("/tmp/kestrel-hostile-target.bin".utf8)

    /// Offsets of every occurrence of `pattern` in `bytes`.
    private func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= pattern.count else { return [] }
        return (0...(bytes.count - pattern.count)).filter { bytes[$0] == pattern[0] && Array(bytes[$0..<$0 + pattern.count]) == pattern }
    }

    /// One mutation of an HDF5 file: a dataspace size, a byte near a link or storage record, or a link
    /// target swapped for another path of the same length.
    private func mutateHDF5(_ bytes: [UInt8], generator: inout Generator) -> [UInt8] {
        var bytes = bytes
        let anchors = occurrences(of: Self.linkTarget, in: bytes) + occurrences(of: Self.storageTarget, in: bytes)
        switch generator.below(3) {
        case 0:
            // Sizes: the little-endian 64-bit dimensions 12, 16 and 3 of the mlp's datasets become huge, zero or odd.
            let dimensions = [12, 16, 3].flatMap { value in occurrences(of: withUnsafeBytes(of: UInt64(value).littleEndian, Array.init), in: bytes) }
            guard let position = dimensions.isEmpty ? nil : dimensions[generator.below(dimensions.count)] else { break }
            let replacements: [UInt64] = [0, 1, 1 << 31, 1 << 40, UInt64.max, UInt64(generator.below(1 << 20))]
            let value = replacements[generator.below(replacements.count)]
            withUnsafeBytes(of: value.littleEndian) { for (offset, byte) in $0.enumerated() { bytes[position + offset] = byte } }
        case 1:
            // Link messages, external-file lists and virtual mappings sit next to their path strings.
            let center = anchors.isEmpty ? generator.below(bytes.count) : anchors[generator.below(anchors.count)]
            for _ in 0...generator.below(4) {
                let position = min(max(0, center - 96 + generator.below(192)), bytes.count - 1)
                bytes[position] = [0x00, 0xFF, 0x01, 0x02, 0x08, 0x10, UInt8(truncatingIfNeeded: generator.next())][generator.below(7)]
            }
        default:
            // Another target of the same length (the FIFO-like and kernel files a link could name).
            guard let position = anchors.first else { break }
            let length = anchors.first.map { _ in Self.linkTarget.count } ?? 0
            let paths = ["/dev/zero", "/proc/self/mem", "/etc/passwd", "../../../../etc/shadow", "", "/dev/stdin"]
            let path = Array(paths[generator.below(paths.count)].utf8)
            for offset in 0..<min(length, bytes.count - position) { bytes[position + offset] = offset < path.count ? path[offset] : 0x2F }
        }
        return bytes
    }

    func testMutatedLinksLayoutsAndSizesOfWeightsFilesLoadOrThrow() throws {
        var generator = Generator(state: 21)
        let seeds = try ["mlp.weights.h5"] + ["external-link", "soft-to-external", "unused-external-link", "external-storage", "virtual", "chunked-gzip"]
            .map { "hostile/\($0).weights.h5" }
        let files = try seeds.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: F.path($0)))) }
        let target = try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8))
        let metadata = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras"))), fileName: "mlp.keras",
                                             wanted: ["metadata.json", "config.json"])
        var weightCounts = Counts(), kerasCounts = Counts()
        run(350, ".weights.h5 links/layouts/sizes", counts: &weightCounts) { index in
            let mutated = Data(mutateHDF5(files[index % files.count], generator: &generator))
            try KerasSaving.loadWeights(data: mutated, fileName: "fuzz.weights.h5", into: target)
        }
        run(150, ".keras with a mutated model.weights.h5", counts: &kerasCounts) { index in
            let mutated = Data(mutateHDF5(files[index % files.count], generator: &generator))
            let archive = try KerasArchive.write([("metadata.json", metadata["metadata.json"]!), ("config.json", metadata["config.json"]!),
                                                  ("model.weights.h5", mutated)], fileName: "fuzz.keras")
            _ = try KerasSaving.loadModel(data: archive, fileName: "fuzz.keras", compile: false)
        }
        print("Containment fuzz: .weights.h5 \(weightCounts); .keras \(kerasCounts)")
        XCTAssertGreaterThan(weightCounts.refused, 0)
        XCTAssertGreaterThan(weightCounts.loaded, 0)
        XCTAssertGreaterThan(kerasCounts.refused, 0)
    }

    /// Three inputs this fuzz test found that crashed inside libhdf5 1.10 (H5HG_read and H5F__accum_read
    /// copying from outside the image, H5O_msg_reset freeing a bad pointer): a virtual layout with a
    /// damaged heap reference, a group whose link-info message points at a fractal heap that is not
    /// there, and a damaged link message. Each is refused from its header bytes before libhdf5 reads it.
    func testRecordedLibHDF5CrashInputsAreRefused() throws {
        let target = try modelFromJSON(try String(contentsOfFile: F.path("mlp.json"), encoding: .utf8))
        let expected = ["virtual-bad-heap-reference": "dataset 'layers/dense/vars/0' is a virtual dataset",
                        "dense-links-bad-heap": "group 'layers/dense' ",
                        "bad-link-message": "holds a damaged link record"]
        for (name, text) in expected {
            let data = try Data(contentsOf: URL(fileURLWithPath: F.path("damaged/\(name).weights.h5")))
            XCTAssertThrowsError(try KerasSaving.loadWeights(data: data, fileName: "\(name).weights.h5", into: target)) { error in
                XCTAssertTrue("\(error)".contains(text), "\(name): \(error)")
            }
        }
    }

    /// The stored and deflated `.keras` archives the member-size mutations start from.
    private func archives() throws -> [[UInt8]] {
        let members = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: F.path("mlp.keras"))), fileName: "mlp.keras",
                                            wanted: ["metadata.json", "config.json", "model.weights.h5"])
        let stored = try KerasArchive.write(["metadata.json", "config.json", "model.weights.h5"].map { ($0, members[$0]!) }, fileName: "m.keras")
        let deflated = try Archive(data: Data(), accessMode: .create)
        for name in ["metadata.json", "config.json", "model.weights.h5"] {
            let data = members[name]!
            try deflated.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [[UInt8](stored), [UInt8](try XCTUnwrap(deflated.data))]
    }

    func testKerasArchivesWhoseMembersLieAboutTheirSizesLoadOrThrow() throws {
        var generator = Generator(state: 2121)
        let seeds = try archives()
        var counts = Counts()
        run(200, ".keras member sizes", counts: &counts) { index in
            var bytes = seeds[index % seeds.count]
            // Local headers (PK\3\4: method at 8, compressed size at 18, uncompressed at 22) and central
            // directory records (PK\1\2: method at 10, sizes at 20 and 24).
            let local = occurrences(of: [0x50, 0x4B, 0x03, 0x04], in: bytes).map { ($0, [8, 18, 22]) }
            let central = occurrences(of: [0x50, 0x4B, 0x01, 0x02], in: bytes).map { ($0, [10, 20, 24]) }
            let records = local + central
            for _ in 0...generator.below(3) {
                let (start, fields) = records[generator.below(records.count)]
                let field = fields[generator.below(fields.count)]
                guard start + field + 4 <= bytes.count else { continue }
                let old = UInt32(bytes[start + field]) | UInt32(bytes[start + field + 1]) << 8
                    | UInt32(bytes[start + field + 2]) << 16 | UInt32(bytes[start + field + 3]) << 24
                let width = field == fields[0] ? 2 : 4  // the method is 2 bytes
                let choices: [UInt32] = width == 2
                    ? [0, 8, 12, 14, 99, UInt32(generator.below(0x10000))]
                    : [0, 1, old &- 1, old &+ 1, old &* 2, old &* 1000, 0x7FFF_FFFF, 0xFFFF_FFFF, UInt32(truncatingIfNeeded: generator.next())]
                let value = choices[generator.below(choices.count)]
                for offset in 0..<width { bytes[start + field + offset] = UInt8(truncatingIfNeeded: value >> (8 * offset)) }
            }
            _ = try KerasSaving.loadModel(data: Data(bytes), fileName: "fuzz.keras", compile: true)
        }
        print("Containment fuzz: .keras member sizes \(counts)")
        XCTAssertGreaterThan(counts.refused, 0)
    }
}
