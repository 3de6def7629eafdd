/// How points outside the input image are filled by geometric transforms (Keras `fill_mode`).
public enum FillMode: String, Sendable, CaseIterable {
    /// (d c b a | a b c d | d c b a): mirror about the edge of the last pixel. Keras's default.
    case reflect
    /// (k k k k | a b c d | k k k k): the constant `fillValue`.
    case constant
    /// (a a a a | a b c d | d d d d): repeat the edge pixel.
    case nearest
    /// (a b c d | a b c d | a b c d): tile the image.
    case wrap

    /// Parses Keras's spelling ("reflect", "constant", "nearest", "wrap").
    public init(parsing name: String) throws {
        guard let mode = FillMode(rawValue: name.lowercased()) else {
            throw DataError.invalidArgument("fillMode", "\"\(name)\" is not one of reflect, constant, nearest, wrap")
        }
        self = mode
    }

    /// Maps an integer coordinate into 0..<size, or returns -1 for `constant` outside the image.
    @inline(__always)
    func map(_ index: Int, size: Int) -> Int {
        if index >= 0 && index < size { return index }
        switch self {
        case .constant:
            return -1
        case .nearest:
            return index < 0 ? 0 : size - 1
        case .wrap:
            let remainder = index % size
            return remainder < 0 ? remainder + size : remainder
        case .reflect:
            let period = 2 * size
            var folded = index % period
            if folded < 0 { folded += period }
            return folded < size ? folded : period - 1 - folded
        }
    }
}
