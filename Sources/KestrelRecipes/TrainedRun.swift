import Kestrel

/// One finished training run: the model, its history as a `TrainingLog` and how long it took
/// (KestrelDiagnostics adds `evaluate`, its held-out scores).
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
}
