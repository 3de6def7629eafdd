import Kestrel

extension TrainingLog {
    /// The log of a `fit` run: every key `History` recorded, one value per epoch.
    public init(history: History) throws {
        try self.init(series: history.history, epochs: history.epoch)
    }
}

extension History {
    /// The diagnosis of this run's learning curves (Kestrel's answer to "is it overfitting?").
    public func diagnose(options: DiagnosisOptions = DiagnosisOptions(), holdout: HoldoutMetrics? = nil) throws -> Diagnosis {
        CurveAnalyzer(options: options).diagnose(try TrainingLog(history: self), holdout: holdout)
    }
}
