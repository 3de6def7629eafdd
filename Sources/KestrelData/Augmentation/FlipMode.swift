/// Which axes `RandomFlipTransform` may mirror (Keras `mode`).
public enum FlipMode: String, Sendable {
    case horizontal
    case vertical
    case horizontalAndVertical = "horizontal_and_vertical"

    /// Parses Keras's spelling: "horizontal", "vertical", "horizontal_and_vertical".
    public init(parsing name: String) throws {
        guard let mode = FlipMode(rawValue: name) else {
            throw DataError.invalidArgument("mode", "\"\(name)\" is not one of horizontal, vertical, horizontal_and_vertical")
        }
        self = mode
    }
}
