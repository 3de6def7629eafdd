import Foundation
import Kestrel

/// The whole training report in one call — the page `kestrel fit` writes: verdict with evidence and
/// suggestions, learning curves, gap chart, key numbers, and with a test set the test scores, the
/// confusion matrix and per-class table, the prediction figure and the misclassified test images,
/// then the model summary.
///
/// ```swift
/// let history = try model.fit(train.normalizedX, train.y, epochs: 10, validationSplit: 0.2)
/// try Report(model: model, history: history, test: test).write(to: "report.html")
/// ```
public struct Report {
    /// The page assembled so far; change its sections (title, subtitle, multi-run…) before `write`.
    public var page: HTMLReport

    /// Evaluates `model` on `test` (when given), diagnoses `history` with those scores, and assembles the
    /// page. `classNames` overrides the test set's own class names.
    public init(model: Model, history: History, test: LabeledImages? = nil, classNames: [String]? = nil,
                title: String = "Kestrel training report", subtitle: String? = nil,
                options: DiagnosisOptions = DiagnosisOptions(), misclassifiedLimit: Int = 24, predictionCount: Int = 15) throws {
        let log = try TrainingLog(history: history)
        var test = test
        if let classNames { test?.classNames = classNames }
        var holdout: HoldoutMetrics?
        if let test, test.count > 0 {
            let result = try model.evaluate(test.normalizedX, test.y, batchSize: 256, verbose: 0)
            holdout = HoldoutMetrics(loss: result.loss,
                                     accuracy: result["accuracy"] ?? result["sparse_categorical_accuracy"] ?? result["categorical_accuracy"])
        }
        let diagnosis = CurveAnalyzer(options: options).diagnose(log, holdout: holdout)
        try self.init(model: model, log: log, diagnosis: diagnosis, heldOut: test, title: title, subtitle: subtitle, options: options,
                      misclassifiedLimit: misclassifiedLimit, predictionCount: predictionCount)
    }

    /// The page of a run already diagnosed (what `kestrel fit` uses): `heldOut` images (the test set, or the
    /// validation images, named by `heldOutName`) give the confusion matrix, the prediction figure and the
    /// misclassified images.
    public init(model: Model, log: TrainingLog, diagnosis: Diagnosis, heldOut: LabeledImages?, heldOutName: String = "test",
                title: String = "Kestrel training report", subtitle: String? = nil, options: DiagnosisOptions = DiagnosisOptions(),
                misclassifiedLimit: Int = 24, predictionCount: Int = 15) throws {
        page = HTMLReport(title: title, subtitle: subtitle, log: log, diagnosis: diagnosis, options: options)
        page.modelSummary = model.summaryText()
        guard let heldOut, heldOut.count > 0 else { return }
        let probabilities = try Self.probabilityRows(model.predict(heldOut.normalizedX, batchSize: 256), count: heldOut.count)
        let predictions = probabilities.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
        page.confusionMatrix = try ConfusionMatrix(trueLabels: heldOut.labels, predictedLabels: predictions, classNames: heldOut.classNames)
        page.heldOutName = heldOutName
        page.samplesTitle = "Misclassified \(heldOutName) images"
        page.sampleImages = try Self.misclassifiedImages(images: heldOut, predictions: predictions, limit: misclassifiedLimit)
        if predictionCount > 0, probabilities.first?.count ?? 0 > 1 {
            let shown = heldOut.slice(0..<min(predictionCount, heldOut.count))
            page.predictionFigure = try PredictionGrid(images: try Self.batch(shown), probabilities: Array(probabilities.prefix(shown.count)),
                                                       labels: shown.labels, classNames: heldOut.classNames).figure().svg
        }
    }

    /// Writes the page to `path` atomically.
    public func write(to path: String) throws { try page.write(to: URL(fileURLWithPath: path)) }

    /// Writes the page's figures as PNG files into `directory`: `curves.png` (loss and accuracy),
    /// `confusion_matrix.png` and `predictions.png` when there is a held-out set. Returns the paths written.
    @discardableResult
    public func writeFigures(to directory: String, scale: Double = 1) throws -> [String] {
        var figures: [(String, Figure)] = []
        if let log = page.log, let diagnosis = page.diagnosis {
            figures.append(("curves.png", Figure(svg: LearningCurveCharts.lossAndAccuracy(log: log, diagnosis: diagnosis))))
        }
        if let matrix = page.confusionMatrix { figures.append(("confusion_matrix.png", matrix.figure())) }
        if let predictionFigure = page.predictionFigure { figures.append(("predictions.png", Figure(svg: predictionFigure))) }
        return try figures.map { name, figure in
            let path = (directory as NSString).appendingPathComponent(name)
            try figure.write(to: path, scale: scale)
            return path
        }
    }

    /// Up to `limit` misclassified images, each a framed PNG with "T:"/"P:" captions drawn as SVG text by librsvg.
    public static func misclassifiedImages(images: LabeledImages, predictions: [Int], limit: Int = 24) throws -> [ReportImage] {
        let wrong = predictions.indices.filter { $0 < images.labels.count && predictions[$0] != images.labels[$0] }.prefix(limit)
        func name(_ label: Int) -> String { label < images.classNames.count ? images.classNames[label] : String(label) }
        return try wrong.map { index in
            let one = images.slice(index..<(index + 1))
            let grid = try ImageGrid(images: try batch(one), labels: one.labels, predictions: [predictions[index]],
                                     classNames: images.classNames, columns: 1, scale: 3)
            return ReportImage(pngData: try grid.figure().pngData(),
                               caption: "#\(index): true \(name(images.labels[index])), predicted \(name(predictions[index]))")
        }
    }

    static func batch(_ images: LabeledImages) throws -> ImageBatch {
        try ImageBatch(pixels: images.pixels.map(Float.init), shape: images.shape)
    }

    /// The model's output as one row per sample.
    static func probabilityRows(_ output: Tensor, count: Int) throws -> [[Double]] {
        guard count > 0, output.count % count == 0 else {
            throw FigureError(message: "Report: the model gave \(output.count) outputs for \(count) test images.")
        }
        let width = output.count / count
        let values = output.scalars
        return (0..<count).map { row in values[(row * width)..<((row + 1) * width)].map(Double.init) }
    }
}
