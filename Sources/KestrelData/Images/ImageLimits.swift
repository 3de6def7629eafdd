/// How large an image Kestrel decodes or makes: a decoded image costs height × width × channels bytes
/// however small its file is, so sizes from headers, arguments and command lines are checked first.
public enum ImageLimits {
    /// Pixels (height × width) an image may have unless the caller raises the limit: 2^28, e.g. 16384×16384.
    public static let defaultMaximumPixels = 1 << 28

    /// height × width × channels, or a thrown error naming `what` when a size is not positive, the
    /// product overflows, or the image has more than `maximumPixels` pixels.
    public static func checkedValueCount(height: Int, width: Int, channels: Int,
                                         maximumPixels: Int = defaultMaximumPixels, what: String) throws -> Int {
        guard height > 0, width > 0, channels > 0 else {
            throw DataError("\(what): a \(height)×\(width)×\(channels) image is empty; sizes must be positive")
        }
        let (pixels, overflow) = height.multipliedReportingOverflow(by: width)
        guard !overflow, pixels <= maximumPixels else {
            throw DataError("\(what): a \(height)×\(width) image is larger than the limit of \(maximumPixels) pixels; pass a larger maximumPixels to read it anyway")
        }
        let (values, valuesOverflow) = pixels.multipliedReportingOverflow(by: channels)
        guard !valuesOverflow else { throw DataError("\(what): a \(height)×\(width)×\(channels) image has too many values to count") }
        return values
    }
}
