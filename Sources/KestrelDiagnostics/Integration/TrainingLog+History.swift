import Kestrel

extension TrainingLog {
    /// The log of a `fit` run: every key `History` recorded, one value per epoch (NaN where a key
    /// was not logged, e.g. validation metrics with `validationFreq` > 1).
    public init(history: History) throws {
        try self.init(series: history.valuesByEpochRow.mapValues { $0.map { $0 ?? .nan } }, epochs: history.epoch)
    }
}

extension History {
    /// The diagnosis of this run's learning curves (Kestrel's answer to "is it overfitting?").
    public func diagnose(options: DiagnosisOptions = DiagnosisOptions(), holdout: HoldoutMetrics? = nil) throws -> Diagnosis {
        CurveAnalyzer(options: options).diagnose(try TrainingLog(history: self), holdout: holdout)
    }
}
