import Foundation
import KestrelData

/// The TensorFlow classification tutorial's prediction figure: test images in a grid, each with the
/// bar chart of its class probabilities beside it — the true class's bar blue, a wrong predicted
/// class's bar red, the rest grey — and under the image "predicted (confidence) true", blue when
/// right and red when wrong. An image whose true class is unknown (`trueLabels` nil) gets its predicted
/// bar dark grey and the caption "predicted (confidence)".
public struct PredictionGrid: Sendable {
    /// The images (values 0…1 or 0…255).
    public var images: ImageBatch
    /// One row of class probabilities per image (the model's softmax output).
    public var probabilities: [[Double]]
    /// One true label per image, nil where it is not known.
    public var trueLabels: [Int?]
    /// The class names (numbers otherwise).
    public var classNames: [String]
    /// Image-and-bars pairs per row (the tutorial uses 3).
    public var columns: Int

    static let blue = "#1f77b4", red = "#d62728", grey = "#777777", unknown = "#333333"

    /// A grid; throws when the counts disagree or a probability row has the wrong length.
    public init(images: ImageBatch, probabilities: [[Double]], labels: [Int], classNames: [String]? = nil,
                columns: Int = 3) throws {
        try self.init(images: images, probabilities: probabilities, trueLabels: labels.map { $0 }, classNames: classNames, columns: columns)
    }

    /// A grid where some (or all) true classes are unknown (nil); throws as `init(images:probabilities:labels:…)`.
    public init(images: ImageBatch, probabilities: [[Double]], trueLabels labels: [Int?], classNames: [String]? = nil,
                columns: Int = 3) throws {
        guard images.count > 0, probabilities.count == images.count, labels.count == images.count else {
            throw FigureError(message: "PredictionGrid: \(images.count) images, \(probabilities.count) probability rows and \(labels.count) labels; pass one of each per image (at least one).")
        }
        let classCount = probabilities[0].count
        guard classCount > 0, probabilities.allSatisfy({ $0.count == classCount }) else {
            throw FigureError(message: "PredictionGrid: every probability row must have the same, non-zero number of classes.")
        }
        guard labels.allSatisfy({ $0.map { (0..<classCount).contains($0) } ?? true }) else {
            throw FigureError(message: "PredictionGrid: labels must be class indices 0..<\(classCount).")
        }
        guard columns > 0 else { throw FigureError(message: "PredictionGrid: columns must be positive, got \(columns).") }
        self.images = images
        self.probabilities = probabilities
        self.trueLabels = labels
        self.classNames = classNames ?? (0..<classCount).map(String.init)
        self.columns = columns
    }

    /// The predicted class of image `index` (the highest probability).
    public func predicted(_ index: Int) -> Int {
        probabilities[index].indices.max { probabilities[index][$0] < probabilities[index][$1] } ?? 0
    }

    /// The caption of image `index`: "predicted 87% (true)", as the tutorial prints it ("predicted 87%"
    /// when the true class is unknown).
    public func caption(_ index: Int) -> String {
        let guess = predicted(index)
        let probability = Double(probabilities[index][guess])
        // A model that diverged predicts NaN or infinities: the caption says so instead of trapping in Int(_:).
        let confidence = probability.isFinite ? "\(Int((100 * min(max(probability, 0), 1)).rounded()))%" : "NaN"
        return "\(name(guess)) \(confidence)" + (trueLabels[index].map { " (\(name($0)))" } ?? "")
    }

    private func name(_ label: Int) -> String { label < classNames.count ? classNames[label] : String(label) }

    /// The grid as a figure.
    public func figure() throws -> Figure {
        let scale = max(1, 84 / max(images.height, 1))
        let imageSide = Double(images.height * scale), imageWidth = Double(images.width * scale)
        let barsWidth = max(120.0, Double(probabilities[0].count) * 12), gap = 12.0
        let cellWidth = imageWidth + gap + barsWidth + 24, cellHeight = imageSide + 40
        let rows = (images.count + columns - 1) / columns
        let width = Double(min(columns, images.count)) * cellWidth + 8
        let height = Double(rows) * cellHeight + 8
        var svg = SVGWriter()
        for index in 0..<images.count {
            let left = 8 + Double(index % columns) * cellWidth
            let top = 8 + Double(index / columns) * cellHeight
            try drawCell(&svg, index: index, left: left, top: top, imageWidth: imageWidth, imageSide: imageSide, scale: scale,
                         barsLeft: left + imageWidth + gap, barsWidth: barsWidth)
        }
        return Figure(svg: svg.document(width: width, height: height, title: "Predictions"))
    }

    private func drawCell(_ svg: inout SVGWriter, index: Int, left: Double, top: Double, imageWidth: Double, imageSide: Double,
                          scale: Int, barsLeft: Double, barsWidth: Double) throws {
        let guess = predicted(index), truth = trueLabels[index]
        let right = guess == truth
        svg.image(try EmbeddedImage.dataURI(images, index: index, scale: scale), left, top, imageWidth, imageSide)
        svg.rect(left, top, imageWidth, imageSide, fill: "none", stroke: "#bbbbbb")
        // The caption is centred under the image and its bars together, squeezed to fit the pair.
        svg.text(caption(index), (left + barsLeft + barsWidth) / 2, top + imageSide + 26, size: 11, anchor: .middle,
                 fill: truth == nil ? Self.unknown : (right ? Self.blue : Self.red), maximumWidth: barsLeft + barsWidth - left)
        // The bar chart: probability 0…1 up, one bar per class, class numbers under the bars.
        let values = probabilities[index]
        let slot = barsWidth / Double(values.count)
        svg.line(barsLeft, top + imageSide, barsLeft + barsWidth, top + imageSide, stroke: ChartPalette.axis)
        svg.line(barsLeft, top, barsLeft + barsWidth, top, stroke: ChartPalette.grid)
        for (classIndex, probability) in values.enumerated() {
            let barHeight = max(0, min(1, probability.isFinite ? probability : 0)) * imageSide
            let color = classIndex == truth ? Self.blue : (classIndex == guess ? (truth == nil ? Self.unknown : Self.red) : Self.grey)
            svg.rect(barsLeft + Double(classIndex) * slot + slot * 0.15, top + imageSide - barHeight, slot * 0.7, barHeight,
                     fill: color, title: "\(name(classIndex)): \(DiagnosticsFormat.number(probability))")
            svg.text(String(classIndex), barsLeft + (Double(classIndex) + 0.5) * slot, top + imageSide + 11, size: 8,
                     anchor: .middle, fill: ChartPalette.mutedText)
        }
    }

    /// Writes the figure to `path` (`.png` or `.svg`).
    public func write(to path: String) throws { try figure().write(to: path) }
}
