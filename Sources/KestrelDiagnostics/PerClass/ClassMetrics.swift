/// Precision, recall and F1 of one class, read off a confusion matrix (one-vs-rest).
public struct ClassMetrics: Sendable, Codable, Equatable {
    /// The class index.
    public var classIndex: Int
    /// The class name.
    public var name: String
    /// How many samples truly belong to this class (its row sum).
    public var support: Int
    /// How many samples were predicted as this class (its column sum).
    public var predictedCount: Int
    /// Correct predictions of this class (the diagonal cell).
    public var truePositives: Int
    /// Per-class accuracy as tutorials report it: the fraction of this class's samples
    /// classified correctly (equal to recall; 0 when the class has no samples).
    public var accuracy: Double
    /// Of the samples predicted as this class, the fraction that are (0 when none predicted).
    public var precision: Double
    /// Of this class's samples, the fraction found (0 when the class has no samples).
    public var recall: Double
    /// Harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double

    /// Metrics from the three counts that determine them.
    public init(classIndex: Int, name: String, truePositives: Int, support: Int, predictedCount: Int) {
        self.classIndex = classIndex
        self.name = name
        self.support = support
        self.predictedCount = predictedCount
        self.truePositives = truePositives
        recall = support == 0 ? 0 : Double(truePositives) / Double(support)
        precision = predictedCount == 0 ? 0 : Double(truePositives) / Double(predictedCount)
        accuracy = recall
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}
