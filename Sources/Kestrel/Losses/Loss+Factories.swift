/// Keras-style shorthands, so `compile(loss: .sparseCategoricalCrossentropy)` reads well, and parsing
/// of Keras's loss strings.
extension LossConvertible where Self == Loss {
    /// `SparseCategoricalCrossentropy()` (probabilities in, integer labels).
    public static var sparseCategoricalCrossentropy: Loss { SparseCategoricalCrossentropy() }
    /// `SparseCategoricalCrossentropy(fromLogits:)`.
    public static func sparseCategoricalCrossentropy(fromLogits: Bool) -> Loss {
        SparseCategoricalCrossentropy(fromLogits: fromLogits)
    }
    /// `CategoricalCrossentropy()` (probabilities in, one-hot labels).
    public static var categoricalCrossentropy: Loss { CategoricalCrossentropy() }
    /// `CategoricalCrossentropy(fromLogits:labelSmoothing:)`.
    public static func categoricalCrossentropy(fromLogits: Bool = false, labelSmoothing: Float = 0) -> Loss {
        CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing)
    }
    /// `BinaryCrossentropy()` (probabilities in, 0/1 labels).
    public static var binaryCrossentropy: Loss { BinaryCrossentropy() }
    /// `BinaryCrossentropy(fromLogits:labelSmoothing:)`.
    public static func binaryCrossentropy(fromLogits: Bool = false, labelSmoothing: Float = 0) -> Loss {
        BinaryCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing)
    }
    /// `MeanSquaredError()`.
    public static var meanSquaredError: Loss { MeanSquaredError() }
    /// `MeanSquaredError()`, named "mse" as Keras names the string.
    public static var mse: Loss { MeanSquaredError(name: "mse") }
    /// `MeanAbsoluteError()`.
    public static var meanAbsoluteError: Loss { MeanAbsoluteError() }
    /// `MeanAbsoluteError()`, named "mae" as Keras names the string.
    public static var mae: Loss { MeanAbsoluteError(name: "mae") }
    /// `Huber()` with delta 1.
    public static var huber: Loss { Huber() }
    /// `Huber(delta:)`.
    public static func huber(delta: Float) -> Loss { Huber(delta: delta) }

}

/// Parsing of Keras's loss strings.
extension Loss {
    /// The Keras strings `named(_:)` accepts.
    public static let validNames = [
        "sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy",
        "mean_squared_error", "mse", "mean_absolute_error", "mae", "huber",
    ]

    /// The loss for a Keras string, with Keras's defaults; throws an error listing the valid names otherwise.
    public static func named(_ string: String) throws -> Loss {
        switch string.lowercased() {
        case "sparse_categorical_crossentropy": return SparseCategoricalCrossentropy()
        case "categorical_crossentropy": return CategoricalCrossentropy()
        case "binary_crossentropy": return BinaryCrossentropy()
        case "mean_squared_error": return MeanSquaredError()
        case "mse": return MeanSquaredError(name: "mse")
        case "mean_absolute_error": return MeanAbsoluteError()
        case "mae": return MeanAbsoluteError(name: "mae")
        case "huber", "huber_loss": return Huber()
        default:
            throw KestrelError.invalidArgument(
                "Unknown loss '\(string)'. Valid names: \(validNames.map { "\"\($0)\"" }.joined(separator: ", ")); or pass a loss object such as .sparseCategoricalCrossentropy(fromLogits: true).")
        }
    }
}
