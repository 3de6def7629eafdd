import Foundation

/// Writes a PNG grid of images with captions, for eyeballing a dataset or a model's mistakes.
///
/// Each cell shows the image (enlarged `scale` times) above a caption. Without predictions the caption is the label
/// (its class name when `classNames` is given). With predictions it reads "T:<true>" and "P:<predicted>", and the
/// cell's frame is green when they agree and red when they do not.
/// - Parameters:
///   - images: N×H×W×C (or N×H×W) values; 0...1 when the largest value is ≤ 1, else 0...255.
///   - labels: the true class of each image.
///   - predictions: the predicted class of each image, if any.
///   - count: how many images to show (the first ones); nil shows all.
public func sampleGrid(_ images: ImageBatch, labels: [Int], predictions: [Int]? = nil, classNames: [String]? = nil,
                       count: Int? = nil, columns: Int = 8, scale: Int = 2, path: String) throws {
    guard labels.count == images.count else {
        throw DataError.invalidArgument("labels", "\(labels.count) labels for \(images.count) images")
    }
    if let predictions, predictions.count != images.count {
        throw DataError.invalidArgument("predictions", "\(predictions.count) predictions for \(images.count) images")
    }
    guard columns > 0, scale > 0 else { throw DataError.invalidArgument("columns/scale", "must be positive") }
    let shown = Swift.min(count ?? images.count, images.count)
    guard shown > 0 else { throw DataError.invalidArgument("images", "sampleGrid needs at least one image") }
    let valueScale: Float = (images.pixels.max() ?? 0) <= 1 ? 255 : 1

    let frame = 2, padding = 2, lineHeight = BitmapFont.glyphHeight + 2
    let captionLines = predictions == nil ? 1 : 2
    let cellWidth = Swift.max(images.width * scale, 6 * BitmapFont.advance) + 2 * frame
    let cellHeight = images.height * scale + 2 * frame + captionLines * lineHeight + 2
    let rows = (shown + columns - 1) / columns
    let usedColumns = Swift.min(columns, shown)
    var canvas = RGBCanvas(width: usedColumns * (cellWidth + padding) + padding, height: rows * (cellHeight + padding) + padding,
                           background: (24, 24, 24))
    func name(_ label: Int) -> String {
        if let classNames, label >= 0, label < classNames.count { return classNames[label] }
        return String(label)
    }
    for index in 0..<shown {
        let left = padding + (index % columns) * (cellWidth + padding)
        let top = padding + (index / columns) * (cellHeight + padding)
        let frameColor: (UInt8, UInt8, UInt8)
        if let predictions {
            frameColor = predictions[index] == labels[index] ? (40, 200, 60) : (220, 40, 40)
        } else {
            frameColor = (90, 90, 90)
        }
        canvas.fill(x: left, y: top, width: cellWidth, height: images.height * scale + 2 * frame, color: frameColor)
        let bytes = images.image(index).map { UInt8(Swift.min(Swift.max(($0 * valueScale).rounded(), 0), 255)) }
        let raster = RasterImage(uncheckedPixels: bytes, height: images.height, width: images.width, channels: images.channels)
        canvas.draw(raster, x: left + frame, y: top + frame, scale: scale)
        let captionTop = top + images.height * scale + 2 * frame + 2
        let textWidth = cellWidth - 2
        if let predictions {
            canvas.write("T:" + name(labels[index]), x: left + 1, y: captionTop, maximumWidth: textWidth, color: (230, 230, 230))
            canvas.write("P:" + name(predictions[index]), x: left + 1, y: captionTop + lineHeight, maximumWidth: textWidth, color: frameColor)
        } else {
            canvas.write(name(labels[index]), x: left + 1, y: captionTop, maximumWidth: textWidth, color: (230, 230, 230))
        }
    }
    let image = RasterImage(uncheckedPixels: canvas.pixels, height: canvas.height, width: canvas.width, channels: 3)
    try ImageFile.write(image, to: path)
}

/// `sampleGrid` for a loaded dataset split (its class names are used in the captions).
public func sampleGrid(_ images: LabeledImages, predictions: [Int]? = nil, count: Int? = 16, columns: Int = 8, scale: Int = 2,
                       path: String) throws {
    let shown = Swift.min(count ?? images.count, images.count)
    let imageSize = images.shape.dropFirst().reduce(1, *)
    let batch = try ImageBatch(pixels: images.pixels.prefix(shown * imageSize).map(Float.init),
                               shape: [shown] + Array(images.shape.dropFirst()))
    try sampleGrid(batch, labels: Array(images.labels.prefix(shown)), predictions: predictions.map { Array($0.prefix(shown)) },
                   classNames: images.classNames, columns: columns, scale: scale, path: path)
}
