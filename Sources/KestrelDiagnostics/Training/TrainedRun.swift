import Kestrel

/// One finished training run: the model, its history as a `TrainingLog`, how long it took, and
/// (after `evaluate`) its held-out scores.
public struct TrainedRun: @unchecked Sendable {
    /// The seed the run used (weights, shuffling, augmentation).
    public let seed: UInt64
    /// The trained model.
    public let model: Sequential
    /// Keras's History object.
    public let history: History
    /// The history as plain data, for the diagnosis.
    public let log: TrainingLog
    /// Seconds spent in `fit`.
    public let trainingSeconds: Double

    /// A run made of these parts.
    public init(seed: UInt64, model: Sequential, history: History, log: TrainingLog, trainingSeconds: Double) {
        self.seed = seed
        self.model = model
        self.history = history
        self.log = log
        self.trainingSeconds = trainingSeconds
    }

    /// The loss and accuracy on `images` (batch 256, silent).
    public func evaluate(_ images: LabeledImages) throws -> HoldoutMetrics {
        let result = try model.evaluate(images.normalizedX, images.y, batchSize: 256, verbose: 0)
        let accuracy = result["accuracy"] ?? result["sparse_categorical_accuracy"] ?? result["categorical_accuracy"]
        return HoldoutMetrics(loss: result.loss, accuracy: accuracy)
    }
}
