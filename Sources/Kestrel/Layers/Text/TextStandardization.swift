/// How `TextVectorization` standardizes each text before splitting it (Keras's `standardize`).
public enum TextStandardization: Sendable {
    /// ASCII letters lower-cased, then ASCII punctuation removed (Keras's default `"lower_and_strip_punctuation"`).
    case lowerAndStripPunctuation
    /// ASCII letters lower-cased (`"lower"`; as TensorFlow's `tf.strings.lower`, other letters are kept).
    case lower
    /// ASCII punctuation ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`` removed (`"strip_punctuation"`).
    case stripPunctuation
    /// The text as given (Keras's `None`).
    case none
    /// A function of yours (Keras's callable); `name` is what the `.keras` file records (the Python
    /// function's name when the file comes from Keras).
    case custom(name: String, @Sendable (String) -> String)
    /// A custom function named in a loaded file, not yet given: set `layer.standardize = .custom(name:…)`
    /// before calling the layer (Kestrel cannot run the Python function the file names).
    case unresolved(name: String)

    /// Keras's string for this standardization, or its function's name.
    public var kerasName: String? {
        switch self {
        case .lowerAndStripPunctuation: return "lower_and_strip_punctuation"
        case .lower: return "lower"
        case .stripPunctuation: return "strip_punctuation"
        case .none: return nil
        case .custom(let name, _), .unresolved(let name): return name
        }
    }

    /// The standardization Keras names `name` (`nil` for none); throws for other names.
    public static func named(_ name: String?) throws -> TextStandardization {
        switch name {
        case nil: return .none
        case "lower_and_strip_punctuation": return .lowerAndStripPunctuation
        case "lower": return .lower
        case "strip_punctuation": return .stripPunctuation
        case let other?:
            throw KestrelError.invalidArgument("standardize: '\(other)' is not one of lower_and_strip_punctuation, lower, strip_punctuation or none; pass .custom(name:_:) for your own function.")
        }
    }

    /// Whether `byte` is one of Python's `string.punctuation` (the bytes Keras's regular expression removes).
    static func isPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }

    /// The standardized UTF-8 bytes of `text`; throws for an unresolved custom function.
    func apply(_ text: String, layer: String) throws -> [UInt8] {
        switch self {
        case .none: return Array(text.utf8)
        case .custom(_, let function): return Array(function(text).utf8)
        case .unresolved(let name):
            throw KestrelError.invalidState("TextVectorization '\(layer)': its standardize is the custom function '\(name)' from the file; give it in Swift first: layer.standardize = .custom(name: \"\(name)\") { text in … }.")
        case .lower, .lowerAndStripPunctuation, .stripPunctuation:
            let lower = kerasName != "strip_punctuation", strip = kerasName != "lower"
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                if strip, TextStandardization.isPunctuation(byte) { continue }
                bytes.append(lower && (0x41...0x5A).contains(byte) ? byte + 32 : byte)
            }
            return bytes
        }
    }
}
