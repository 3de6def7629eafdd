/// Reads a training log the way the textbooks teach and returns a `Diagnosis`.
///
/// Order of the rules: a NaN loss → *NaN loss*; a growing or exploded training loss → *diverging*;
/// too few epochs → *cannot judge*; accuracy and loss at chance → *collapsed*; validation at chance
/// with an exploding loss while training learns → *train/inference mismatch*; oscillation →
/// *unstable*; no validation metric → *cannot judge*; validation far better than training without
/// regularisation → *leakage suspected*; the monitor worse than its best for a sustained window, or
/// a persistent accuracy gap → *overfitting* (or *early-stopped* when the run ended soon after);
/// still improving slowly and steadily → *under-trained*; still improving → *still learning*; levelled
/// off clearly worse than a sibling run on the same data that it cannot match even on its training data →
/// *underfitting* (without siblings, a low accuracy gives a weak "possibly underfitting" hint); otherwise *early-stopped* or *good fit*. Every threshold
/// lives in `DiagnosisOptions` and every rule in `DiagnosisRule`; `ModelFacts` (Dropout,
/// BatchNormalization, classes, steps per epoch…) sharpen the reading when the model is at hand.
public struct CurveAnalyzer: Sendable {
    /// The thresholds used.
    public var options: DiagnosisOptions

    /// An analyzer with the given thresholds (defaults when omitted).
    public init(options: DiagnosisOptions = DiagnosisOptions()) {
        self.options = options
    }

    /// Diagnoses `log`, comparing with `holdout` test metrics when given; `model` tells what is
    /// known about the model and data (nothing by default: the log alone is read).
    ///
    /// `siblings` are other models trained on the same data (an overfit/underfit study, `kestrel compare`):
    /// with them, underfitting is read from the comparison (a sibling of at least `parameterCount`
    /// parameters reaches a clearly better validation value than this run, whose training value is worse
    /// than that); without them, a low accuracy is only a weak hint, and the verdict says so.
    public func diagnose(_ log: TrainingLog, holdout: HoldoutMetrics? = nil, model: ModelFacts = .unknown,
                         siblings: [SiblingRun] = [], parameterCount: Int? = nil) -> Diagnosis {
        let keys = MetricKeys(log)
        let monitor = monitoredMetric(log, keys: keys)
        var facts = CurveFacts(log: log, keys: keys, monitor: monitor, options: options, model: model,
                               siblings: siblings, parameterCount: parameterCount)
        facts.measure()
        var diagnosis = facts.verdict()
        diagnosis.suggestions = SuggestionAdvisor(facts: facts, verdict: diagnosis.verdict).suggestions()
        if let holdout, !holdout.isEmpty {
            if diagnosis.verdict != .nanLoss, let bad = holdout.values.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
                diagnosis = nanHoldoutDiagnosis(diagnosis, metric: bad.key, value: bad.value)
                diagnosis.suggestions = SuggestionAdvisor(facts: facts, verdict: .nanLoss).suggestions()
            }
            diagnosis.holdout = HoldoutAdvisor(log: log, options: options).compare(holdout, verdict: diagnosis.verdict)
        }
        return diagnosis
    }

    /// A test metric that is NaN or infinite overrides the curves' verdict: the model is broken.
    private func nanHoldoutDiagnosis(_ curves: Diagnosis, metric: String, value: Double) -> Diagnosis {
        var diagnosis = curves
        diagnosis.verdict = .nanLoss
        let number = DiagnosticsFormat.number(value)
        diagnosis.headline = "NaN loss: the test \(metric) is \(number), so the trained model is broken whatever its curves say."
        diagnosis.evidence = ["test \(metric) is \(number) (the curves alone read: \(curves.verdict.title.lowercased()))."] + curves.evidence
        diagnosis.claims = curves.claims.map { claim in
            var claim = claim
            claim.sentence = claim.sentence.map { $0 + 1 }
            return claim
        }
        return diagnosis
    }

    /// The monitored metric: the option's name when present, else validation loss, else the
    /// validation accuracy, else any other validation metric.
    private func monitoredMetric(_ log: TrainingLog, keys: MetricKeys) -> String? {
        if log.contains(options.monitor) { return options.monitor }
        if let name = keys.validationLoss ?? keys.validationAccuracy { return name }
        return log.metricNames.first { $0.hasPrefix("val_") && log.contains($0) }
    }
}
