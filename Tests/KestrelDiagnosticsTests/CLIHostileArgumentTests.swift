import Foundation
import XCTest
@testable import KestrelDiagnostics

/// Absurd numbers given to the built `kestrel` (issue 21): each ends in a one-sentence error naming
/// the option and its range, or in a normal run — never a trap, an allocation failure or a lost report.
final class CLIHostileArgumentTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments, in: scratch)
    }

    private func assertFailure(_ arguments: [String], _ expected: String, line: UInt = #line) throws {
        let result = try run(arguments)
        XCTAssertNotEqual(result.status, 0, line: line)
        XCTAssertEqual(result.error.trimmingCharacters(in: .whitespacesAndNewlines), "Error: " + expected, line: line)
        XCTAssertFalse(result.error.contains("Fatal error") || result.error.contains("Stack dump"), result.error, line: line)
    }

    func testAbsurdCountsAreRefusedWithTheOptionAndItsRange() throws {
        let model = ["--model", "flatten, dense 2 softmax"]
        try assertFailure(["fit"] + model + ["--seeds", "1000000000"], "--seeds must be 1…1000 (the number of training runs), got 1000000000.")
        try assertFailure(["doctor"] + model + ["--seeds", "1000000000"], "--seeds must be 1…1000 (the number of training runs), got 1000000000.")
        // A negative number is the value of the option, not a missing value ("Missing value for '--epochs'").
        try assertFailure(["fit"] + model + ["--epochs", "-5"], "--epochs must be at least 1, got -5.")
        try assertFailure(["fit"] + model + ["--batch-size", "-1"], "--batch-size must be at least 1, got -1.")
        try assertFailure(["fit"] + model + ["--learning-rate", "-0.1"], "--learning-rate must be a positive number, got -0.1.")
    }

    /// Negative numbers given to options that did not take them as values ("Missing value for '--port'"),
    /// and values that were checked only after training or not at all.
    func testNegativeAndNonFiniteNumbersAreNamedWithTheirRange() throws {
        let log = scratch.appendingPathComponent("h.csv")
        try "epoch,loss,val_loss\n0,1,2\n1,0.5,1\n".write(to: log, atomically: true, encoding: .utf8)
        for (option, expected) in [("--patience", "--patience must be at least 1, got -1."), ("--steps-per-epoch", "--steps-per-epoch must be at least 1, got -1.")] {
            let result = try run(["diagnose", log.path, option, "-1"])  // a usage error: the message, then the usage lines
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.error.hasPrefix("Error: " + expected), result.error)
        }
        try assertFailure(["serve", scratch.path, "--port", "-1"], "Dashboard: port must be in 0...65535 (0 picks a free port), got -1.")
        try assertFailure(["doctor", "--model", "flatten, dense 2 softmax", "--parallel", "-2"], "--parallel must be at least 1 (runs at a time), got -2.")
        try assertFailure(["fit", "--model", "flatten, dense 2 softmax", "--dashboard", "0", "--dashboard-linger", "nan"],
                          "--dashboard-linger must be a number of seconds ≥ 0, got nan.")
        try assertFailure(["predict", "m.keras", "--input", "x.npy", "--output", "y.npy", "--batch-size", "0"], "--batch-size must be at least 1, got 0.")
        let curves = try run(["compare", log.path, log.path, "--curves", "loss", "--y-min", "-1", "--y-max", "5", "--smoothing-std", "1e308",
                              "--output", scratch.appendingPathComponent("c").path])
        XCTAssertEqual(curves.status, 0, curves.error)
    }

    /// A log whose values reach 1e308 made every figure's pixel coordinates overflow `Int`: `plot`, `diagnose
    /// --report` and `serve` (whose page draws the folder's logs) trapped.
    func testALogOfHugeValuesIsPlottedReportedAndServed() throws {
        let log = scratch.appendingPathComponent("runs/a/history.csv")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "epoch,loss,val_loss\n0,1e300,-1e300\n1,1.7e308,-1.7e308\n2,5e-324,1\n".write(to: log, atomically: true, encoding: .utf8)
        for command in [["plot", log.path, "--output", scratch.appendingPathComponent("c.png").path],
                        ["diagnose", log.path, "--report", scratch.appendingPathComponent("r.html").path]] {
            let result = try run(command)
            XCTAssertEqual(result.status, 0, "\(command[0]): \(result.error)")
            XCTAssertFalse(result.error.contains("Fatal error"), result.error)
        }
    }

    func testAHugeBatchSizeIsOneBatchAndADivergingRunStillWritesItsReportAndFigures() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 6)
        let out = scratch.appendingPathComponent("run")
        let fit = try run(["fit", "--model", "flatten, dense 8 relu, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8",
                           "--epochs", "3", "--batch-size", "9223372036854775807", "--learning-rate", "1e30", "--optimizer", "sgd",
                           "--output", out.path, "--verbose", "0", "--save", out.appendingPathComponent("m.keras").path])
        XCTAssertEqual(fit.status, 0, fit.error)
        XCTAssertFalse(fit.error.contains("Fatal error"), fit.error)
        for file in ["history.json", "report.html", "curves.png", "confusion_matrix.png", "predictions.png", "m.keras"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing: \(fit.output)")
        }
        let history = try String(contentsOf: out.appendingPathComponent("history.json"), encoding: .utf8)
        XCTAssertTrue(history.contains("null"), history)  // NaN is written as null
        let model = out.appendingPathComponent("m.keras").path
        for command in [["predict", model, data.appendingPathComponent("top").path, "--report", scratch.appendingPathComponent("p.html").path], ["evaluate", model, "--dataset", data.path]] {
            let result = try run(command + ["--batch-size", "4611686018427387904"])
            XCTAssertFalse(result.error.contains("Fatal error"), "\(command[0]): \(result.error)")
            XCTAssertEqual(result.status, 0, "\(command[0]): \(result.error)")
        }
    }

    func testClassNamesLossAndDatasetClassesThatDoNotFitTheModelAreErrors() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 3)
        let out = scratch.appendingPathComponent("run")
        let model = out.appendingPathComponent("m.keras").path
        let fit = try run(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8", "--epochs", "1",
                           "--output", out.path, "--verbose", "0", "--save", model])
        XCTAssertEqual(fit.status, 0, fit.error)
        try assertFailure(["predict", model, data.path, "--class-names", "a,b,c"],
                          "--class-names gives 3 classes (a, b, c) but the model predicts 2; give one name per class the model was trained on.")
        let unknown = try run(["evaluate", model, "--dataset", data.path, "--loss", "foo"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.hasPrefix("Error: --loss: Unknown loss 'foo'. Valid names: "), unknown.error)
        try assertFailure(["evaluate", model, "--dataset", data.path, "--loss", "mse"],
                          "--loss is for a model saved without a compile config; '\(model)' was saved compiled and is evaluated with its own loss. Leave --loss out.")
        let three = scratch.appendingPathComponent("three")
        try TinyPNG.writeTwoClassFolder(three, count: 2)
        try FileManager.default.copyItem(at: three.appendingPathComponent("top"), to: three.appendingPathComponent("zz"))
        try assertFailure(["evaluate", model, "--dataset", three.path],
                          "--dataset '\(three.path)' gives 3 classes (bottom, top, zz) but the model predicts 2; give one name per class the model was trained on.")
    }

    func testImagesTooLargeForMemoryAreRefusedBeforeDecoding() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 20)
        // 40 images at 16384×16384 would take ~200 GB in a training command; refused before any is decoded.
        let fit = try run(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "16384x16384", "--output", "o"])
        XCTAssertNotEqual(fit.status, 0)
        XCTAssertTrue(fit.error.hasPrefix("Error: --image-size 16384x16384: 40 images of 16384×16384×1 needs about "), fit.error)
        XCTAssertTrue(fit.error.contains("pass a smaller --image-size"), fit.error)
        // A JPEG of a few hundred bytes whose header claims 16384×16384: refused from its header.
        let out = scratch.appendingPathComponent("run")
        let model = out.appendingPathComponent("m.keras").path
        let train = try run(["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8", "--epochs", "1",
                             "--output", out.path, "--verbose", "0", "--save", model])
        XCTAssertEqual(train.status, 0, train.error)
        var jpeg = try JPEGClaim.bytes(side: 16384)
        XCTAssertLessThan(jpeg.count, 1024)
        let bomb = scratch.appendingPathComponent("bomb.jpg")
        try Data(jpeg).write(to: bomb)
        try assertFailure(["predict", model, bomb.path],
                          "\(bomb.path): the JPEG header declares 16384×16384 pixels, more than the limit of 67108864; pass a larger --max-image-pixels to read it anyway")
        jpeg.removeAll()
    }

    func testTwoFitsIntoOneOutputFolderAreRefusedByTheFolderLock() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 3)
        let out = scratch.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // This test process plays the other fit: it holds the folder's lock.
        let descriptor = open(out.appendingPathComponent(".kestrel.lock").path, O_RDWR | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0)
        let arguments = ["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8", "--epochs", "1",
                         "--output", out.path, "--verbose", "0"]
        try assertFailure(arguments, "--output '\(out.path)' is in use: another kestrel process is writing into it (it holds \(out.path)/.kestrel.lock). Wait for it to finish or pass another --output.")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("history.json").path))
        close(descriptor)
        XCTAssertEqual(try run(arguments).status, 0)
    }

    /// `kestrel fit` with writes of the named files failing as on a full disk (AtomicFile's ENOSPC fault injection).
    private func fitOnFullDisk(_ arguments: [String], failing names: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments, in: scratch, environment: ["KESTREL_FAULT_NO_SPACE_FOR": names.joined(separator: ",")])
    }

    func testAFullDiskKeepsWhatWasTrainedAndSaysWhatCouldNotBeWritten() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 4)
        let out = scratch.appendingPathComponent("run")
        let common = ["fit", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8", "--epochs", "3",
                      "--output", out.path, "--verbose", "0"]
        // --save on a full disk: the history, report and figures are written first; the old model stays whole.
        let model = scratch.appendingPathComponent("m.keras")
        try Data("previous model".utf8).write(to: model)
        let save = try fitOnFullDisk(common + ["--save", model.path], failing: ["m.keras"])
        XCTAssertNotEqual(save.status, 0)
        XCTAssertTrue(save.error.contains("Cannot write '\(model.path)': write failed (No space left on device)"), save.error)
        XCTAssertTrue(save.error.contains("The history, report and figures are in '\(out.path)'; any earlier '\(model.path)' is left as it was."), save.error)
        for file in ["history.json", "history.csv", "report.html", "curves.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        XCTAssertEqual(try String(contentsOf: model, encoding: .utf8), "previous model")

        // --checkpoint on a full disk: training stops with the error, and the epochs done are in the history.
        let checkpoint = try fitOnFullDisk(common + ["--checkpoint", scratch.appendingPathComponent("ck.keras").path, "--output", out.path + "2"],
                                           failing: ["ck.keras"])
        XCTAssertNotEqual(checkpoint.status, 0)
        XCTAssertTrue(checkpoint.error.contains("ck.keras") && checkpoint.error.contains("No space left on device"), checkpoint.error)
        let partial = try String(contentsOf: URL(fileURLWithPath: out.path + "2/history.json"), encoding: .utf8)
        XCTAssertTrue(partial.contains("\"loss\""), partial)

        // A rerun whose report cannot be written leaves no old report beside its new history.
        let oldHistory = try Data(contentsOf: out.appendingPathComponent("history.json"))
        let rerun = try fitOnFullDisk(common + ["--seed", "9"], failing: ["report.html"])
        XCTAssertNotEqual(rerun.status, 0)
        XCTAssertTrue(rerun.error.contains("Cannot write the report to '\(out.path)/report.html'"), rerun.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("curves.png").path))
        XCTAssertNotEqual(try Data(contentsOf: out.appendingPathComponent("history.json")), oldHistory)
    }

    /// The process ids whose parent is `parent` (from /proc/<pid>/stat).
    private func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }

    private func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    func testDoctorWorkersAreCappedAndEndWithTheirParent() throws {
        let data = scratch.appendingPathComponent("shapes")
        try TinyPNG.writeTwoClassFolder(data, count: 3)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let capped = try run(["doctor", "--model", "flatten, dense 2 softmax", "--dataset", data.path, "--image-size", "8x8", "--epochs", "1",
                              "--seeds", "2", "--budget", "2", "--parallel", "300", "--output", "o", "--verbose", "0"])
        XCTAssertEqual(capped.status, 0, capped.error)
        if cores >= 2 { XCTAssertTrue(capped.output.contains("Training 2 runs at a time in worker processes"), capped.output) }

        guard cores >= 2 else { throw XCTSkip("one core: --parallel is capped to 1, no workers to orphan") }
        let doctor = Process()
        doctor.executableURL = try KestrelExecutable.url()
        doctor.arguments = ["doctor", "--model", "flatten, dense 64 relu, dense 2 softmax", "--dataset", data.path, "--image-size", "32x32",
                            "--epochs", "100000", "--seeds", "2", "--budget", "60", "--parallel", "2", "--output", scratch.appendingPathComponent("d").path,
                            "--verbose", "0"]
        doctor.standardOutput = FileHandle.nullDevice
        doctor.standardError = FileHandle.nullDevice
        try doctor.run()
        var workers: [Int32] = []
        for _ in 0..<200 where workers.count < 2 {
            usleep(100_000)
            workers = children(of: doctor.processIdentifier)
        }
        XCTAssertEqual(workers.count, 2, "the doctor started no workers")
        kill(doctor.processIdentifier, SIGKILL)
        doctor.waitUntilExit()
        // Each worker notices within a quarter of a second that its parent is gone; allow ample slack on a busy machine.
        for _ in 0..<100 where workers.contains(where: alive) { usleep(100_000) }
        let survivors = workers.filter(alive)
        XCTAssertEqual(survivors, [], "workers outlived their killed parent")
        for pid in survivors { kill(pid, SIGKILL) }
    }

    /// A negative seed was taken for a missing value ("Missing value for '--seed <seed>'"); it is now the value, refused by name.
    func testANegativeSeedIsNamedAsTheSeedsValue() throws {
        for arguments in [["fit", "--model", "flatten, dense 2 softmax", "--seed", "-1"], ["demo", "--seed", "-7"]] {
            let result = try run(arguments)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.error.contains("is invalid for '--seed <seed>'"), result.error)
            XCTAssertFalse(result.error.contains("Missing value"), result.error)
        }
    }

    /// A folder, a FIFO or /dev/zero given as a file argument was reported as "no such file" (or, for a FIFO,
    /// blocked the open for ever; /dev/zero was read until memory ran out). Each is now named for what it is,
    /// with the argument, within seconds.
    func testNonRegularFilesGivenAsFileArgumentsAreNamedForWhatTheyAre() throws {
        let files = FileManager.default
        let fifo = { (name: String) -> String in
            let path = self.scratch.appendingPathComponent(name).path
            XCTAssertEqual(mkfifo(path, 0o600), 0)
            return path
        }
        let zero = { (name: String) -> String in
            let path = self.scratch.appendingPathComponent(name).path
            XCTAssertEqual(symlink("/dev/zero", path), 0)
            return path
        }
        let folder = scratch.appendingPathComponent("folder.keras").path
        try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let architecture = scratch.appendingPathComponent("arch.json")
        try Data("{}".utf8).write(to: architecture)
        let pipeKeras = fifo("pipe.keras"), pipeJSON = fifo("pipe.json"), pipeLog = fifo("pipe.csv"), pipeWeights = fifo("pipe.weights.h5")
        let pipeNPY = fifo("pipe.npy"), zeroKeras = zero("zero.keras"), zeroJSON = zero("zero.json")
        let cases: [([String], [String])] = [
            (["summary", pipeKeras], ["MODEL: '\(pipeKeras)' is not a regular file but a FIFO (named pipe)"]),
            (["evaluate", zeroKeras], ["MODEL: '\(zeroKeras)' is not a regular file but a character device (like /dev/zero)"]),
            (["predict", folder, "x.png"], ["MODEL: '\(folder)' is a folder, not a .keras model file"]),
            (["summary", zeroJSON], ["character device"]),
            (["summary", architecture.path, "--weights", pipeWeights], ["--weights: '\(pipeWeights)' is not a regular file but a FIFO"]),
            (["fit", "--model", pipeJSON, "--epochs", "1"], ["--model: '\(pipeJSON)' is not a regular file but a FIFO"]),
            (["fit", "--model", scratch.path, "--epochs", "1"], ["--model: '\(scratch.path)' is a folder"]),
            (["fit", "--model", "/dev/zero", "--epochs", "1"], ["--model: '/dev/zero' is not a regular file but a character device"]),
            (["diagnose", pipeLog], ["'\(pipeLog)': it is not a regular file but a FIFO (named pipe)"]),
            (["diagnose", "/dev/zero"], ["'/dev/zero': it is not a regular file but a character device"]),
            (["plot", scratch.path], ["it is a folder"]),
            (["compare", pipeLog, "/dev/null"], ["not a regular file"]),
            (["predict", zeroKeras, "--input", pipeNPY, "--output", "y.npy"], ["character device"]),
            (["serve", pipeLog], ["serve: '\(pipeLog)' is not a folder but a FIFO (named pipe)"]),
            (["fit", "--model", "flatten, dense 2 softmax", "--dataset", pipeLog], ["--dataset '\(pipeLog)' is a FIFO (named pipe), not a directory"]),
        ]
        for (arguments, expected) in cases {
            let result = try KestrelExecutable.run(arguments, in: scratch, timeout: 60)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.error.hasPrefix("Error: "), "\(arguments): \(result.error)")
            for text in expected { XCTAssertTrue(result.error.contains(text), "\(arguments): \(result.error)") }
            XCTAssertFalse(result.error.contains("no such file"), "\(arguments): \(result.error)")
        }
    }
}

/// A tiny baseline JPEG (8×8 gray) whose frame header claims another size.
enum JPEGClaim {
    static func bytes(side: Int) throws -> [UInt8] {
        // Image.new("L", (8, 8), 128).save(…, "JPEG", quality=75) with Pillow: 331 bytes.
        let base64 = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAAIAAgBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q=="
        var bytes = [UInt8](try XCTUnwrap(Data(base64Encoded: base64)))
        let sof = try XCTUnwrap((0..<bytes.count - 8).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        for offset in [5, 7] {
            bytes[sof + offset] = UInt8(side >> 8)
            bytes[sof + offset + 1] = UInt8(side & 0xFF)
        }
        return bytes
    }

}
