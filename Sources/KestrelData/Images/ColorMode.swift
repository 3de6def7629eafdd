/// The channels an image is converted to (Keras `color_mode`).
public enum ColorMode: String, Sendable {
    case grayscale
    case rgb
    case rgba

    /// Channels per pixel: 1, 3 or 4.
    public var channels: Int {
        switch self {
        case .grayscale: 1
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// Parses Keras's spelling: "grayscale", "rgb", "rgba".
    public init(parsing name: String) throws {
        guard let mode = ColorMode(rawValue: name.lowercased()) else {
            throw DataError.invalidArgument("colorMode", "\"\(name)\" is not one of grayscale, rgb, rgba")
        }
        self = mode
    }
}
