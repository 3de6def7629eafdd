import Foundation
import KestrelData

/// A finished figure (an SVG document) that can be written as `.svg` or, rasterised by librsvg, `.png`
/// — what `history.plot(to:)`, `ConfusionMatrix.plot(to:)` and `PredictionGrid` produce.
public struct Figure: Sendable, Equatable {
    /// The SVG document.
    public var svg: String

    /// A figure from an SVG document.
    public init(svg: String) { self.svg = svg }

    /// The figure as PNG bytes (`scale` 2 doubles the pixels for sharp text).
    public func pngData(scale: Double = 1) throws -> Data { try SVGRasterizer.png(fromSVG: svg, scale: scale) }

    /// Writes the figure to `path`, its format from the extension (`.png` or `.svg`), atomically.
    /// - Throws: `FigureError` for another extension, a `KestrelError` naming the path when the file cannot be written.
    public func write(to path: String, scale: Double = 1) throws {
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "svg": try AtomicFile.write(svg, to: path)
        case "png": try AtomicFile.write(try pngData(scale: scale), to: path)
        default:
            throw FigureError(message: "Cannot tell the figure format of '\(path)': end the name in .png or .svg.")
        }
    }
}
