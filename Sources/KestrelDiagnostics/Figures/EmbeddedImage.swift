import Foundation
import KestrelData

/// One small image (a dataset sample) prepared for a figure: pixels scaled to bytes, each pixel
/// repeated `scale`×`scale` times (nearest neighbour, so the digits stay crisp), PNG-encoded by libpng,
/// and placed in the SVG as a `data:` URI.
enum EmbeddedImage {
    /// The `data:image/png;base64,…` URI of one image from a batch (values 0…1 or 0…255).
    static func dataURI(_ images: ImageBatch, index: Int, scale: Int) throws -> String {
        let valueScale: Float = (images.pixels.max() ?? 0) <= 1 ? 255 : 1
        let bytes = images.image(index).map { UInt8(min(max(($0 * valueScale).rounded(), 0), 255)) }
        return try dataURI(bytes: bytes, height: images.height, width: images.width, channels: images.channels, scale: scale)
    }

    /// The URI of 8-bit pixels (`height`×`width`×`channels`) enlarged by `scale`.
    static func dataURI(bytes: [UInt8], height: Int, width: Int, channels: Int, scale: Int) throws -> String {
        var enlarged = [UInt8](repeating: 0, count: bytes.count * scale * scale)
        let outputWidth = width * scale
        for row in 0..<(height * scale) {
            for column in 0..<outputWidth {
                let source = ((row / scale) * width + column / scale) * channels
                let target = (row * outputWidth + column) * channels
                for channel in 0..<channels { enlarged[target + channel] = bytes[source + channel] }
            }
        }
        let raster = try RasterImage(pixels: enlarged, height: height * scale, width: outputWidth, channels: channels)
        return "data:image/png;base64," + Data(try PNGCodec.encode(raster)).base64EncodedString()
    }
}
