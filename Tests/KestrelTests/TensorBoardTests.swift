import Foundation
import XCTest
@testable import Kestrel

/// The TensorBoard callback against files written by the real TensorFlow summary writer
/// (`scripts/fixtures/make_tensorboard_fixtures.py` → `Tests/Fixtures/tensorboard/`).
final class TensorBoardTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tensorboard")

    private struct FixtureRecord: Decodable {
        let header: String, header_crc: String, data: String, data_crc: String
    }

    private struct Fixture: Decodable {
        let scalar: [FixtureRecord]
        let histogram: [FixtureRecord]
        let histogram_input: [Float]
        let keras: [String: [String: KerasTag]]
    }

    private struct KerasTag: Decodable { let steps: [Int] }

    private func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixtures.appendingPathComponent("tensorboard.json")))
    }

    private func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    private func fileBytes(_ folder: URL) throws -> [UInt8] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("events.out.tfevents.") }
        XCTAssertEqual(names.count, 1, "one event file in \(folder.path)")
        return Array(try Data(contentsOf: folder.appendingPathComponent(names[0])))
    }

    func testCRC32CCheckValue() {
        // The standard check value of CRC-32C (RFC 3720 / iSCSI) over "123456789".
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testFramingAndMaskedCRCsMatchTensorFlow() throws {
        let fixture = try fixture()
        for record in fixture.scalar + fixture.histogram {
            let data = bytes(record.data)
            XCTAssertEqual(RecordFraming.frame(data), bytes(record.header + record.header_crc + record.data + record.data_crc))
        }
        for (folder, expected) in [("scalar", fixture.scalar), ("histogram", fixture.histogram)] {
            let records = RecordFraming.records(in: try fileBytes(fixtures.appendingPathComponent(folder)))
            XCTAssertEqual(records, expected.map { bytes($0.data) })
        }
    }

    func testDamagedRecordsAreRejected() throws {
        let file = try fileBytes(fixtures.appendingPathComponent("scalar"))
        XCTAssertNotNil(RecordFraming.records(in: file))
        var flipped = file
        flipped[30] ^= 0x01
        XCTAssertNil(RecordFraming.records(in: flipped))
        XCTAssertNil(RecordFraming.records(in: Array(file.dropLast(3))))
        XCTAssertNil(RecordFraming.records(in: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0]))
    }

    /// A record header (its length) with a valid CRC, then `tail` bytes.
    private func signedHeader(length: UInt64, tail: Int) -> [UInt8] {
        let header = (0..<8).map { UInt8(truncatingIfNeeded: length >> UInt64($0 * 8)) }
        let crc = CRC32C.masked(header)
        return header + (0..<4).map { UInt8(truncatingIfNeeded: crc >> UInt32($0 * 8)) } + [UInt8](repeating: 0, count: tail)
    }

    /// An event file ending in a well-signed 12-to-15-byte record header made the reader's length bound
    /// negative, and its conversion to UInt64 trapped. Mutated files — cut, flipped, lengths rewritten
    /// with the header CRC recomputed so the length is believed, signed headers appended — are now
    /// each read or refused (nil), deterministically.
    func testMutatedEventFilesAreReadOrRefusedNeverTrapped() throws {
        let file = try fileBytes(fixtures.appendingPathComponent("scalar"))
        for tail in 0..<4 { XCTAssertNil(RecordFraming.records(in: file + signedHeader(length: 0, tail: tail)), "tail \(tail)") }
        XCTAssertEqual(RecordFraming.records(in: file + RecordFraming.frame([]))?.count, RecordFraming.records(in: file).map { $0.count + 1 })
        XCTAssertNil(RecordFraming.records(in: signedHeader(length: UInt64.max, tail: 8)))
        XCTAssertNil(RecordFraming.records(in: signedHeader(length: UInt64(Int.max), tail: 4)))
        var state: UInt64 = 0x7E45_0B0A
        func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
        var read = 0, refused = 0
        for _ in 0..<600 {
            var bytes = file
            switch below(4) {
            case 0: bytes = Array(bytes.prefix(below(bytes.count + 1)))
            case 1: for _ in 0...below(4) { bytes[below(bytes.count)] ^= UInt8(1 << below(8)) }
            case 2:
                let lengths: [UInt64] = [0, 1, 3, 4, 15, 16, UInt64(bytes.count), UInt64(bytes.count - 15), UInt64(Int.max), .max, 1 << 32]
                let signed = signedHeader(length: lengths[below(lengths.count)], tail: 0)
                bytes.replaceSubrange(0..<12, with: signed)
            default: bytes += signedHeader(length: UInt64(below(20)), tail: below(24))
            }
            if let records = RecordFraming.records(in: bytes) {
                read += 1
                XCTAssertLessThanOrEqual(records.reduce(0) { $0 + $1.count + 16 }, bytes.count)
            } else {
                refused += 1
            }
        }
        XCTAssertEqual(read + refused, 600)
        XCTAssertGreaterThan(refused, 300, "most mutations break the framing")
    }

    /// The wall time TensorFlow stored (Event field 1, the 8 bytes after the 0x09 key).
    private func wallTime(_ event: [UInt8]) -> Double {
        XCTAssertEqual(event[0], 0x09)
        return Double(bitPattern: (1...8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(event[$1]) })
    }

    func testScalarEventsEncodeAsTensorFlowDoes() throws {
        let records = try fixture().scalar.map { bytes($0.data) }
        XCTAssertEqual(SummaryEvent.scalar(tag: "epoch_loss", value: 0.5, step: 0, wallTime: wallTime(records[1])), records[1])
        XCTAssertEqual(SummaryEvent.scalar(tag: "epoch_loss", value: 0.25, step: 1, wallTime: wallTime(records[2])), records[2])
    }

    func testHistogramEventEncodesAsTensorFlowDoes() throws {
        let fixture = try fixture()
        let record = bytes(fixture.histogram[1].data)
        let buckets = HistogramBuckets.make(fixture.histogram_input, bucketCount: 4)
        XCTAssertEqual(buckets.map(\.count), [2, 2, 1, 1])
        XCTAssertEqual(SummaryEvent.histogram(tag: "kernel/histogram", buckets: buckets, step: 0, wallTime: wallTime(record)), record)
    }

    func testHistogramEdgeCasesFollowTensorBoard() {
        XCTAssertEqual(HistogramBuckets.make([], bucketCount: 3), Array(repeating: .init(left: 0, right: 0, count: 0), count: 3))
        XCTAssertEqual(HistogramBuckets.make([2, 2], bucketCount: 3).map(\.count), [0, 0, 2])
        XCTAssertEqual(HistogramBuckets.make([2, 2], bucketCount: 3).map(\.left), [2, 2, 2])
        let buckets = HistogramBuckets.make((0..<1000).map { Float($0) / 999 })
        XCTAssertEqual(buckets.count, 30)
        XCTAssertEqual(buckets.map(\.count).reduce(0, +), 1000)
        XCTAssertEqual(buckets.last?.right, 1)
    }

    func testRejectsBadArguments() {
        XCTAssertThrowsError(try TensorBoard(logDir: "x", histogramFreq: -1))
        XCTAssertThrowsError(try TensorBoard(logDir: "x", updateFreq: .batches(0)))
        XCTAssertThrowsError(try TensorBoard(logDir: "x", updateFreq: "often"))
        XCTAssertEqual(try TensorBoard(logDir: "x", updateFreq: "batch").updateFreq, .batches(1))
    }

    /// Fit as the Keras fixture did (64 samples, 4 features, batch 16, validationSplit 0.25, 2 epochs,
    /// histogramFreq 1, updateFreq 2): the same tags in the same runs, steps as Keras counts them, values
    /// equal to the History.
    func testFitWritesKerasTagsStepsAndHistoryValues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        Kestrel.setRandomSeed(1)
        var generator = RandomGenerator(seed: 3)
        let x = try Tensor(shape: [64, 4], scalars: (0..<256).map { _ in generator.nextNormal() })
        let y = Tensor(labels: (0..<64).map { x.scalars[$0 * 4] > 0 ? 1 : 0 })
        // Keras's names for the first model and layers of a session (Kestrel numbers later instances as Keras does).
        let model = try Sequential(name: "sequential") {
            Input(shape: [4])
            Dense(3, activation: .relu, name: "dense")
            Dense(2, activation: .softmax, name: "dense_1")
        }
        try model.compile(optimizer: .adam(), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let callback = try TensorBoard(logDir: folder.path, histogramFreq: 1, updateFreq: .batches(2))
        let history = try model.fit(x, y, epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [callback])

        let keras = try fixture().keras
        for run in ["train", "validation"] {
            let events = try EventDecoder.events(in: try fileBytes(folder.appendingPathComponent(run)))
            XCTAssertEqual(events.first?.fileVersion, "brain.Event:2")
            var steps: [String: [Int]] = [:]
            var values: [String: [Float]] = [:]
            for event in events.dropFirst() {
                guard let tag = event.tag else { continue }
                steps[tag, default: []].append(event.step)
                if let value = event.scalar { values[tag, default: []].append(value) }
            }
            XCTAssertEqual(Set(steps.keys), Set(keras[run]!.keys), run)
            for (tag, expected) in keras[run]! where tag.hasPrefix("batch_") {
                XCTAssertEqual(steps[tag], expected.steps, tag)
            }
            let prefix = run == "train" ? "" : "val_"
            for name in ["loss", "accuracy"] {
                XCTAssertEqual(steps["epoch_" + name], [0, 1])
                XCTAssertEqual(values["epoch_" + name], history[prefix + name]!.map(Float.init), run + " " + name)
            }
            if run == "train" {
                XCTAssertEqual(values["epoch_learning_rate"], [0.001, 0.001])
                XCTAssertEqual(steps["sequential/dense/kernel/histogram"]?.count, 2)
            } else {
                XCTAssertEqual(steps["evaluation_loss_vs_iterations"], [3, 6])
                XCTAssertEqual(values["evaluation_loss_vs_iterations"], history["val_loss"]!.map(Float.init))
            }
        }
    }
}

/// Reads back the few Event fields the callback writes (protobuf wire format), for the tests.
enum EventDecoder {
    struct Event { var step = 0; var fileVersion: String?; var tag: String?; var scalar: Float? }

    static func events(in file: [UInt8]) throws -> [Event] {
        guard let records = RecordFraming.records(in: file) else { throw KestrelError.fileError("damaged records") }
        return try records.map { record in
            var event = Event()
            try fields(record) { field, value, bytes in
                switch field {
                case 2: event.step = Int(value)
                case 3: event.fileVersion = String(decoding: bytes, as: UTF8.self)
                case 5:
                    try fields(bytes) { field, _, bytes in
                        guard field == 1 else { return }
                        try fields(bytes) { field, _, bytes in
                            if field == 1 { event.tag = String(decoding: bytes, as: UTF8.self) }
                            if field == 8 {
                                var dtype: UInt64 = 0
                                var content: [UInt8] = []
                                try fields(bytes) { field, value, bytes in
                                    if field == 1 { dtype = value }
                                    if field == 4 { content = bytes }
                                }
                                if dtype == 1, content.count == 4 {
                                    event.scalar = Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(content[$1]) << ($1 * 8) })
                                }
                            }
                        }
                    }
                default: break
                }
            }
            return event
        }
    }

    /// Calls `visit(field, varint value, length-delimited bytes)` for each field of `message`.
    private static func fields(_ message: [UInt8], _ visit: (Int, UInt64, [UInt8]) throws -> Void) throws {
        var offset = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard offset < message.count, shift < 64 else { throw KestrelError.fileError("bad varint") }
                let byte = message[offset]; offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
        while offset < message.count {
            let key = try varint()
            switch key & 7 {
            case 0: try visit(Int(key >> 3), try varint(), [])
            case 1: offset += 8; try visit(Int(key >> 3), 0, [])
            case 2:
                let length = Int(try varint())
                guard length <= message.count - offset else { throw KestrelError.fileError("bad length") }
                try visit(Int(key >> 3), 0, Array(message[offset..<offset + length])); offset += length
            case 5: offset += 4
            default: throw KestrelError.fileError("wire type \(key & 7)")
            }
        }
    }
}
