/// How `TextVectorization` splits a standardized text into tokens (Keras's `split`).
public enum TextSplit: Sendable {
    /// On runs of ASCII whitespace (space, tab, newline, CR, VT, FF), as `tf.strings.split`; the default.
    case whitespace
    /// Into Unicode scalars, as `tf.strings.unicode_split(…, "UTF-8")`.
    case character
    /// The whole text is one token (Keras's `None`).
    case none
    /// A function of yours; `name` is what the `.keras` file records.
    case custom(name: String, @Sendable (String) -> [String])
    /// A custom function named in a loaded file, not yet given (see `TextStandardization.unresolved`).
    case unresolved(name: String)

    /// Keras's string for this split, or its function's name.
    public var kerasName: String? {
        switch self {
        case .whitespace: return "whitespace"
        case .character: return "character"
        case .none: return nil
        case .custom(let name, _), .unresolved(let name): return name
        }
    }

    /// The split Keras names `name` (`nil` for none); throws for other names.
    public static func named(_ name: String?) throws -> TextSplit {
        switch name {
        case nil: return .none
        case "whitespace": return .whitespace
        case "character": return .character
        case let other?:
            throw KestrelError.invalidArgument("split: '\(other)' is not one of whitespace, character or none; pass .custom(name:_:) for your own function.")
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// The tokens of standardized `bytes`, each as UTF-8 bytes.
    func apply(_ bytes: [UInt8], layer: String) throws -> [[UInt8]] {
        switch self {
        case .none: return [bytes]
        case .whitespace:
            var tokens: [[UInt8]] = []
            var start = -1
            for (index, byte) in bytes.enumerated() {
                if TextSplit.isWhitespace(byte) {
                    if start >= 0 { tokens.append(Array(bytes[start..<index])); start = -1 }
                } else if start < 0 {
                    start = index
                }
            }
            if start >= 0 { tokens.append(Array(bytes[start...])) }
            return tokens
        case .character:
            return String(decoding: bytes, as: UTF8.self).unicodeScalars.map { Array(String($0).utf8) }
        case .custom(_, let function):
            return function(String(decoding: bytes, as: UTF8.self)).map { Array($0.utf8) }
        case .unresolved(let name):
            throw KestrelError.invalidState("TextVectorization '\(layer)': its split is the custom function '\(name)' from the file; give it in Swift first: layer.split = .custom(name: \"\(name)\") { text in … }.")
        }
    }
}
