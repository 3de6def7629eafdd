import CJPEG
import Foundation

/// JPEG decoding and encoding through libjpeg-turbo. The C side (Sources/CJPEG/shim.h) turns libjpeg's fatal errors
/// into return codes, so a corrupt file is an error, never a crash.
public enum JPEGCodec {
    /// Decodes JPEG bytes to gray (1 channel) when `grayscale`, else RGB.
    /// - Parameter source: the file name used in error messages.
    /// - Parameter maximumPixels: larger images are an error, checked on the header before anything is decoded
    ///   (a kilobyte file may declare 30000×30000 pixels).
    public static func decode(_ bytes: [UInt8], grayscale: Bool = false, maximumPixels: Int = ImageLimits.defaultMaximumPixels,
                              source: String) throws -> RasterImage {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        // The decoded image is held twice (libjpeg's buffer, then the array) at up to 3 bytes a pixel:
        // a header asking for more than the process may use is refused before decoding, like the pixel limit.
        let memoryPixels = MemoryBudget.availableBytes().map { $0 / 6 } ?? Int.max
        let limit = Swift.max(Swift.min(maximumPixels, memoryPixels), 0)
        let status = bytes.withUnsafeBufferPointer { buffer in
            kestrel_jpeg_decode(buffer.baseAddress, UInt(buffer.count), grayscale ? 1 : 0, UInt(limit),
                                &pixels, &width, &height, &channels, &message, Int32(message.count))
        }
        if status == 2 {
            if Int(width) * Int(height) <= maximumPixels {
                try MemoryBudget.check(bytes: Int(width) * Int(height) * 6, what: "\(source): the JPEG header declares \(width)×\(height) pixels; decoding it",
                                       fix: "resize the image or free memory")
            }
            throw DataError("\(source): the JPEG header declares \(width)×\(height) pixels, more than the limit of \(maximumPixels); pass a larger maximumPixels to read it anyway")
        }
        guard status == 0, let pixels else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DataError("\(source): not a readable JPEG (\(text))")
        }
        defer { free(pixels) }
        let count = Int(width) * Int(height) * Int(channels)
        return RasterImage(uncheckedPixels: Array(UnsafeBufferPointer(start: pixels, count: count)),
                           height: Int(height), width: Int(width), channels: Int(channels))
    }

    /// Encodes a gray or RGB image (alpha is dropped) as baseline JPEG of `quality` 1...100.
    public static func encode(_ image: RasterImage, quality: Int = 95) throws -> [UInt8] {
        let source = image.channels == 1 || image.channels == 3 ? image : image.converted(to: image.channels == 2 ? .grayscale : .rgb)
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = source.pixels.withUnsafeBufferPointer { buffer in
            kestrel_jpeg_encode(buffer.baseAddress, Int32(source.width), Int32(source.height), Int32(source.channels),
                                Int32(Swift.min(Swift.max(quality, 1), 100)), &output, &size, &message, Int32(message.count))
        }
        guard status == 0, let output else {
            throw DataError("JPEG encoding failed (\(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))")
        }
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
