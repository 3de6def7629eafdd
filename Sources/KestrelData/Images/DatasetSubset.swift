/// Which side of `validationSplit` to return (Keras `subset`).
public enum DatasetSubset: String, Sendable {
    case training
    case validation
}
