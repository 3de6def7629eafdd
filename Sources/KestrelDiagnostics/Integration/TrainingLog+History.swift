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

extension History {
    /// A history holding `log`'s rows: every key's value at every epoch (a NaN stays NaN, so
    /// `TrainingLog(history:)` gives `log` back). `Doctor` writes its runs' histories this way.
    public convenience init(log: TrainingLog) {
        self.init()
        for (row, epoch) in log.epochs.enumerated() {
            record(epoch: epoch, logs: log.series.compactMapValues { values in row < values.count ? values[row] : nil })
        }
    }
}
