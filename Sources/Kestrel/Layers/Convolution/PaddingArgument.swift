/// The `padding:` argument of the convolution and pooling layers, written as Keras writes it: the string
/// `"same"` or `"valid"` (any case, as Keras lowercases it) or the shorthand `.same` / `.valid`.
///
/// A string that names no padding is kept as given; the layer reports it, with the valid names, when it is
/// added to a model or built (as an unknown activation name is), instead of silently using 'valid'.
public struct PaddingArgument: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The padding, or nil for a string that names none.
    public let padding: Padding?
    /// The text as written (for the error message).
    public let text: String

    /// No padding (Keras's default).
    public static let valid = PaddingArgument(.valid)
    /// Zero padding so the output has ceil(input / stride) positions.
    public static let same = PaddingArgument(.same)

    /// A padding value, e.g. one read from a file.
    public init(_ padding: Padding) {
        self.padding = padding
        self.text = padding.rawValue
    }

    /// Keras's spelling, `"same"` or `"valid"`.
    public init(stringLiteral value: String) {
        self.padding = Padding(rawValue: value.lowercased())
        self.text = value
    }

    /// The padding to use, 'valid' for an unknown string (the layer has already recorded the problem).
    var resolved: Padding { padding ?? .valid }
}

extension Layer {
    /// Records an unknown padding string as an argument problem of this layer.
    func requirePadding(_ padding: PaddingArgument) {
        requireArgument(padding.padding != nil, "padding", mustBe: "'valid' or 'same'", got: "'\(padding.text)'")
    }
}
