import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// Figures as files: SVG rasterised to PNG by librsvg, decoded back with libpng and looked at pixel by pixel.
final class FigureTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func pixel(_ image: RasterImage, _ x: Int, _ y: Int) -> [Int] {
        let base = (y * image.width + x) * image.channels
        return image.pixels[base..<(base + min(image.channels, 3))].map(Int.init)
    }

    /// How many pixels are within `tolerance` of `hex` in every channel.
    private func count(_ image: RasterImage, near hex: String, tolerance: Int = 24) -> Int {
        let value = Int(hex.dropFirst(), radix: 16)!
        let target = [(value >> 16) & 255, (value >> 8) & 255, value & 255]
        var total = 0
        for y in 0..<image.height {
            for x in 0..<image.width where zip(pixel(image, x, y), target).allSatisfy({ abs($0 - $1) <= tolerance }) { total += 1 }
        }
        return total
    }

    func testHistoryPlotWritesPNGAndSVGWithBlueTrainAndOrangeValidation() throws {
        let directory = try temporaryDirectory()
        let log = try TrainingLogReader.read(contentsOf: Fixtures.url("keras_csvlogger_overfit.csv"))
        let png = directory.appendingPathComponent("curves.png").path
        try log.figure().write(to: png)
        let image = try ImageFile.read(png)
        XCTAssertEqual([image.width, image.height], [1040, 360], "two 520×360 panels side by side")
        XCTAssertEqual(pixel(image, 2, 2), [255, 255, 255], "white background")
        XCTAssertGreaterThan(count(image, near: "#1f77b4"), 500, "training curves in matplotlib blue")
        XCTAssertGreaterThan(count(image, near: "#ff7f0e"), 500, "validation curves in matplotlib orange")

        let svg = directory.appendingPathComponent("curves.svg").path
        try log.figure().write(to: svg)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(text.contains("stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"7 4\""), "validation: orange and dashed")
        XCTAssertTrue(text.contains("stroke=\"#1f77b4\" stroke-width=\"2\" stroke-linejoin"), "training: blue and solid")

        let doubled = try ImageFile.read(try { let path = directory.appendingPathComponent("x2.png").path
            try log.figure().write(to: path, scale: 2); return path }())
        XCTAssertEqual([doubled.width, doubled.height], [2080, 720])
    }

    func testHistoryPlotFromFitAndErrors() throws {
        let history = History()
        var logs: [String: Double] = ["loss": 1, "val_loss": 1.2, "accuracy": 0.5, "val_accuracy": 0.4]
        history.onEpochEnd(0, logs: &logs)
        logs = ["loss": 0.5, "val_loss": 0.9, "accuracy": 0.8, "val_accuracy": 0.6]
        history.onEpochEnd(1, logs: &logs)
        let directory = try temporaryDirectory()
        try history.plot(to: directory.appendingPathComponent("h.png").path)
        XCTAssertEqual(try ImageFile.read(directory.appendingPathComponent("h.png").path).width, 1040)
        XCTAssertThrowsError(try history.plot(to: directory.appendingPathComponent("h.jpg").path)) { error in
            XCTAssertTrue(String(describing: error).contains(".png or .svg"))
        }
        XCTAssertThrowsError(try history.plot(to: "/nonexistent-folder/h.png"))
        XCTAssertThrowsError(try SVGRasterizer.png(fromSVG: "<svg"))
        XCTAssertThrowsError(try SVGRasterizer.png(fromSVG: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"10\"/>"))
        XCTAssertThrowsError(try Figure(svg: "<svg/>").pngData(scale: 0))
    }

    func testConfusionMatrixPlot() throws {
        let matrix = try ConfusionMatrix(counts: [[50, 3], [7, 40]], classNames: ["cat", "dog"])
        let path = try temporaryDirectory().appendingPathComponent("cm.png").path
        try matrix.plot(to: path)
        let image = try ImageFile.read(path)
        XCTAssertGreaterThan(image.width, 100)
        // The darkest "Blues" cell (50 of 53) is drawn.
        XCTAssertGreaterThan(count(image, near: ConfusionMatrixHeatmap.blues(50.0 / 53), tolerance: 6), 400)
    }

    func testSampleGridFramesImagesAndCaptionsInSVGText() throws {
        let directory = try temporaryDirectory()
        let images = try ImageBatch(pixels: [Float](repeating: 0.5, count: 3 * 4 * 4), shape: [3, 4, 4])
        let path = directory.appendingPathComponent("grid.png").path
        try sampleGrid(images, labels: [0, 1, 2], predictions: [0, 2, 2], classNames: ["cat", "dog", "bird"], columns: 2, path: path)
        let grid = try ImageFile.read(path)
        // Cells 64 + 2·2 wide, 4 px padding: two columns; two rows of 8 + 4 + 2·14 + 4 high cells.
        XCTAssertEqual([grid.width, grid.height], [2 * (68 + 4) + 4, 2 * (44 + 4) + 4])
        XCTAssertEqual(pixel(grid, 5, 5), [0x28, 0xc8, 0x3c], "first cell: right, green frame")
        XCTAssertEqual(pixel(grid, 4 + 72 + 1, 5), [0xdc, 0x28, 0x28], "second cell: wrong, red frame")
        XCTAssertEqual(pixel(grid, 4 + 30 + 2, 4 + 2 + 3), [128, 128, 128], "image pixel 0.5 → 128, enlarged ×2")
        let svg = try ImageGrid(images: images, labels: [0, 1, 2], predictions: [0, 2, 2], classNames: ["cat", "dog", "bird"]).figure().svg
        XCTAssertTrue(svg.contains(">T: dog</text>") && svg.contains(">P: bird</text>"), "captions are SVG text")
        XCTAssertThrowsError(try sampleGrid(images, labels: [0], path: path))
        let loaded = LabeledImages(pixels: [UInt8](repeating: 9, count: 2 * 28 * 28), shape: [2, 28, 28], labels: [0, 1], classNames: ["x", "y"])
        try sampleGrid(loaded, path: directory.appendingPathComponent("dataset.png").path)
        XCTAssertEqual(try ImageFile.read(directory.appendingPathComponent("dataset.png").path).height, 4 + (56 + 4 + 14 + 4) + 4)
    }

    func testLabelsAvoidCurves() {
        // A horizontal curve through the first candidate's box: the second candidate is chosen.
        var placement = LabelPlacement(polylines: [[(0, 100), (400, 100)]], bounds: .init(minX: 0, minY: 0, maxX: 400, maxY: 300))
        let crossed = LabelPlacement.Box(text: "best val_loss 0.5", x: 50, y: 104, size: 11, anchor: .start)
        let clear = LabelPlacement.Box(text: "best val_loss 0.5", x: 50, y: 140, size: 11, anchor: .start)
        XCTAssertEqual(placement.crossings(crossed), 1)
        XCTAssertEqual(placement.crossings(clear), 0)
        XCTAssertEqual(placement.choose([crossed, clear]), 1)
        // The same spot is now taken: a later label goes elsewhere.
        let other = LabelPlacement.Box(text: "lr 0.1", x: 300, y: 200, size: 10, anchor: .start)
        XCTAssertEqual(placement.choose([clear, other]), 1)
        XCTAssertTrue(LabelPlacement.segment((0, 0), (10, 10), crosses: .init(minX: 4, minY: 4, maxX: 6, maxY: 6)))
        XCTAssertFalse(LabelPlacement.segment((0, 0), (10, 0), crosses: .init(minX: 4, minY: 4, maxX: 6, maxY: 6)))
    }
}
