import CPNG

/// PNG decoding and encoding through libpng's simplified API (which reports errors by return value, never by longjmp).
/// 8- and 16-bit gray, gray+alpha, RGB, RGBA and palette files are read; 16-bit samples are scaled to 8 bits.
public enum PNGCodec {
    private static let alphaFlag = UInt32(PNG_FORMAT_FLAG_ALPHA)
    private static let colorFlag = UInt32(PNG_FORMAT_FLAG_COLOR)
    private static let linearFlag = UInt32(PNG_FORMAT_FLAG_LINEAR)

    /// Decodes PNG bytes in the file's own channels.
    /// - Parameter source: the file name used in error messages.
    /// - Parameter maximumPixels: larger images are an error, checked on the header before decoding.
    public static func decode(_ bytes: [UInt8], maximumPixels: Int = ImageLimits.defaultMaximumPixels,
                              source: String) throws -> RasterImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else {
            throw DataError("\(source): not a readable PNG (\(message(of: &image)))")
        }
        let native = image.format
        let sixteenBit = native & linearFlag != 0
        let hasColor = native & colorFlag != 0, hasAlpha = native & alphaFlag != 0
        image.format = (hasColor ? colorFlag : 0) | (hasAlpha ? alphaFlag : 0) | (sixteenBit ? linearFlag : 0)
        let channels = 1 + (hasColor ? 2 : 0) + (hasAlpha ? 1 : 0)
        let width = Int(image.width), height = Int(image.height)
        let sampleCount: Int
        do {
            sampleCount = try ImageLimits.checkedValueCount(height: height, width: width, channels: channels,
                                                            maximumPixels: maximumPixels, what: "\(source) (PNG)")
            // 16-bit samples are read as UInt16 and then scaled into a second, 8-bit array.
            try MemoryBudget.check(bytes: sampleCount * (sixteenBit ? 3 : 1), what: "\(source): the PNG header declares \(width)×\(height)×\(channels)\(sixteenBit ? " 16-bit" : ""); decoding it",
                                   fix: "resize the image or free memory")
        } catch {
            png_image_free(&image)
            throw error
        }
        if !sixteenBit {
            var pixels = [UInt8](repeating: 0, count: sampleCount)
            let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard finished != 0 else { throw DataError("\(source): PNG data is corrupt (\(message(of: &image)))") }
            return RasterImage(uncheckedPixels: pixels, height: height, width: width, channels: channels)
        }
        var samples = [UInt16](repeating: 0, count: sampleCount)
        let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw DataError("\(source): PNG data is corrupt (\(message(of: &image)))") }
        var pixels = [UInt8](repeating: 0, count: sampleCount)
        for pixel in 0..<(width * height) {
            let base = pixel * channels
            let alpha = hasAlpha ? UInt32(samples[base + channels - 1]) : 65535
            for channel in 0..<channels {
                var value = UInt32(samples[base + channel])
                // libpng premultiplies colour by alpha in 16-bit linear output; undo it.
                if hasAlpha && channel < channels - 1 { value = alpha == 0 ? 0 : Swift.min(65535, value * 65535 / alpha) }
                pixels[base + channel] = UInt8((value * 255 + 32767) / 65535)
            }
        }
        return RasterImage(uncheckedPixels: pixels, height: height, width: width, channels: channels)
    }

    /// Encodes an 8-bit image as PNG.
    public static func encode(_ raster: RasterImage) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(raster.width)
        image.height = UInt32(raster.height)
        image.format = (raster.channels >= 3 ? colorFlag : 0) | (raster.channels == 2 || raster.channels == 4 ? alphaFlag : 0)
        var size = 0
        let measured = raster.pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil) }
        guard measured != 0, size > 0 else { throw DataError("PNG encoding failed (\(message(of: &image)))") }
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { destination in
            raster.pixels.withUnsafeBytes { png_image_write_to_memory(&image, destination.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }
        guard written != 0 else { throw DataError("PNG encoding failed (\(message(of: &image)))") }
        return Array(output.prefix(size))
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
