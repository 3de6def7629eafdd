import Foundation
import XCTest
@testable import KestrelDiagnostics

/// `HistoryPlotter` (the overfit-and-underfit tutorial's overlaid curves), `LineChart`'s log axes, and
/// `kestrel compare --curves` drawing the same from history files.
final class HistoryPlotterTests: XCTestCase {
    private func log(_ train: [Double], _ validation: [Double], metric: String = "binary_crossentropy") throws -> TrainingLog {
        try TrainingLog(series: [metric: train, "val_" + metric: validation])
    }

    func testOneColourPerModelSolidTrainingDashedValidation() throws {
        let plotter = HistoryPlotter(metric: "binary_crossentropy")
        let chart = try plotter.chart([("Tiny", try log([0.7, 0.6, 0.5], [0.71, 0.65, 0.6])), ("Large", try log([0.6, 0.3, 0.1], [0.65, 0.7, 0.8]))])
        XCTAssertEqual(chart.series.map(\.name), ["Tiny Train", "Tiny Val", "Large Train", "Large Val"])
        XCTAssertEqual(chart.series.map(\.dashed), [false, true, false, true])
        XCTAssertEqual(chart.series[0].color, chart.series[1].color)
        XCTAssertEqual(chart.series[2].color, chart.series[3].color)
        XCTAssertNotEqual(chart.series[0].color, chart.series[2].color)
        XCTAssertEqual(chart.series[0].x, [1, 2, 3], "epochs counted from 1 as the tutorial's x axis")
        XCTAssertEqual(chart.series[3].y, [0.65, 0.7, 0.8])
        let svg = chart.svg()
        XCTAssertTrue(svg.contains("stroke-dasharray"), "validation curves are dashed")
        XCTAssertTrue(svg.contains("Large Val"))
    }

    func testGaussianSmoothingMatchesHandComputedWeights() throws {
        let plotter = HistoryPlotter(metric: "loss", smoothingStd: 1)
        let smoothed = plotter.smoothed([0, 0, 1, 0, 0])
        // centre: 1 / (1 + 2e^-1/2 + 2e^-2) (the weights of offsets 0, ±1, ±2 inside the series)
        XCTAssertEqual(smoothed[2], 1 / (1 + 2 * exp(-0.5) + 2 * exp(-2)), accuracy: 1e-12)
        // first value: its window (4σ) holds offsets 0…4, renormalised → e^-2 / (1 + e^-1/2 + e^-2 + e^-9/2 + e^-8)
        XCTAssertEqual(smoothed[0], exp(-2) / (1 + exp(-0.5) + exp(-2) + exp(-4.5) + exp(-8)), accuracy: 1e-12)
        for value in plotter.smoothed([3, 3, 3, 3]) { XCTAssertEqual(value, 3, accuracy: 1e-12) }
        XCTAssertEqual(HistoryPlotter(metric: "loss").smoothed([1, 5, 2]), [1, 5, 2], "no smoothing by default")
    }

    func testLogEpochAxisPlacesDecadesEvenlyAndYRangeHidesOutsideValues() throws {
        var plotter = HistoryPlotter(metric: "loss")
        plotter.logX = true
        plotter.yRange = 0.5...0.7
        let values = (1...1000).map { 0.4 + 0.3 / Double($0).squareRoot() }
        let chart = try plotter.chart([("Tiny", try log(values, values, metric: "loss"))])
        XCTAssertTrue(chart.logX)
        XCTAssertEqual(chart.xLabel, "Epochs [Log Scale]")
        XCTAssertEqual(chart.series[0].y.filter(\.isNaN).count, values.filter { !(0.5...0.7).contains($0) }.count)
        let svg = chart.svg()
        for label in [">1<", ">10<", ">100<", ">1000<"] { XCTAssertTrue(svg.contains(label), "tick \(label) on the log axis") }
        // decades are equally far apart
        let positions = try [">1<", ">10<", ">100<", ">1000<"].map { label -> Double in
            let range = try XCTUnwrap(svg.range(of: label))
            let before = svg[..<range.lowerBound]
            let xAttribute = try XCTUnwrap(before.range(of: "x=\"", options: .backwards))
            return try XCTUnwrap(Double(before[xAttribute.upperBound...].prefix { $0 != "\"" }))
        }
        XCTAssertEqual(positions[1] - positions[0], positions[2] - positions[1], accuracy: 0.5)
        XCTAssertEqual(positions[2] - positions[1], positions[3] - positions[2], accuracy: 0.5)
    }

    func testMistakesThrowNamingTheRun() throws {
        XCTAssertThrowsError(try HistoryPlotter().chart([])) { XCTAssertTrue("\($0)".contains("no histories")) }
        XCTAssertThrowsError(try HistoryPlotter(metric: "accuracy").chart([("Tiny", try log([1], [1]))])) { error in
            XCTAssertTrue("\(error)".contains("'Tiny' has no 'accuracy'; it has binary_crossentropy, val_binary_crossentropy"), "\(error)")
        }
        XCTAssertThrowsError(try HistoryPlotter(metric: "binary_crossentropy", smoothingStd: -1).chart([("Tiny", try log([1], [1]))]))
    }

    func testCompareCommandDrawsTheOverlaidCurvesFromHistoryFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plotter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tiny = folder.appendingPathComponent("tiny-history.json"), large = folder.appendingPathComponent("large-history.json")
        let epochs = 30
        try HistoryFile.json(try TrainingLog(series: [
            "loss": (0..<epochs).map { 0.7 - 0.003 * Double($0) }, "val_loss": (0..<epochs).map { 0.7 - 0.0025 * Double($0) },
            "binary_crossentropy": (0..<epochs).map { 0.69 - 0.003 * Double($0) }, "val_binary_crossentropy": (0..<epochs).map { 0.69 - 0.0025 * Double($0) },
        ])).write(to: tiny)
        try HistoryFile.json(try TrainingLog(series: [
            "loss": (0..<epochs).map { 0.6 / Double($0 + 1) }, "val_loss": (0..<epochs).map { 0.6 + 0.01 * Double($0) },
            "binary_crossentropy": (0..<epochs).map { 0.6 / Double($0 + 1) }, "val_binary_crossentropy": (0..<epochs).map { 0.6 + 0.01 * Double($0) },
        ])).write(to: large)
        let output = folder.appendingPathComponent("compare.html").path
        let result = try KestrelExecutable.run(["compare", "Tiny=\(tiny.path)", "Large=\(large.path)", "--curves", "binary_crossentropy",
                                                "--smoothing-std", "2", "--log-x", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        let page = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(page.contains("Tiny Train") && page.contains("Large Val") && page.contains("Epochs [Log Scale]"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("compare-curves.png").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("compare-curves.svg").path))
        let missing = try KestrelExecutable.run(["compare", "Tiny=\(tiny.path)", "--curves", "accuracy", "--output", output])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("'Tiny' has no 'accuracy'"), missing.error)
        let half = try KestrelExecutable.run(["compare", "Tiny=\(tiny.path)", "--curves", "loss", "--y-min", "0.5", "--output", output])
        XCTAssertTrue(half.error.contains("--y-min and --y-max together"), half.error)
    }
}
