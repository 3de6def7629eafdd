import Kestrel

extension TrainingLog {
    /// The log of a `fit` run: `history.log` itself (nil where a key was not logged, e.g. validation
    /// metrics with `validationFreq` > 1; a logged NaN stays NaN).
    public init(history: History) throws {
        self = history.log
    }
}

extension History {
    /// The diagnosis of this run's learning curves (Kestrel's answer to "is it overfitting?").
    public func diagnose(options: DiagnosisOptions = DiagnosisOptions(), holdout: HoldoutMetrics? = nil) throws -> Diagnosis {
        CurveAnalyzer(options: options).diagnose(log, holdout: holdout)
    }
}
