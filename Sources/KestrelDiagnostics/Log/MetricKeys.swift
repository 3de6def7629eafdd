/// The standard metric names found in a log (internal): Keras spells accuracy several ways.
struct MetricKeys: Sendable {
    var loss: String?
    var validationLoss: String?
    var accuracy: String?
    var validationAccuracy: String?
    var learningRate: String?

    static let accuracyNames = ["accuracy", "acc", "sparse_categorical_accuracy", "categorical_accuracy",
                                "binary_accuracy", "compile_metrics"]

    init(_ log: TrainingLog) {
        loss = log.contains("loss") ? "loss" : nil
        validationLoss = log.contains("val_loss") ? "val_loss" : nil
        let accuracyName = Self.accuracyNames.first { log.contains($0) || log.contains("val_" + $0) }
        if let accuracyName {
            accuracy = log.contains(accuracyName) ? accuracyName : nil
            validationAccuracy = log.contains("val_" + accuracyName) ? "val_" + accuracyName : nil
        }
        learningRate = ["learning_rate", "lr"].first { log.contains($0) }
    }

    /// Whether any validation metric is present.
    static func hasValidation(_ log: TrainingLog) -> Bool {
        log.metricNames.contains { $0.hasPrefix("val_") && log.contains($0) }
    }
}
