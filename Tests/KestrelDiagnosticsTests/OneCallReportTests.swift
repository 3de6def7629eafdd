import Foundation
import XCTest
import Kestrel
import KestrelDiagnostics

/// `Report(model:history:test:)`: the page `kestrel fit` writes, from a user's own program.
final class OneCallReportTests: XCTestCase {
    /// 4×4 images of two classes: class 1 bright on the left half, class 0 on the right half.
    private func images(count: Int, seed: UInt64) -> LabeledImages {
        var generator = RandomGenerator(seed: seed)
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 2
            labels.append(label)
            for _ in 0..<4 {
                for column in 0..<4 {
                    let bright = (column < 2) == (label == 1)
                    pixels.append(UInt8(max(0, min(255, (bright ? 200 : 40) + 30 * generator.nextNormal()))))
                }
            }
        }
        return LabeledImages(pixels: pixels, shape: [count, 4, 4], labels: labels, classNames: ["right", "left"])
    }

    func testOneCallMakesTheFitPageWithPredictionsAndMisclassifiedImages() throws {
        Kestrel.setRandomSeed(3)
        let train = images(count: 80, seed: 1), test = images(count: 30, seed: 2)
        let model = try Sequential {
            Input(shape: [4, 4])
            Flatten()
            Dense(2, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        let history = try model.fit(train.normalizedX, train.y, epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Report(model: model, history: history, test: test, classNames: ["R", "L"], predictionCount: 6)
        let path = directory.appendingPathComponent("report.html").path
        try report.write(to: path)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        for part in ["id=\"verdict\"", "Learning curves", "Held-out test set", "Per-class view", "Predictions on test images",
                     "data-series=\"val_loss\"", "Model"] {
            XCTAssertTrue(html.contains(part), part)
        }
        // Six prediction cells, each captioned "predicted NN% (true)" with the overridden class names.
        XCTAssertEqual(html.components(separatedBy: "<image ").count - 1, 6)
        XCTAssertNotNil(html.range(of: #">[RL] \d{1,3}% \([RL]\)</text>"#, options: .regularExpression))
        let wrong = (report.page.confusionMatrix?.total ?? 0) - Int((report.page.confusionMatrix?.accuracy ?? 0) * 30 + 0.5)
        XCTAssertEqual(report.page.sampleImages.count, min(wrong, 24))
        if wrong > 0 { XCTAssertTrue(html.contains("Misclassified test images")) }
        XCTAssertTrue(report.page.sampleImages.allSatisfy(\.looksLikePNG))
        let figures = try report.writeFigures(to: directory.path)
        XCTAssertEqual(figures.map { URL(fileURLWithPath: $0).lastPathComponent }, ["curves.png", "confusion_matrix.png", "predictions.png"])
    }
}
