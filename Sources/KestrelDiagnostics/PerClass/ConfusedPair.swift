/// One off-diagonal cell: how often samples of one class were predicted as another.
public struct ConfusedPair: Sendable, Codable, Equatable {
    /// The true class index (row).
    public var trueClass: Int
    /// The predicted class index (column).
    public var predictedClass: Int
    /// The true class's name.
    public var trueName: String
    /// The predicted class's name.
    public var predictedName: String
    /// How many samples.
    public var count: Int
    /// `count` as a fraction of the true class's samples.
    public var fractionOfTrueClass: Double

    /// A pair with every field given.
    public init(trueClass: Int, predictedClass: Int, trueName: String, predictedName: String, count: Int,
                fractionOfTrueClass: Double) {
        self.trueClass = trueClass
        self.predictedClass = predictedClass
        self.trueName = trueName
        self.predictedName = predictedName
        self.count = count
        self.fractionOfTrueClass = fractionOfTrueClass
    }

    /// "shirt → t-shirt: 112 (11.2% of shirt)".
    public var sentence: String {
        "\(trueName) → \(predictedName): \(count) (\(String(format: "%.1f", fractionOfTrueClass * 100))% of \(trueName))"
    }
}
