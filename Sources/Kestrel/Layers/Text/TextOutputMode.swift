/// What `TextVectorization` outputs (Keras's `output_mode`).
public enum TextOutputMode: String, Sendable, CaseIterable {
    /// One vocabulary index per token (0 = padding, 1 = out of vocabulary), [batch, sequence length].
    case int
    /// 1 where a vocabulary entry occurs in the text, [batch, vocabulary size] (index 0 = out of vocabulary).
    case multiHot = "multi_hot"
    /// How often each vocabulary entry occurs.
    case count
    /// The counts times each entry's inverse document frequency from `adapt`.
    case tfIdf = "tf_idf"
}
