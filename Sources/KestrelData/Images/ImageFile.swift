import Foundation

/// Reads and writes image files, choosing PNG or JPEG by content (reading) or extension (writing).
public enum ImageFile {
    /// File extensions `imageDatasetFromDirectory` picks up.
    public static let supportedExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Decodes a PNG or JPEG file in its own channels; images of more than `maximumPixels` pixels are an
    /// error, checked on the file's header before decoding.
    public static func read(_ path: String, maximumPixels: Int = ImageLimits.defaultMaximumPixels) throws -> RasterImage {
        let bytes = try FileIO.readBytes(path)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNGCodec.decode(bytes, maximumPixels: maximumPixels, source: path) }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return try JPEGCodec.decode(bytes, maximumPixels: maximumPixels, source: path) }
        throw DataError("\(path): not a PNG or JPEG file (\(bytes.isEmpty ? "empty" : "unknown signature")); only PNG and JPEG are supported")
    }

    /// Writes `image` atomically as PNG (".png") or JPEG (".jpg", ".jpeg").
    public static func write(_ image: RasterImage, to path: String, quality: Int = 95) throws {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        let bytes: [UInt8]
        switch fileExtension {
        case "png": bytes = try PNGCodec.encode(image)
        case "jpg", "jpeg": bytes = try JPEGCodec.encode(image, quality: quality)
        default: throw DataError("\(path): unknown image extension \"\(fileExtension)\"; use .png, .jpg or .jpeg")
        }
        try FileIO.writeAtomically(bytes, to: path)
    }
}
