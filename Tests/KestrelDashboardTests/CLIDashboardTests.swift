import Foundation
import XCTest
import KestrelData

/// `kestrel fit --dashboard`, `kestrel serve` and `kestrel predict --report` through the built executable
/// (skipped when it has not been built), on a tiny folder of class images.
final class CLIDashboardTests: XCTestCase {
    private var scratch: URL!
    private final class BundleMarker {}

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-dash-\(UUID().uuidString)")
        for (name, top) in [("bottom", false), ("top", true)] {
            let folder = scratch.appendingPathComponent("images/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<10 {
                let pixels = (0..<64).map { UInt8(truncatingIfNeeded: ((($0 / 8 < 4) == top) ? 200 : 20) + ($0 % 8 * 7 + index * 3) % 30) }
                let png = try PNGCodec.encode(try RasterImage(pixels: pixels, height: 8, width: 8, channels: 1))
                try Data(png).write(to: folder.appendingPathComponent("\(index).png"))
            }
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func executable() throws -> URL {
        var directory = Bundle(for: BundleMarker.self).bundleURL
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("kestrel")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else { throw XCTSkip("kestrel not built at \(candidate.path)") }
        return candidate
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    private let fitArguments = ["fit", "--model", "flatten, dense 8 relu, dense 2 softmax", "--dataset", "images", "--image-size", "8x8",
                                "--epochs", "3", "--verbose", "0"]

    func testFitServesTheDashboardAndServeReadsTheRuns() throws {
        let fit = try run(fitArguments + ["--output", "out", "--save", "m.keras", "--dashboard", "0", "--dashboard-linger", "0"])
        XCTAssertEqual(fit.status, 0, fit.error)
        XCTAssertNotNil(fit.output.range(of: #"Dashboard: http://127\.0\.0\.1:\d+/"#, options: .regularExpression), fit.output)
        XCTAssertFalse(fit.error.contains("Warning"))

        let open = try run(fitArguments + ["--output", "out2", "--dashboard", "0", "--host", "0.0.0.0", "--dashboard-linger", "0"])
        XCTAssertEqual(open.status, 0, open.error)
        XCTAssertTrue(open.error.contains("Warning: the dashboard listens on 0.0.0.0"), open.error)

        let lonely = try run(fitArguments + ["--host", "0.0.0.0"])
        XCTAssertNotEqual(lonely.status, 0)
        XCTAssertTrue(lonely.error.contains("--host and --dashboard-linger go with --dashboard"), lonely.error)

        // kestrel serve over both runs' folders: each history is a run of the list.
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["serve", ".", "--port", "0"]
        process.currentDirectoryURL = scratch
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        var line = ""
        while !line.contains("\n"), let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            line += String(decoding: byte, as: UTF8.self)
        }
        let match = try XCTUnwrap(line.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression), line)
        let port = try XCTUnwrap(Int(line[match].dropFirst("127.0.0.1:".count).dropLast()))
        XCTAssertTrue(line.hasPrefix("Serving 2 runs from "), line)
        let view = try RawHTTPClient.get(port: port, target: "/view.json")
        let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(view.body.utf8)) as? [String: Any])
        XCTAssertEqual((payload["runs"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["out/history", "out2/history"])
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/files/out/report.html").status, 200)
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/files/../images/top/0.png").status, 404)
    }

    func testPredictReportShowsEachImageWithItsBarsAndTrueClassFromTheFolder() throws {
        let fit = try run(fitArguments + ["--output", "out", "--save", "m.keras"])
        XCTAssertEqual(fit.status, 0, fit.error)
        let predict = try run(["predict", "m.keras", "images", "--report", "r.html"])
        XCTAssertEqual(predict.status, 0, predict.error)
        XCTAssertTrue(predict.output.contains("Report: r.html"))
        let html = try String(contentsOf: scratch.appendingPathComponent("r.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<image ").count - 1, 20, "one cell per image")
        // Captions "predicted NN% (true)" with the class folders' names (sorted, as Keras orders them).
        let pattern = try NSRegularExpression(pattern: #">(bottom|top) \d{1,3}% \((bottom|top)\)</text>"#)
        let captions = pattern.numberOfMatches(in: html, range: NSRange(html.startIndex..., in: html))
        XCTAssertEqual(captions, 20)
        XCTAssertEqual(html.components(separatedBy: "fill=\"#1f77b4\"").count - 1 >= 20, true, "each image's true-class bar is blue")
        XCTAssertTrue(html.contains("Per-class view"), "every image labelled: the confusion matrix is added")
        XCTAssertTrue(html.contains("20 with their true class from the folder name"))

        // Loose images: no true class, no parentheses, no confusion matrix.
        let loose = try run(["predict", "m.keras", "images/top/0.png", "images/bottom/1.png", "--report", "loose.html"])
        XCTAssertEqual(loose.status, 0, loose.error)
        let looseHTML = try String(contentsOf: scratch.appendingPathComponent("loose.html"), encoding: .utf8)
        XCTAssertEqual(looseHTML.components(separatedBy: "<image ").count - 1, 2)
        XCTAssertNotNil(looseHTML.range(of: #">(bottom|top|0|1) \d{1,3}%</text>"#, options: .regularExpression), "caption without a true class")
        XCTAssertFalse(looseHTML.contains("Per-class view"))
        XCTAssertTrue(looseHTML.contains("no true classes"))

        let wrong = try run(["predict", "m.keras", "images", "--report", "r.txt"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.error.contains("must end in .html"), wrong.error)
    }

    func testTensorBoardFrequenciesFromTheCommandLine() throws {
        let fit = try run(fitArguments + ["--output", "out", "--tensorboard", "tb", "--histogram-freq", "1", "--update-freq", "5"])
        XCTAssertEqual(fit.status, 0, fit.error)
        for run in ["train", "validation"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("tb/\(run)").path)
            XCTAssertTrue(files.contains { $0.hasPrefix("events.out.tfevents.") }, run)
        }
        // Batch scalars and histograms make the train file larger than epoch scalars alone.
        let plain = try run(fitArguments + ["--output", "out2", "--tensorboard", "tb2"])
        XCTAssertEqual(plain.status, 0, plain.error)
        func trainBytes(_ folder: String) throws -> Int {
            let directory = scratch.appendingPathComponent("\(folder)/train")
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).reduce(0) {
                $0 + ((try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent($1).path)[.size] as? Int) ?? 0)
            }
        }
        XCTAssertGreaterThan(try trainBytes("tb"), 2 * (try trainBytes("tb2")))

        let alone = try run(fitArguments + ["--histogram-freq", "1"])
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.error.contains("go with --tensorboard"), alone.error)
        let bad = try run(fitArguments + ["--tensorboard", "tb3", "--update-freq", "soon"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.error.contains("--update-freq must be"), bad.error)
    }
}
