import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// `kestrel doctor --parallel`: the worker protocol, and the same histories whether the runs go
/// one after another in the doctor's process or two at a time in worker processes.
final class DoctorParallelTests: XCTestCase {
    private func halves() -> TrainingData {
        TrainingData(train: DoctorTests.halves(count: 200, seed: 1), test: DoctorTests.halves(count: 100, seed: 2), description: "halves")
    }

    func testWorkerAnswersAJobLineWithTheRunTheDoctorWouldTrain() throws {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 8 relu, dense 2 softmax"),
                                    optimizer: "adam", learningRate: 0.01, epochs: 4, batchSize: 32)
        let data = halves()
        let job = DoctorJob(changes: [.dropout(rate: 0.5), .earlyStopping(patience: 3)], seed: 7)
        let line = String(decoding: try DoctorWire.encoder().encode(job), as: UTF8.self)
        XCTAssertFalse(line.contains("\n"), "one job per line")
        var answers: [String] = []
        var lines = [line, "", "not json"]
        DoctorWorker.serve(base: recipe, data: data, readLine: { lines.isEmpty ? nil : lines.removeFirst() }, write: { answers.append($0) })
        XCTAssertEqual(answers.count, 2, "one answer per job line, blank lines skipped: \(answers)")
        let first = try XCTUnwrap(answers.first)
        XCTAssertTrue(first.hasPrefix(DoctorWorker.replyPrefix) && first.hasSuffix("\n"), first)
        let reply = try DoctorWire.decoder().decode(DoctorWorkerReply.self, from: Data(first.dropFirst(DoctorWorker.replyPrefix.count).utf8))
        var expected = try SequentialDoctorRunner.run(job, base: recipe, data: data)
        var answered = try XCTUnwrap(reply.result)
        XCTAssertGreaterThan(answered.seconds, 0)
        (expected.seconds, answered.seconds) = (0, 0)  // the only number that may differ: the time taken
        XCTAssertEqual(answered, expected, "the worker's run is the one trained in this process (same seed, same history)")
        XCTAssertEqual(reply.result?.log.count, 4)
        let failed = try DoctorWire.decoder().decode(DoctorWorkerReply.self, from: Data(answers[1].dropFirst(DoctorWorker.replyPrefix.count).utf8))
        XCTAssertNil(failed.result)
        XCTAssertNotNil(failed.error)
    }

    func testResultsWithNaNSurviveThePipe() throws {
        var log = TrainingLog()
        log.append(epoch: 0, logs: ["loss": .nan, "val_loss": .infinity])
        let result = DoctorRunResult(seed: 1, log: log, testAccuracy: .nan, bestValidationLoss: .infinity, finalGap: -.infinity,
                                     verdict: .nanLoss, seconds: 0.5)
        let data = try DoctorWire.encoder().encode(DoctorWorkerReply(result: result, error: nil))
        let back = try XCTUnwrap(try DoctorWire.decoder().decode(DoctorWorkerReply.self, from: data).result)
        XCTAssertTrue(back.testAccuracy.isNaN)
        XCTAssertEqual(back.bestValidationLoss, .infinity)
        XCTAssertEqual(back.finalGap, -.infinity)
        XCTAssertEqual(back.log.series["loss"]?.first??.isNaN, true, "a logged NaN stays NaN, not \"not logged\"")
        XCTAssertEqual(back.verdict, .nanLoss)
    }

    func testParallelOptionsAreChecked() throws {
        for (option, value, message) in [("--parallel", "0", "--parallel must be at least 1"), ("--threads-per-worker", "0", "--threads-per-worker must be at least 1")] {
            let run = try KestrelExecutable.run(["doctor", "--model", "flatten, dense 10 softmax", option, value])
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue((run.output + run.error).contains(message), run.output + run.error)
        }
    }

    func testParallelWorkersGiveTheSameHistoriesAsOneRunAfterAnother() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST is not installed at /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-parallel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let common = ["doctor", "--model", "flatten, dense 16 relu, dense 10 softmax", "--dataset", "fashion-mnist", "--limit", "300",
                      "--epochs", "3", "--seeds", "2", "--budget", "6", "--seed", "5"]
        // One after another in the doctor's process; two at a time in workers. One engine thread per
        // run both ways (another thread count may change val_loss in its last digits).
        let sequential = try KestrelExecutable.run(common + ["--output", root.appendingPathComponent("sequential").path],
                                                   environment: ["KESTREL_NUM_THREADS": "1"])
        XCTAssertEqual(sequential.status, 0, sequential.output + sequential.error)
        let parallel = try KestrelExecutable.run(common + ["--output", root.appendingPathComponent("parallel").path, "--parallel", "2"])
        XCTAssertEqual(parallel.status, 0, parallel.output + parallel.error)
        XCTAssertTrue(parallel.output.contains("Training 2 runs at a time in worker processes"), parallel.output)
        XCTAssertTrue(parallel.output.contains("(2 runs at a time)"), parallel.output)

        func histories(_ name: String) throws -> [String: Data] {
            let directory = root.appendingPathComponent(name)
            var files: [String: Data] = [:]
            for arm in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                let armDirectory = directory.appendingPathComponent(arm)
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: armDirectory.path) else { continue }
                for file in names where file.hasPrefix("history-seed") {
                    files[arm + "/" + file] = try Data(contentsOf: armDirectory.appendingPathComponent(file))
                }
            }
            return files
        }
        let one = try histories("sequential"), two = try histories("parallel")
        XCTAssertEqual(one.keys.sorted(), two.keys.sorted())
        XCTAssertEqual(one.count, 12, "baseline and two remedies, two seeds, .json and .csv: \(one.keys.sorted())")
        for key in one.keys.sorted() { XCTAssertEqual(one[key], two[key], "\(key) differs between sequential and parallel runs") }
        // The same table and conclusion (everything after the first line, which has the time).
        func report(_ name: String) throws -> String {
            let text = try String(contentsOf: root.appendingPathComponent(name).appendingPathComponent("doctor.txt"), encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        }
        XCTAssertEqual(try report("sequential"), try report("parallel"))
    }
}
