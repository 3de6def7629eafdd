import Foundation
import XCTest

/// Sweeps of `kestrel fit --seeds N` and `kestrel doctor`: over MPI ranks (`mpirun -np 2`) and in
/// shares of a folder (`--shard i/N`, Slurm job arrays), against one process training every run.
/// Every run has one engine thread (KESTREL_NUM_THREADS=1) on both sides: the runs are seeded and
/// deterministic, and with equal thread counts they are the same to the bit, so the files compare
/// byte for byte. The doctor's report states how long the search took ("…, 12 s"); that number, and
/// only it (with the "(2 runs at a time)" of a run on two ranks), is replaced by "N s" before comparing.
final class SweepCommandTests: XCTestCase {
    private static let fashionMNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
    private let oneThread = ["KESTREL_NUM_THREADS": "1"]
    private let doctorOptions = ["--model", "flatten, dense 16 relu, dense 10 softmax", "--dataset", "fashion-mnist", "--limit", "300",
                                 "--epochs", "3", "--seeds", "2", "--budget", "6", "--seed", "5", "--verbose", "0"]
    private let fitOptions = ["--model", "flatten, dense 16 relu, dense 10 softmax", "--dataset", "fashion-mnist", "--limit", "300",
                              "--epochs", "2", "--seed", "7", "--verbose", "0"]

    private func requireData() throws {
        guard FileManager.default.fileExists(atPath: Self.fashionMNIST) else {
            throw XCTSkip("Fashion-MNIST is not installed at /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)")
        }
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Every file under `folder` whose name passes `include`, by relative path.
    private func files(_ folder: URL, include: (String) -> Bool) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        while let relative = enumerator.nextObject() as? String {
            guard include((relative as NSString).lastPathComponent) else { continue }
            var isFolder: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                found[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return found
    }

    /// The doctor's report with the search's wall-clock time (and "(2 runs at a time)") written as "N s".
    private func withoutTiming(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: "(, |· )[0-9]+ s( \\([0-9]+ runs at a time\\))?")
        return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1N s")
    }

    private func assertSameDoctor(_ expected: URL, _ actual: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let histories = { (name: String) in name.hasPrefix("history-seed") }
        let want = try files(expected, include: histories), got = try files(actual, include: histories)
        XCTAssertFalse(want.isEmpty, file: file, line: line)
        XCTAssertEqual(Set(got.keys), Set(want.keys), file: file, line: line)
        for (name, data) in want { XCTAssertEqual(got[name], data, "\(name) differs", file: file, line: line) }
        for name in ["doctor.txt", "report.html"] {
            let left = withoutTiming(try Data(contentsOf: expected.appendingPathComponent(name)))
            let right = withoutTiming(try Data(contentsOf: actual.appendingPathComponent(name)))
            XCTAssertEqual(left, right, "\(name) differs", file: file, line: line)
            XCTAssertTrue(left.contains("N s"), "the timing was found and replaced", file: file, line: line)
        }
    }

    /// Starts `kestrel arguments` without waiting; `finish` waits and returns status and output.
    private func start(_ arguments: [String], environment: [String: String]) throws -> () -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try KestrelExecutable.url()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-share-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return {
            process.waitUntilExit()
            try? handle.close()
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: output)
            return (process.terminationStatus, text)
        }
    }

    private func mpirun() throws -> String {
        for folder in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: folder + "/mpirun") {
            return folder + "/mpirun"
        }
        throw XCTSkip("mpirun not found (apt-get install openmpi-bin)")
    }

    /// `mpirun --oversubscribe -np 2 kestrel arguments` (as root where CI runs as root).
    private func underMPI(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let launcher = try mpirun()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = ["--oversubscribe", "-np", "2", try KestrelExecutable.url().path] + arguments
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("OMPI_COMM_WORLD") || name.hasPrefix("PMIX_") || name.hasPrefix("SLURM_") {
            environment[name] = nil
        }
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["KESTREL_NUM_THREADS"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if output.contains("built without the MPI trait") { throw XCTSkip("kestrel was built without the MPI trait") }
        return (process.terminationStatus, output)
    }

    // MARK: shares of a folder

    func testShardedDoctorMergedEqualsTheUnshardedDoctorAndARerunSkipsFinishedRuns() throws {
        try requireData()
        let root = try temporaryFolder()
        let single = root.appendingPathComponent("single"), swept = root.appendingPathComponent("swept")
        let alone = try KestrelExecutable.run(["doctor"] + doctorOptions + ["--output", single.path], environment: oneThread)
        XCTAssertEqual(alone.status, 0, alone.output + alone.error)

        // Two shares at once into one folder.
        let first = try start(["doctor"] + doctorOptions + ["--output", swept.path, "--shard", "0/2"], environment: oneThread)
        let second = try start(["doctor"] + doctorOptions + ["--output", swept.path, "--shard", "1/2"], environment: oneThread)
        let (one, two) = (first(), second())
        XCTAssertEqual(one.status, 0, one.output)
        XCTAssertEqual(two.status, 0, two.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: swept.appendingPathComponent("doctor.txt").path), "a share writes no report")
        let records = try FileManager.default.contentsOfDirectory(atPath: swept.appendingPathComponent("runs").path).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(records.count, 6, "baseline 2 runs + 2 remedies × 2 seeds (--budget 6): \(records)")
        let trainedLines = (one.output + two.output).components(separatedBy: "\n").filter { $0.contains(": trained here") }
        XCTAssertEqual(trainedLines.count, records.count, "every run trained by exactly one share:\n\(one.output)\n\(two.output)")

        let merged = try KestrelExecutable.run(["doctor", "--merge", swept.path])
        XCTAssertEqual(merged.status, 0, merged.output + merged.error)
        XCTAssertTrue(merged.output.contains("Prescription") || merged.output.contains("Doctor:"), merged.output)
        try assertSameDoctor(single, swept)

        // A rerun trains nothing: every run is skipped, and no record is rewritten.
        let recordURL = swept.appendingPathComponent("runs").appendingPathComponent(records.sorted()[0])
        let before = try FileManager.default.attributesOfItem(atPath: recordURL.path)[.modificationDate] as? Date
        let recordBytes = try Data(contentsOf: recordURL)
        Thread.sleep(forTimeInterval: 1.1)
        let again = try KestrelExecutable.run(["doctor"] + doctorOptions + ["--output", swept.path, "--shard", "0/2"], environment: oneThread)
        XCTAssertEqual(again.status, 0, again.output + again.error)
        XCTAssertFalse(again.output.contains("trained here"), again.output)
        XCTAssertEqual(again.output.components(separatedBy: "finished earlier, skipped").count - 1, 6, again.output)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: recordURL.path)[.modificationDate] as? Date, before)
        XCTAssertEqual(try Data(contentsOf: recordURL), recordBytes)

        // `kestrel compare DIR` shows the merged sweep's arms.
        let compared = try KestrelExecutable.run(["compare", swept.path, "--output", root.appendingPathComponent("compare.html").path])
        XCTAssertEqual(compared.status, 0, compared.output + compared.error)
        XCTAssertTrue(compared.output.contains("baseline"), compared.output)
    }

    func testMergeOfAnUnfinishedDoctorSweepListsTheMissingRunsAndTheirCommands() throws {
        try requireData()
        let swept = try temporaryFolder().appendingPathComponent("swept")
        let share = try KestrelExecutable.run(["doctor"] + doctorOptions + ["--output", swept.path, "--shard", "1/2"], environment: oneThread)
        XCTAssertEqual(share.status, 0, share.output + share.error)
        // A share cut off half-way: its run has no record (the kernel dropped its claim).
        let runs = swept.appendingPathComponent("runs")
        let records = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") }.sorted()
        let baseline = try XCTUnwrap(records.first { $0.hasSuffix("seed5.json") && (try? String(contentsOf: runs.appendingPathComponent($0), encoding: .utf8))?.contains("\"changes\":[]") == true })
        try FileManager.default.removeItem(at: runs.appendingPathComponent(baseline))
        let merged = try KestrelExecutable.run(["doctor", "--merge", swept.path])
        XCTAssertNotEqual(merged.status, 0)
        let message = merged.output + merged.error
        XCTAssertTrue(message.contains("is not finished"), message)
        XCTAssertTrue(message.contains("baseline, seed 5 (share 0/2)"), message)
        XCTAssertTrue(message.contains("--output \(swept.path) --shard 0/2"), message)
        XCTAssertTrue(message.contains("kestrel doctor --model"), message)
        // The share that redoes it trains that run alone.
        let redo = try KestrelExecutable.run(["doctor"] + doctorOptions + ["--output", swept.path, "--shard", "0/2"], environment: oneThread)
        XCTAssertEqual(redo.status, 0, redo.output + redo.error)
        XCTAssertEqual(redo.output.components(separatedBy: "trained here").count - 1, 1, redo.output)
        XCTAssertTrue(redo.output.contains("baseline, seed 5: trained here"), redo.output)
        let complete = try KestrelExecutable.run(["doctor", "--merge", swept.path])
        XCTAssertEqual(complete.status, 0, complete.output + complete.error)
    }

    func testFitSharesFromTheOptionAndFromSlurmEqualOneProcessAndCompareNamesMissingShares() throws {
        try requireData()
        let root = try temporaryFolder()
        let single = root.appendingPathComponent("single"), swept = root.appendingPathComponent("swept")
        let alone = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "3", "--output", single.path], environment: oneThread)
        XCTAssertEqual(alone.status, 0, alone.output + alone.error)

        let first = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "3", "--output", swept.path, "--shard", "0/2"], environment: oneThread)
        XCTAssertEqual(first.status, 0, first.output + first.error)
        XCTAssertTrue(first.output.contains("seeds 7, 9"), first.output)
        let early = try KestrelExecutable.run(["compare", swept.path, "--output", root.appendingPathComponent("early.html").path])
        XCTAssertNotEqual(early.status, 0)
        XCTAssertTrue(early.error.contains("1 of 3 runs") && early.error.contains("seed 8 (share 1/2)"), early.error)
        XCTAssertTrue(early.error.contains("--output \(swept.path) --shard 1/2"), early.error)

        // Share 1 from a Slurm job array's variables (task ids 10 and 11: SLURM_ARRAY_TASK_MIN is 10).
        let slurm = ["SLURM_ARRAY_TASK_ID": "11", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "2"]
        let second = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "3", "--output", swept.path],
                                               environment: oneThread.merging(slurm) { $1 })
        XCTAssertEqual(second.status, 0, second.output + second.error)
        XCTAssertTrue(second.output.contains("Share 1/2") && second.output.contains("seeds 8."), second.output)

        let histories = { (name: String) in name.hasPrefix("history-seed") }
        let want = try files(single, include: histories), got = try files(swept, include: histories)
        XCTAssertEqual(want.count, 6)
        XCTAssertEqual(got, want, "each share's histories are the one-process run's, byte for byte")
        let compared = try KestrelExecutable.run(["compare", swept.path, "--output", root.appendingPathComponent("all.html").path])
        XCTAssertEqual(compared.status, 0, compared.output + compared.error)
        XCTAssertTrue(compared.output.contains("swept"), compared.output)

        // A rerun of share 0 skips its runs and leaves their files alone.
        let history = swept.appendingPathComponent("history-seed7.json")
        let before = try FileManager.default.attributesOfItem(atPath: history.path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 1.1)
        let again = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "3", "--output", swept.path, "--shard", "0/2"], environment: oneThread)
        XCTAssertEqual(again.status, 0, again.output + again.error)
        XCTAssertTrue(again.output.contains("seed 7: finished earlier, skipped.") && again.output.contains("seed 9: finished earlier, skipped."), again.output)
        XCTAssertTrue(again.output.contains("0 run(s) trained"), again.output)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: history.path)[.modificationDate] as? Date, before)

        // A run cut off before its record (here: the record removed) is trained again, alone, to the same history.
        let cutOff = swept.appendingPathComponent("runs/seed9.json")
        let historyBytes = try Data(contentsOf: swept.appendingPathComponent("history-seed9.json"))
        try FileManager.default.removeItem(at: cutOff)
        let redo = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "3", "--output", swept.path, "--shard", "0/2"], environment: oneThread)
        XCTAssertEqual(redo.status, 0, redo.output + redo.error)
        XCTAssertTrue(redo.output.contains("seed 7: finished earlier, skipped.") && redo.output.contains("seed 9: trained and recorded."), redo.output)
        XCTAssertTrue(redo.output.contains("1 run(s) trained"), redo.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cutOff.path))
        XCTAssertEqual(try Data(contentsOf: swept.appendingPathComponent("history-seed9.json")), historyBytes)

        // Another sweep's options into the same folder are refused.
        let other = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "4", "--output", swept.path, "--shard", "0/2"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.error.contains("holds another sweep"), other.error)
    }

    func testBadSharesAndSlurmIdsAreRefusedWithTheFix() throws {
        let cases: [([String], [String: String], String)] = [
            (["--shard", "2/2"], [:], "shard 2/2 does not exist"),
            (["--shard", "x"], [:], "--shard 'x' is not of the form i/N"),
            (["--shard", "0/0"], [:], "shard 0/0 does not exist"),
            ([], ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "2"], "SLURM_ARRAY_TASK_ID=5 minus SLURM_ARRAY_TASK_MIN=0 is share 5, which is not one of SLURM_ARRAY_TASK_COUNT=2 shares"),
            ([], ["SLURM_ARRAY_TASK_ID": "3"], "without SLURM_ARRAY_TASK_COUNT"),
            ([], ["SLURM_ARRAY_TASK_ID": "one", "SLURM_ARRAY_TASK_COUNT": "2"], "are not integers"),
        ]
        for command in ["fit", "doctor"] {
            for (arguments, environment, message) in cases {
                let run = try KestrelExecutable.run([command, "--model", "flatten, dense 10 softmax", "--seeds", "2", "--output",
                                                     NSTemporaryDirectory() + "kestrel-never-\(UUID().uuidString)"] + arguments,
                                                    environment: environment)
                XCTAssertNotEqual(run.status, 0, "\(command) \(arguments) \(environment)")
                XCTAssertTrue(run.error.contains(message), "\(command) \(arguments) \(environment): \(run.error)")
            }
        }
        let timed = try KestrelExecutable.run(["doctor", "--model", "flatten, dense 10 softmax", "--budget", "10m", "--shard", "0/2"])
        XCTAssertTrue(timed.error.contains("needs a number of runs"), timed.error)
        let noSweep = try KestrelExecutable.run(["doctor", "--merge", NSTemporaryDirectory() + "kestrel-none-\(UUID().uuidString)"])
        XCTAssertNotEqual(noSweep.status, 0)
        XCTAssertTrue(noSweep.error.contains("holds no sweep"), noSweep.error)
    }

    // MARK: MPI ranks

    func testFitSeedsOnTwoRanksEqualsOneProcess() throws {
        try requireData()
        let root = try temporaryFolder()
        let single = root.appendingPathComponent("single"), ranks = root.appendingPathComponent("ranks")
        let alone = try KestrelExecutable.run(["fit"] + fitOptions + ["--seeds", "2", "--output", single.path], environment: oneThread)
        XCTAssertEqual(alone.status, 0, alone.output + alone.error)
        let together = try underMPI(["fit"] + fitOptions + ["--seeds", "2", "--output", ranks.path])
        XCTAssertEqual(together.status, 0, together.output)
        XCTAssertTrue(together.output.contains("Training the 2 runs on 2 MPI ranks"), together.output)
        // Each rank trains its runs alone on purpose (passed down explicitly, not through the environment): no notice.
        XCTAssertFalse(together.output.contains("every rank trains alone"), together.output)
        let all = { (name: String) in !name.hasPrefix(".") }
        let want = try files(single, include: all), got = try files(ranks, include: all)
        XCTAssertEqual(Set(want.keys), ["history-seed7.json", "history-seed7.csv", "history-seed8.json", "history-seed8.csv",
                                        "report.html", "curves.png", "confusion_matrix.png", "predictions.png"])
        XCTAssertEqual(Set(got.keys), Set(want.keys))
        for (name, data) in want { XCTAssertEqual(got[name], data, "\(name) differs from the one-process run") }
    }

    /// One run under `mpirun -np 2`: the ranks train it together, data-parallel, so 2 ranks of batch 16
    /// follow one process of batch 32 (same seed, same global batches), and only rank 0 writes.
    func testOneRunOnTwoRanksTrainsDataParallelLikeOneProcessOfTheGlobalBatch() throws {
        try requireData()
        let root = try temporaryFolder()
        let single = root.appendingPathComponent("single"), ranks = root.appendingPathComponent("ranks")
        let alone = try KestrelExecutable.run(["fit"] + fitOptions + ["--batch-size", "32", "--output", single.path], environment: oneThread)
        XCTAssertEqual(alone.status, 0, alone.output + alone.error)
        let together = try underMPI(["fit"] + fitOptions + ["--batch-size", "16", "--output", ranks.path])
        XCTAssertEqual(together.status, 0, together.output)
        XCTAssertTrue(together.output.contains("Data-parallel training on 2 MPI ranks: batch 16 per rank, a global batch of 32"), together.output)
        XCTAssertFalse(together.output.contains("every rank trains alone"), together.output)
        XCTAssertEqual(together.output.components(separatedBy: "Trained 1 run(s)").count, 2, "only rank 0 reports: " + together.output)
        let want = try historySeries(single), got = try historySeries(ranks)
        XCTAssertEqual(Set(got.keys), Set(want.keys))
        XCTAssertTrue(want.keys.contains("val_loss"), "\(want.keys)")
        for (key, values) in want {
            XCTAssertEqual(got[key]?.count, values.count, key)
            for (a, b) in zip(values, got[key] ?? []) { XCTAssertEqual(a, b, accuracy: 2e-3, "\(key): \(values) against \(got[key] ?? [])") }
        }
    }

    /// The numeric series of `history.json` (`{"epoch": […], "history": {key: […]}}`) in `folder`.
    private func historySeries(_ folder: URL) throws -> [String: [Double]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("history.json"))
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let object = try XCTUnwrap(file["history"] as? [String: Any])
        var series: [String: [Double]] = [:]
        for (key, value) in object {
            if let numbers = value as? [NSNumber] { series[key] = numbers.map(\.doubleValue) }
        }
        return series
    }

    func testDoctorOnTwoRanksEqualsOneProcess() throws {
        try requireData()
        let root = try temporaryFolder()
        let single = root.appendingPathComponent("single"), ranks = root.appendingPathComponent("ranks")
        let alone = try KestrelExecutable.run(["doctor"] + doctorOptions + ["--output", single.path], environment: oneThread)
        XCTAssertEqual(alone.status, 0, alone.output + alone.error)
        let together = try underMPI(["doctor"] + doctorOptions + ["--output", ranks.path])
        XCTAssertEqual(together.status, 0, together.output)
        XCTAssertTrue(together.output.contains("on 2 MPI ranks"), together.output)
        XCTAssertFalse(together.output.contains("every rank trains alone"), together.output)
        try assertSameDoctor(single, ranks)
    }
}
