import Foundation
import XCTest
@testable import Kestrel

/// Mutated `BackupAndRestore` backups: every number outside a string (epochs, batch counts, callback
/// counters, pass counts, optimizer iterations, shapes) swapped for an extreme one, keys dropped, the
/// file cut. Each resume trains or throws — never a trap (EarlyStopping's `wait` of Int.max trapped on the
/// next `+= 1`, History's negative `fitKeyCount` trapped in `prefix`), never a hang. Deterministic seeds.
final class BackupFuzzTests: XCTestCase {
    private struct Interrupted: Error {}

    private final class Interrupter: Callback, @unchecked Sendable {
        private var current = 0
        override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws { current = epoch }
        override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
            if current == 2, batch == 1 { throw Interrupted() }
        }
    }

    /// A small run with every callback that keeps state; interrupted part-way through epoch 3 when asked.
    private func program(folder: String, interrupt: Bool) throws {
        Kestrel.setRandomSeed(4)
        var generator = RandomGenerator(seed: 9)
        let x = try Tensor(shape: [24, 3], scalars: (0..<72).map { _ in generator.nextNormal() })
        let y = Tensor(labels: (0..<24).map { $0 % 2 })
        let model = try Sequential { Input(shape: [3]); Dense(4, activation: .relu); Dropout(0.25); Dense(2, activation: .softmax) }
        try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        var callbacks: [Callback] = [
            try BackupAndRestore(backupDir: folder + "/backup", saveFreq: .batches(1)),
            EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true),
            try ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, cooldown: 1),
            try ModelCheckpoint(filepath: folder + "/best.weights.h5", monitor: "val_loss", saveBestOnly: true, saveWeightsOnly: true),
            CSVLogger(folder + "/log.csv"),
        ]
        if interrupt { callbacks.append(Interrupter()) }
        try model.fit(x, y, epochs: 4, batchSize: 8, verbose: 0, validationSplit: 0.25, callbacks: callbacks)
    }

    /// The ranges of the numbers in `json` that are not inside strings.
    private func numberRanges(_ json: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0, inString = false, escaped = false
        while index < json.count {
            let byte = json[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                index += 1
            } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let start = index
                while index < json.count, "-+.eE0123456789".utf8.contains(json[index]) { index += 1 }
                ranges.append(start..<index)
            } else {
                index += 1
            }
        }
        return ranges
    }

    func testMutatedBackupsResumeOrThrowNeverTrapOrHang() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-backup-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try program(folder: folder, interrupt: true))
        let path = folder + "/backup/training_state.json"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let numbers = numberRanges(original)
        // Numbers that are a key's whole value (counters, epochs, iterations) rather than list elements.
        let scalars = numbers.filter { range in original[..<range.lowerBound].last { $0 != UInt8(ascii: " ") } == UInt8(ascii: ":") }
        XCTAssertGreaterThan(numbers.count, 20, "the backup's counters, shapes and values")
        XCTAssertGreaterThan(scalars.count, 10, "epoch, batchesDone, wait, cooldownCounter, iterations…")
        let extremes = ["9223372036854775807", "-9223372036854775808", "9007199254740993", "999999999", "1000000001", "-1", "0",
                        "1e308", "-1e308", "2.5", "4294967296", "65536", "3"]
        var state: UInt64 = 0xBAC0_0F2E
        func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
        var resumed = 0, refused = 0
        for _ in 0..<240 {
            var bytes = original
            switch below(6) {
            case 0: bytes = Array(bytes.prefix(below(bytes.count)))
            case 1: bytes[below(bytes.count)] ^= UInt8(1 << below(8))
            default:
                // One to three numbers swapped for extreme ones (from the end, so earlier ranges stay valid).
                let pool = below(2) == 0 ? scalars : numbers
                let picked = Set((0...below(3)).map { _ in pool[below(pool.count)] }).sorted { $0.lowerBound > $1.lowerBound }
                for range in picked { bytes.replaceSubrange(range, with: Array(extremes[below(extremes.count)].utf8)) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                try program(folder: folder, interrupt: false)
                resumed += 1
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
                refused += 1
            }
            try FileManager.default.createDirectory(atPath: folder + "/backup", withIntermediateDirectories: true)
        }
        print("fuzz backups: \(resumed + refused) cases, \(resumed) resumed, \(refused) refused with an error, 0 traps")
        XCTAssertGreaterThan(refused, 60, "most mutations are refused")
        XCTAssertGreaterThan(resumed, 0, "a mutated loss total or weight still resumes")
    }

    /// The counters found by the fuzz test, one by one: each is refused naming the key.
    func testCallbackCountersBeyondAnyRunAreRefusedNamingTheKey() throws {
        let stopping = EarlyStopping(patience: 2)
        for value in [Int.max, -1] {
            XCTAssertThrowsError(try stopping.restoreState(["wait": .int(value), "stoppedEpoch": .int(0), "bestEpoch": .int(0), "best": .null, "bestWeights": .null])) {
                XCTAssertTrue("\($0)".contains("'wait' is not a count"), "\($0)")
            }
        }
        let plateau = try ReduceLROnPlateau()
        XCTAssertThrowsError(try plateau.restoreState(["best": .null, "wait": .int(0), "cooldownCounter": .int(Int.max)])) {
            XCTAssertTrue("\($0)".contains("'cooldownCounter'"), "\($0)")
        }
        let backup = try BackupAndRestore(backupDir: "unused")
        XCTAssertThrowsError(try backup.restoreState(["batchesSinceLastSave": .int(0), "lastBatchSeen": .int(Int.min)])) {
            XCTAssertTrue("\($0)".contains("'lastBatchSeen'"), "\($0)")
        }
        let history = History()
        try history.restoreState(["epoch": .array([.int(0)]), "history": .object(["loss": .object(["values": .array([.double(1)]), "rows": .array([.int(0)])])]),
                                  "keys": .array([.string("loss")]), "fitKeyCount": .int(-5)])
        history.record(epoch: 1, logs: ["loss": 0.5, "accuracy": 0.5])
        XCTAssertEqual(history["loss"], [1, 0.5])
        XCTAssertThrowsError(try history.restoreState(["epoch": .array([.int(Int.max)]), "history": .object([:])])) {
            XCTAssertTrue("\($0)".contains("History.epoch"), "\($0)")
        }
    }

    /// A FIFO in the backup's place blocked `FileManager.contents(atPath:)` for ever when fit began.
    func testABackupThatIsAFIFOIsNamedNotReadForEver() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-backup-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/backup", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertEqual(mkfifo(folder + "/backup/training_state.json", 0o600), 0)
        XCTAssertThrowsError(try program(folder: folder, interrupt: false)) { error in
            XCTAssertTrue("\(error)".contains("training_state.json' is not a regular file but a FIFO"), "\(error)")
        }
    }
}
