import Foundation
import Kestrel
import KestrelDiagnostics

/// What `kestrel predict --report` collects while predicting: the first images with their probabilities and
/// true labels, then the HTML page with the tutorial's prediction figure (and the confusion matrix when every
/// image has a true label).
struct PredictionFigure {
    let limit: Int
    private var pixels: [Float] = []
    private var shape: [Int]?
    private var probabilities: [[Double]] = []
    private var trueLabels: [Int?] = []
    private var allProbabilities: [[Double]] = []
    private var allLabels: [Int?] = []

    init(limit: Int) { self.limit = limit }

    /// Adds one image (height, width, channels; values 0…255) with its predicted probabilities.
    mutating func add(pixels image: [Float], shape imageShape: [Int], probabilities row: [Float], trueLabel: Int?) {
        let probabilities = row.map(Double.init)
        allProbabilities.append(probabilities)
        allLabels.append(trueLabel)
        guard self.probabilities.count < limit, shape == nil || shape == imageShape else { return }
        shape = imageShape
        pixels += image
        self.probabilities.append(probabilities)
        trueLabels.append(trueLabel)
    }

    /// Writes the page to `path`.
    func write(to path: String, classNames: [String]?, model: String, imageCount: Int) throws {
        guard let shape, !probabilities.isEmpty else { throw CommandFailure(message: "--report: no image to show.") }
        do {
            let batch = try ImageBatch(pixels: pixels, shape: [probabilities.count] + shape)
            let classCount = probabilities[0].count
            let names = classNames.map { $0.count >= classCount ? $0 : $0 + (($0.count)..<classCount).map(String.init) }
            let grid = try PredictionGrid(images: batch, probabilities: probabilities, trueLabels: trueLabels, classNames: names)
            let labelled = allLabels.compactMap { $0 }.count
            var page = HTMLReport(title: "Kestrel predict", subtitle: "\(model) · \(imageCount) image\(imageCount == 1 ? "" : "s")"
                                  + (probabilities.count < imageCount ? ", the first \(probabilities.count) shown" : "")
                                  + " · \(labelled == 0 ? "no true classes (images not in class folders)" : "\(labelled) with their true class from the folder name")")
            page.heldOutName = "the given"
            page.predictionFigure = try grid.figure().svg
            if labelled == allLabels.count {
                let predicted = allProbabilities.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
                page.confusionMatrix = try ConfusionMatrix(trueLabels: allLabels.compactMap { $0 }, predictedLabels: predicted,
                                                           classNames: names ?? (0..<classCount).map(String.init))
            }
            try RunArtifacts.writeReport(page, to: URL(fileURLWithPath: path))
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "--report \(path): \(error)")
        }
    }
}
