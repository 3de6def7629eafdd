import KestrelTensor

extension FillMode {
    /// Parses Keras's spelling ("reflect", "constant", "nearest", "wrap").
    public init(parsing name: String) throws {
        guard let mode = FillMode(rawValue: name.lowercased()) else {
            throw DataError.invalidArgument("fillMode", "\"\(name)\" is not one of reflect, constant, nearest, wrap")
        }
        self = mode
    }
}
