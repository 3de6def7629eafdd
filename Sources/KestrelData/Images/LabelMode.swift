/// How `imageDatasetFromDirectory` encodes labels (Keras `label_mode`).
public enum LabelMode: String, Sendable {
    /// Class indices, y of shape [batch].
    case int
    /// One-hot vectors, y of shape [batch, classes].
    case categorical
    /// 0 or 1 for exactly two classes, y of shape [batch, 1].
    case binary
}
