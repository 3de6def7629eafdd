import Foundation
import XCTest
import Kestrel

/// Runs the `Regression` (Auto MPG) and `OverfitUnderfit` (Higgs) examples end to end on small files of the
/// real files' formats generated here — auto-mpg.data's whitespace-aligned columns with '?' for a missing
/// horsepower and the quoted car name after a tab; HIGGS.csv.gz's gzip of header-less rows "label,28 features"
/// in scientific notation — and checks what they print and write.
final class TabularExamplesTests: XCTestCase {
    private func program(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("\(name) is not built next to the tests (swift build --build-tests builds it)")
        }
        return url
    }

    private func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try program(name)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// `count` cars in auto-mpg.data's layout; MPG falls with weight and horsepower as in the real data;
    /// every 25th car's horsepower is '?'.
    static func autoMPG(count: Int, seed: UInt64) -> String {
        var generator = RandomGenerator(seed: seed)
        var lines: [String] = []
        for car in 0..<count {
            let cylinders = [4, 4, 4, 6, 8][Int.random(in: 0..<5, using: &generator)]
            let displacement = Double(cylinders) * Double.random(in: 18...50, using: &generator)
            let horsepower = 40 + displacement * Double.random(in: 0.3...0.5, using: &generator)
            let weight = 1500 + displacement * Double.random(in: 6...9, using: &generator)
            let acceleration = 24 - horsepower / 20 + Double.random(in: -1.5...1.5, using: &generator)
            let year = Int.random(in: 70...82, using: &generator)
            let origin = cylinders == 8 ? 1 : Int.random(in: 1...3, using: &generator)
            let mpg = max(9, 60 - weight / 130 - horsepower / 12 + Double(year - 70) * 0.8 + Double.random(in: -2...2, using: &generator))
            let horsepowerText = car % 25 == 7 ? "?" : String(format: "%.1f", horsepower)
            lines.append(String(format: "%.1f   %d   %.1f      ", mpg, cylinders, displacement) + horsepowerText
                         + String(format: "      %.0f.      %.1f   %d  %d", weight, acceleration, year, origin) + "\t\"car \(car)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `count` Higgs-format rows: label (1 or 0) then 28 features, in the file's %.18e notation.
    static func higgs(count: Int, seed: UInt64) -> [UInt8] {
        var generator = RandomGenerator(seed: seed)
        var text = ""
        for _ in 0..<count {
            let features = (0..<28).map { _ in Double.random(in: -2...2, using: &generator) }
            let signal = features[0] + 0.5 * features[3] - 0.7 * features[5] + Double.random(in: -1.5...1.5, using: &generator)
            text += ([signal > 0 ? 1.0 : 0.0] + features).map { String(format: "%.18e", $0) }.joined(separator: ",") + "\n"
        }
        return Gzip.compress(Array(text.utf8))
    }

    func testRegressionExampleRunsOnAutoMPGFormatFile() throws {
        let folder = try folder("regression")
        let data = folder.appendingPathComponent("auto-mpg.data")
        try Self.autoMPG(count: 120, seed: 3).write(to: data, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out").path
        let (status, text) = try run("Regression", ["--data", data.path, "--epochs", "3", "--output", output])
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("120 rows, 5 with a missing value dropped"), text)
        XCTAssertTrue(text.contains("Train: 92 rows, test: 23 rows"), text)
        for name in ["horsepower_model", "linear_model", "dnn_horsepower_model", "dnn_model"] {
            XCTAssertTrue(text.contains(name), "\(name) missing from:\n\(text)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(name)-history.json"), name)
        }
        XCTAssertTrue(text.contains("Mean absolute error [MPG]"), text)
        XCTAssertTrue(text.contains("reloaded"), text)
        XCTAssertTrue(text.contains("Diagnosis:"), text)
        // normalizer.mean has the 9 features: 6 numeric columns and Europe, Japan, USA
        let meanLine = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("normalizer.mean:") })
        XCTAssertEqual(meanLine.split(separator: " ").count, 10, String(meanLine))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/loss-curves.png"))
        let report = try String(contentsOfFile: "\(output)/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("dnn_model Val"), "the overlaid figure labels each model's validation curve")
    }

    func testRegressionExampleNamesTheMissingFile() throws {
        let (status, text) = try run("Regression", ["--data", "/nonexistent/auto-mpg.data", "--epochs", "1"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(text.contains("auto-mpg.data"), text)
    }

    func testOverfitUnderfitExampleRunsOnHiggsFormatFile() throws {
        let folder = try folder("higgs")
        let data = folder.appendingPathComponent("HIGGS.csv.gz")
        try Data(Self.higgs(count: 700, seed: 5)).write(to: data)
        let output = folder.appendingPathComponent("out").path
        let (status, text) = try run("OverfitUnderfit", ["--data", data.path, "--validation", "100", "--train", "500", "--batch-size", "100",
                                                         "--max-epochs", "4", "--models", "tiny,small,l2,dropout", "--output", output])
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("100 validation rows, 500 training rows, 5 steps of 100 an epoch"), text)
        XCTAssertTrue(text.contains("Tiny: 4 epochs"), text)
        XCTAssertTrue(text.contains("Diagnosis (monitor val_binary_crossentropy)"), text)
        let log = try String(contentsOfFile: "\(output)/tiny-history.json", encoding: .utf8)
        for key in ["val_binary_crossentropy", "binary_crossentropy", "val_accuracy", "learning_rate"] {
            XCTAssertTrue(log.contains("\"\(key)\""), "\(key) not logged")
        }
        let report = try String(contentsOfFile: "\(output)/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("Tiny Train") && report.contains("Small Val") && report.contains("Dropout Val"), "overlaid curves with legend")
        XCTAssertTrue(report.contains("Epochs [Log Scale]"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/sizes.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/regularizers.png"))
    }

    func testOverfitUnderfitDrawsModelsTrainedInSeparateRunsAndStopsAtTheWallTimeLimit() throws {
        let folder = try folder("higgs-reuse")
        let data = folder.appendingPathComponent("HIGGS.csv.gz")
        try Data(Self.higgs(count: 700, seed: 6)).write(to: data)
        let output = folder.appendingPathComponent("out").path
        let common = ["--data", data.path, "--validation", "100", "--train", "500", "--batch-size", "100", "--output", output]
        // A zero-minute limit ends training after the first epoch and says so.
        let (first, firstText) = try run("OverfitUnderfit", common + ["--max-epochs", "50", "--models", "tiny", "--max-minutes", "0"])
        XCTAssertEqual(first, 0, firstText)
        XCTAssertTrue(firstText.contains("Tiny: stopped by --max-minutes"), firstText)
        XCTAssertTrue(firstText.contains("Tiny: 1 epochs in"), firstText)
        let (second, secondText) = try run("OverfitUnderfit", common + ["--max-epochs", "3", "--models", "large"])
        XCTAssertEqual(second, 0, secondText)
        // Both histories drawn together, neither trained again.
        let (third, thirdText) = try run("OverfitUnderfit", common + ["--models", "tiny,large", "--reuse-histories"])
        XCTAssertEqual(third, 0, thirdText)
        XCTAssertTrue(thirdText.contains("Tiny: 1 epochs read from"), thirdText)
        XCTAssertTrue(thirdText.contains("Large: 3 epochs read from"), thirdText)
        let report = try String(contentsOfFile: "\(output)/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("Tiny Train") && report.contains("Large Val"), "both runs in the overlaid figure")
    }

    func testOverfitUnderfitRefusesAFileOfTheWrongShape() throws {
        let folder = try folder("higgs-bad")
        let data = folder.appendingPathComponent("HIGGS.csv")
        try "1,2,3\n4,5,6\n".write(to: data, atomically: true, encoding: .utf8)
        let (status, text) = try run("OverfitUnderfit", ["--data", data.path, "--max-epochs", "1"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(text.contains("is it the Higgs file?"), text)
    }
}
