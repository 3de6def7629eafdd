import Foundation
import XCTest
import KestrelDistributed

/// Runs Tests/DataParallelProgram under `mpirun -np 2` (Open MPI, the package's `MPI` trait): the
/// data-parallel History and weights against one process with the same global batch, only rank 0's
/// files, weights bit-identical across ranks after every step (checked inside the program), and a rank
/// that dies or hangs ending the job within the timeout with an error naming it.
final class MPIDataParallelTests: XCTestCase {
    private var program: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("DataParallelProgram")
    }

    private struct Outcome {
        let status: Int32
        let output: String
        let seconds: Double
    }

    private func mpirun() throws -> String {
        guard Communicators.isMPIAvailable else {
            throw XCTSkip("built without the MPI trait (swift build --build-tests --traits MPI, as make test does)")
        }
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            throw XCTSkip("DataParallelProgram is not built next to the tests (swift build --build-tests builds it)")
        }
        for folder in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: folder + "/mpirun") {
            return folder + "/mpirun"
        }
        throw XCTSkip("mpirun not found (apt-get install openmpi-bin)")
    }

    private func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("OMPI_COMM_WORLD") || name.hasPrefix("PMIX_") { environment[name] = nil }
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let start = Date()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self),
                       seconds: Date().timeIntervalSince(start))
    }

    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "kestrel-mpi-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func result(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/result.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testTwoRanksOfBatch32EqualOneProcessOfBatch64() throws {
        let launcher = try mpirun()
        let single = try folder(), parallel = try folder()
        defer {
            try? FileManager.default.removeItem(atPath: single)
            try? FileManager.default.removeItem(atPath: parallel)
        }
        let alone = try run(program.path, ["train", single, "64", "2"])
        XCTAssertEqual(alone.status, 0, alone.output)
        let together = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "train", parallel, "32", "2"])
        XCTAssertEqual(together.status, 0, together.output)

        let reference = try result(single), distributed = try result(parallel)
        XCTAssertEqual(reference["ranks"] as? Int, 1)
        XCTAssertEqual(distributed["ranks"] as? Int, 2)
        // 288 training rows in global batches of 64: 5 steps an epoch, each checked bit for bit across the ranks.
        XCTAssertEqual(distributed["checked_steps"] as? Int, 10)
        let referenceHistory = try XCTUnwrap(reference["history"] as? [String: [Double]])
        let distributedHistory = try XCTUnwrap(distributed["history"] as? [String: [Double]])
        XCTAssertEqual(Set(referenceHistory.keys), ["loss", "accuracy", "val_loss", "val_accuracy"])
        XCTAssertEqual(Set(distributedHistory.keys), Set(referenceHistory.keys))
        for (key, values) in referenceHistory {
            let others = try XCTUnwrap(distributedHistory[key])
            XCTAssertEqual(others.count, 2, key)
            for (one, two) in zip(values, others) { XCTAssertEqual(one, two, accuracy: 2e-3, key) }
        }
        // Training moved the weights: the loss fell between the epochs.
        XCTAssertLessThan(try XCTUnwrap(referenceHistory["loss"]?.last), try XCTUnwrap(referenceHistory["loss"]?.first))
        let referenceWeights = try XCTUnwrap(reference["weights"] as? [Double])
        let distributedWeights = try XCTUnwrap(distributed["weights"] as? [Double])
        XCTAssertEqual(referenceWeights.count, 6 * 16 + 16 + 16 * 3 + 3)
        XCTAssertEqual(distributedWeights.count, referenceWeights.count)
        for (one, two) in zip(referenceWeights, distributedWeights) { XCTAssertEqual(one, two, accuracy: 1e-4) }

        // Only rank 0 printed: one "Epoch 1/2" line (the progress lines of rank 1 would double it).
        XCTAssertEqual(together.output.components(separatedBy: "Epoch 1/2").count - 1, 1, together.output)
        XCTAssertEqual(alone.output.components(separatedBy: "Epoch 1/2").count - 1, 1, alone.output)
        // Only rank 0 wrote: its CSV log and the result; rank 1 kept no CSVLogger.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parallel).sorted(), ["log-rank0.csv", "result.json"])
        let csv = try String(contentsOfFile: parallel + "/log-rank0.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 3, csv)
        // Validation was split: each rank evaluated 48 of the 96 held-out rows per epoch (the whole 96 alone).
        XCTAssertEqual(reference["validation_rows"] as? [[Double]], [[96, 96]])
        XCTAssertEqual(distributed["validation_rows"] as? [[Double]], [[48, 48], [48, 48]])
    }

    /// Asserts both results hold the same History keys (`keys`) with 2 values each, every one within
    /// 2e-3, and the same weights within 1e-4.
    private func assertSameTraining(_ reference: [String: Any], _ distributed: [String: Any], keys: Set<String>,
                                    line: UInt = #line) throws {
        let referenceHistory = try XCTUnwrap(reference["history"] as? [String: [Double]], line: line)
        let distributedHistory = try XCTUnwrap(distributed["history"] as? [String: [Double]], line: line)
        XCTAssertEqual(Set(referenceHistory.keys), keys, line: line)
        XCTAssertEqual(Set(distributedHistory.keys), keys, line: line)
        for (key, values) in referenceHistory {
            let others = try XCTUnwrap(distributedHistory[key], line: line)
            XCTAssertEqual(others.count, values.count, key, line: line)
            for (one, two) in zip(values, others) { XCTAssertEqual(one, two, accuracy: 2e-3, key, line: line) }
        }
        XCTAssertLessThan(try XCTUnwrap(referenceHistory["val_loss"]?.last, line: line),
                          try XCTUnwrap(referenceHistory["val_loss"]?.first, line: line), line: line)
        let referenceWeights = try XCTUnwrap(reference["weights"] as? [Double], line: line)
        let distributedWeights = try XCTUnwrap(distributed["weights"] as? [Double], line: line)
        XCTAssertEqual(referenceWeights.count, 6 * 16 + 16 + 16 * 3 + 3, line: line)
        XCTAssertEqual(distributedWeights.count, referenceWeights.count, line: line)
        for (one, two) in zip(referenceWeights, distributedWeights) { XCTAssertEqual(one, two, accuracy: 1e-4, line: line) }
    }

    /// Runs the program alone with `alone` and under `mpirun -np 2` with `together`; returns both results.
    private func aloneAndTogether(_ alone: [String], _ together: [String]) throws -> ([String: Any], [String: Any]) {
        let launcher = try mpirun()
        let single = try folder(), parallel = try folder()
        defer {
            try? FileManager.default.removeItem(atPath: single)
            try? FileManager.default.removeItem(atPath: parallel)
        }
        let one = try run(program.path, [alone[0], single] + alone.dropFirst())
        XCTAssertEqual(one.status, 0, one.output)
        let two = try run(launcher, ["--oversubscribe", "-np", "2", program.path, together[0], parallel] + together.dropFirst())
        XCTAssertEqual(two.status, 0, two.output)
        XCTAssertEqual(two.output.components(separatedBy: "Epoch 1/2").count - 1, 1, two.output)
        return (try result(single), try result(parallel))
    }

    func testOverlappedAllreduceTrainsBitForBitAsTheBlockingOne() throws {
        let launcher = try mpirun()
        // Buckets of 256 bytes cut the 6-16-3 MLP's gradients into three ([b2, W2], [b1], [W1]), so two
        // all-reduces start before the backward pass reaches the first layer.
        // The third run moves the reductions on from a progress thread (every 50 µs) instead of at each gradient report.
        var results: [[String: Any]] = []
        for (overlap, progress) in [("0", "0"), ("1", "0"), ("1", "50")] {
            let output = try folder()
            defer { try? FileManager.default.removeItem(atPath: output) }
            let outcome = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "train", output, "32", "2"],
                                  environment: ["KESTREL_OVERLAP_ALLREDUCE": overlap, "KESTREL_OVERLAP_PROGRESS_US": progress])
            XCTAssertEqual(outcome.status, 0, outcome.output)
            results.append(try result(output))
        }
        let (blocking, overlapped, threaded) = (results[0], results[1], results[2])
        XCTAssertEqual(threaded["overlapped_steps"] as? Int, 10)
        XCTAssertEqual(threaded["checked_steps"] as? Int, 10)
        XCTAssertEqual(threaded["weights"] as? [Double], blocking["weights"] as? [Double], "the same bits with a progress thread")
        // Both checked the weights bit for bit across the ranks after each of the 10 steps; only the second overlapped them.
        XCTAssertEqual(blocking["checked_steps"] as? Int, 10)
        XCTAssertEqual(overlapped["checked_steps"] as? Int, 10)
        XCTAssertEqual(blocking["overlapped_steps"] as? Int, 0)
        XCTAssertEqual(overlapped["overlapped_steps"] as? Int, 10)
        let blockingWeights = try XCTUnwrap(blocking["weights"] as? [Double])
        XCTAssertEqual(blockingWeights.count, 6 * 16 + 16 + 16 * 3 + 3)
        XCTAssertEqual(overlapped["weights"] as? [Double], blockingWeights, "the same bits")
        XCTAssertEqual(overlapped["history"] as? [String: [Double]], blocking["history"] as? [String: [Double]])

        // Three ranks: each element is a sum of three, whose order Open MPI's algorithm fixes from the count
        // and the ranks; both paths make the same calls, so the bits still agree.
        var threeRanks: [[String: Any]] = []
        for overlap in ["0", "1"] {
            let output = try folder()
            defer { try? FileManager.default.removeItem(atPath: output) }
            let outcome = try run(launcher, ["--oversubscribe", "-np", "3", program.path, "train", output, "32", "2"],
                                  environment: ["KESTREL_OVERLAP_ALLREDUCE": overlap])
            XCTAssertEqual(outcome.status, 0, outcome.output)
            threeRanks.append(try result(output))
        }
        XCTAssertEqual(threeRanks.map { $0["checked_steps"] as? Int }, [6, 6])
        XCTAssertEqual(threeRanks.map { $0["overlapped_steps"] as? Int }, [0, 6])
        XCTAssertEqual(threeRanks[1]["weights"] as? [Double], threeRanks[0]["weights"] as? [Double])
    }

    func testValidationDataIsSplitAcrossRanksAndCombined() throws {
        let (reference, distributed) = try aloneAndTogether(["train", "64", "2", "data"], ["train", "32", "2", "data"])
        try assertSameTraining(reference, distributed, keys: ["loss", "accuracy", "val_loss", "val_accuracy"])
        XCTAssertEqual(distributed["checked_steps"] as? Int, 10)
        XCTAssertEqual(reference["validation_rows"] as? [[Double]], [[96, 96]])
        XCTAssertEqual(distributed["validation_rows"] as? [[Double]], [[48, 48], [48, 48]])
    }

    func testADatasetOfGlobalBatchesTrainsAsOneProcess() throws {
        // The same seeded Dataset of global batches of 64 on both; each of the 2 ranks trains on 32 rows of each.
        let (reference, distributed) = try aloneAndTogether(["dataset", "64", "2"], ["dataset", "64", "2"])
        try assertSameTraining(reference, distributed, keys: ["loss", "accuracy", "val_loss", "val_accuracy"])
        XCTAssertEqual(reference["ranks"] as? Int, 1)
        XCTAssertEqual(distributed["ranks"] as? Int, 2)
        // 288 rows in batches of 64: 5 steps an epoch, weights checked bit for bit across the ranks after each.
        XCTAssertEqual(distributed["checked_steps"] as? Int, 10)
        // 96 validation rows in dataset batches of 40, 40, 16: 20 + 20 + 8 rows on each rank.
        XCTAssertEqual(reference["validation_rows"] as? [[Double]], [[96, 96]])
        XCTAssertEqual(distributed["validation_rows"] as? [[Double]], [[48, 48], [48, 48]])
    }

    func testAKilledMultiRankRunResumesFromRankZerosBackup() throws {
        let launcher = try mpirun()
        let straight = try folder(), resumed = try folder(), backups = try folder()
        defer { for path in [straight, resumed, backups] { try? FileManager.default.removeItem(atPath: path) } }
        let mpi = ["--oversubscribe", "-np", "2", program.path, "resume"]
        let whole = try run(launcher, mpi + [straight, backups + "/straight", "3", "-1"])
        XCTAssertEqual(whole.status, 0, whole.output)
        // Every rank exits as epoch 2 begins, after rank 0 backed up epoch 1; then the same command runs to the end.
        let killed = try run(launcher, mpi + [resumed, backups + "/resumed", "3", "1"])
        XCTAssertNotEqual(killed.status, 0, killed.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: resumed + "/result.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: backups + "/resumed"), ["training_state.json"])
        let again = try run(launcher, mpi + [resumed, backups + "/resumed", "3", "-1"])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains("Epoch 2/3") && !again.output.contains("Epoch 1/3"), again.output)

        let reference = try result(straight), continued = try result(resumed)
        let referenceHistory = try XCTUnwrap(reference["history"] as? [String: [Double]])
        let continuedHistory = try XCTUnwrap(continued["history"] as? [String: [Double]])
        XCTAssertEqual(Set(referenceHistory.keys), ["loss", "accuracy", "val_loss", "val_accuracy"])
        for (key, values) in referenceHistory {
            XCTAssertEqual(values.count, 3, key)
            XCTAssertEqual(continuedHistory[key], values, key)
        }
        XCTAssertEqual(continued["weights"] as? [Double], reference["weights"] as? [Double])
        // Only rank 0 wrote a backup: the folder holds its one file.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: backups + "/straight"), ["training_state.json"])
    }

    func testRanksStartedDifferentlyFailAtStartNamingTheRank() throws {
        let launcher = try mpirun()
        let expectations = [
            "model": "rank 1's model is '4 weights, 173 values: [6, 17], [17], [17, 3], [3]' where rank 0's is '4 weights, 163 values",
            "rows": "rank 1's batches per epoch is '16' where rank 0's is '12'",
            "shuffle": "rank 1's first batch of epoch 1: inputs is '[32, 6] sum ",
        ]
        for (mode, expected) in expectations {
            let outcome = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "mismatch", mode], environment: ["KESTREL_MPI_TIMEOUT": "20"])
            XCTAssertNotEqual(outcome.status, 0, "\(mode): \(outcome.output)")
            XCTAssertTrue(outcome.output.contains("the ranks were not started alike: " + expected), "\(mode): \(outcome.output)")
            XCTAssertLessThan(outcome.seconds, 40, "\(mode): \(outcome.output)")
        }
    }

    func testAPlainFitUnderMpirunSaysOnceThatEachRankTrainsAlone() throws {
        let launcher = try mpirun()
        let notice = "Kestrel: this process is rank 0 of 2 (OMPI_COMM_WORLD_SIZE=2), but fit was given no distribution"
        let loud = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "plain"])
        XCTAssertEqual(loud.status, 0, loud.output)
        XCTAssertEqual(loud.output.components(separatedBy: notice).count - 1, 1, loud.output)
        XCTAssertEqual(loud.output.components(separatedBy: "plain fit done").count - 1, 2, loud.output)
        let quiet = try run(launcher, ["--oversubscribe", "-np", "2", "-x", "KESTREL_INDEPENDENT_RANKS=1", program.path, "plain"])
        XCTAssertEqual(quiet.status, 0, quiet.output)
        XCTAssertFalse(quiet.output.contains("Kestrel: this process is rank"), quiet.output)
        let alone = try run(program.path, ["plain"])
        XCTAssertFalse(alone.output.contains("Kestrel: this process is rank"), alone.output)
    }

    func testARankThatDiesEndsTheJobWithinTheTimeoutNamingIt() throws {
        let launcher = try mpirun()
        let outcome = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "die", "1"], environment: ["KESTREL_MPI_TIMEOUT": "10"])
        XCTAssertNotEqual(outcome.status, 0, outcome.output)
        XCTAssertLessThan(outcome.seconds, 40, outcome.output)
        // A rank that exits is seen by mpirun itself, which ends the job and names it as process [[job,1],1]
        // ("Process name: [[25494,1],1]  Exit code: 3"); had mpirun not, the watchdog would name "rank 1".
        let named = outcome.output.contains("rank 1") || outcome.output.range(of: #"Process name: \[\[\d+,\d+\],1\]"#, options: .regularExpression) != nil
        XCTAssertTrue(named, outcome.output)
    }

    func testARankThatHangsMakesTheOthersTimeOutNamingIt() throws {
        let launcher = try mpirun()
        let outcome = try run(launcher, ["--oversubscribe", "-np", "2", program.path, "hang", "1"], environment: ["KESTREL_MPI_TIMEOUT": "5"])
        XCTAssertNotEqual(outcome.status, 0, outcome.output)
        XCTAssertLessThan(outcome.seconds, 40, outcome.output)
        XCTAssertTrue(outcome.output.contains("rank 0: ") && outcome.output.contains("rank 1 never arrived"), outcome.output)
        XCTAssertTrue(outcome.output.contains("within 5.0 s"), outcome.output)
    }

    func testEachRankBoundToACoreRunsOneThread() throws {
        let launcher = try mpirun()
        for binding in ["core", "none"] {
            let outcome = try run(launcher, ["--oversubscribe", "--bind-to", binding, "-np", "2", program.path, "threads"])
            XCTAssertEqual(outcome.status, 0, outcome.output)
            let lines = outcome.output.split(separator: "\n").filter { $0.hasPrefix("rank ") }.sorted()
            let online = ProcessInfo.processInfo.activeProcessorCount
            let expected = max(1, online / 2)
            XCTAssertEqual(lines, ["rank 0 threads \(binding == "core" ? 1 : expected)", "rank 1 threads \(binding == "core" ? 1 : expected)"],
                           "--bind-to \(binding): \(outcome.output)")
        }
    }
}
