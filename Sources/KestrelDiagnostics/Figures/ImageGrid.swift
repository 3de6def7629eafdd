import Foundation
import KestrelData

/// A grid of dataset images with their labels (and predictions) as a figure, like `plt.imshow` in a
/// subplot grid: each image framed (green when predicted right, red when wrong, grey without
/// predictions) and captioned in SVG text ("T: true" / "P: predicted"), written as PNG through librsvg.
public struct ImageGrid: Sendable {
    /// The images drawn.
    public var images: ImageBatch
    /// One true label per image.
    public var labels: [Int]
    /// One predicted label per image, or nil.
    public var predictions: [Int]?
    /// Names for the labels (the label number otherwise).
    public var classNames: [String]?
    /// Images per row.
    public var columns: Int
    /// Screen pixels per image pixel.
    public var scale: Int

    /// A grid; throws when the label or prediction counts differ from the image count.
    public init(images: ImageBatch, labels: [Int], predictions: [Int]? = nil, classNames: [String]? = nil,
                columns: Int = 8, scale: Int = 2) throws {
        guard labels.count == images.count else {
            throw FigureError(message: "ImageGrid: \(labels.count) labels for \(images.count) images; pass one label per image.")
        }
        if let predictions, predictions.count != images.count {
            throw FigureError(message: "ImageGrid: \(predictions.count) predictions for \(images.count) images; pass one per image.")
        }
        guard columns > 0, (1...16).contains(scale) else {
            throw FigureError(message: "ImageGrid: columns must be positive and scale 1…16, got \(columns) and \(scale).")
        }
        guard images.count > 0 else { throw FigureError(message: "ImageGrid needs at least one image.") }
        self.images = images
        self.labels = labels
        self.predictions = predictions
        self.classNames = classNames
        self.columns = columns
        self.scale = scale
    }

    private func name(_ label: Int) -> String {
        if let classNames, label >= 0, label < classNames.count { return classNames[label] }
        return String(label)
    }

    /// The grid as a figure.
    public func figure() throws -> Figure {
        let frame = 2.0, padding = 4.0, lineHeight = 14.0
        let captionLines = predictions == nil ? 1.0 : 2.0
        let imageWidth = Double(images.width * scale), imageHeight = Double(images.height * scale)
        let cellWidth = max(imageWidth, 64) + 2 * frame
        let cellHeight = imageHeight + 2 * frame + captionLines * lineHeight + 4
        let usedColumns = min(columns, images.count)
        let rows = (images.count + columns - 1) / columns
        var svg = SVGWriter()
        svg.rect(0, 0, Double(usedColumns) * (cellWidth + padding) + padding, Double(rows) * (cellHeight + padding) + padding,
                 fill: "#181818")
        for index in 0..<images.count {
            let left = padding + Double(index % columns) * (cellWidth + padding)
            let top = padding + Double(index / columns) * (cellHeight + padding)
            let color: String
            if let predictions { color = predictions[index] == labels[index] ? "#28c83c" : "#dc2828" } else { color = "#5a5a5a" }
            svg.rect(left, top, cellWidth, imageHeight + 2 * frame, fill: color)
            svg.image(try EmbeddedImage.dataURI(images, index: index, scale: scale),
                      left + (cellWidth - imageWidth) / 2, top + frame, imageWidth, imageHeight)
            let captionTop = top + imageHeight + 2 * frame + 12
            if let predictions {
                svg.text("T: " + name(labels[index]), left + 1, captionTop, size: 11, fill: "#e6e6e6", maximumWidth: cellWidth - 2)
                svg.text("P: " + name(predictions[index]), left + 1, captionTop + lineHeight, size: 11, fill: color,
                         maximumWidth: cellWidth - 2)
            } else {
                svg.text(name(labels[index]), left + 1, captionTop, size: 11, fill: "#e6e6e6", maximumWidth: cellWidth - 2)
            }
        }
        let width = Double(usedColumns) * (cellWidth + padding) + padding
        let height = Double(rows) * (cellHeight + padding) + padding
        return Figure(svg: svg.document(width: width, height: height, title: "Sample images"))
    }

    /// Writes the grid to `path` (`.png` or `.svg`).
    public func write(to path: String) throws { try figure().write(to: path) }
}

/// Writes a grid of `images` with their labels (and predictions) to `path` (`.png` or `.svg`), as
/// `plt.imshow` grids in the Keras tutorials.
public func sampleGrid(_ images: ImageBatch, labels: [Int], predictions: [Int]? = nil, classNames: [String]? = nil,
                       count: Int? = nil, columns: Int = 8, scale: Int = 2, path: String) throws {
    let shown = min(count ?? images.count, images.count)
    guard shown > 0 else { throw FigureError(message: "sampleGrid needs at least one image.") }
    guard labels.count == images.count else {
        throw FigureError(message: "sampleGrid: \(labels.count) labels for \(images.count) images; pass one label per image.")
    }
    if let predictions, predictions.count != images.count {
        throw FigureError(message: "sampleGrid: \(predictions.count) predictions for \(images.count) images; pass one per image.")
    }
    let batch = try ImageBatch(pixels: Array(images.pixels.prefix(shown * images.imageSize)),
                               shape: [shown, images.height, images.width, images.channels])
    try ImageGrid(images: batch, labels: Array(labels.prefix(shown)), predictions: predictions.map { Array($0.prefix(shown)) },
                  classNames: classNames, columns: columns, scale: scale).write(to: path)
}

/// `sampleGrid` for a loaded dataset split (its class names are used in the captions).
public func sampleGrid(_ images: LabeledImages, predictions: [Int]? = nil, count: Int? = 16, columns: Int = 8, scale: Int = 2,
                       path: String) throws {
    let shown = min(count ?? images.count, images.count)
    let imageSize = images.shape.dropFirst().reduce(1, *)
    let batch = try ImageBatch(pixels: images.pixels.prefix(shown * imageSize).map(Float.init),
                               shape: [shown] + Array(images.shape.dropFirst()))
    try sampleGrid(batch, labels: Array(images.labels.prefix(shown)), predictions: predictions.map { Array($0.prefix(shown)) },
                   classNames: images.classNames, columns: columns, scale: scale, path: path)
}
