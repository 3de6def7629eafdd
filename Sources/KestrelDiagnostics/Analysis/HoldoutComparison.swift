/// One test metric set beside the validation (and training) value of the same metric.
public struct HoldoutComparison: Sendable, Codable, Equatable {
    /// The metric name, e.g. `"loss"`.
    public var metric: String
    /// The test value.
    public var testValue: Double
    /// The validation value at the last epoch, if the log has it.
    public var validationValue: Double?
    /// The training value at the last epoch, if the log has it.
    public var trainingValue: Double?
    /// Whether test and validation agree within the options' tolerance (nil without validation).
    public var agreesWithValidation: Bool?
    /// The comparison in a sentence.
    public var sentence: String

    /// A comparison with every field given.
    public init(metric: String, testValue: Double, validationValue: Double?, trainingValue: Double?,
                agreesWithValidation: Bool?, sentence: String) {
        self.metric = metric
        self.testValue = testValue
        self.validationValue = validationValue
        self.trainingValue = trainingValue
        self.agreesWithValidation = agreesWithValidation
        self.sentence = sentence
    }
}
