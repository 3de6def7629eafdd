/// The same experiment run with several seeds, summarised: bands, intervals and whether
/// overfitting is confirmed across runs rather than one run's noise.
public struct MultiRunSummary: Sendable, Codable, Equatable {
    /// Number of runs.
    public var runCount: Int
    /// Epochs per run.
    public var epochCounts: [Int]
    /// Mean, std and 95 % CI half-width per epoch for every metric logged by any run, sorted by metric name.
    public var bands: [MetricBand]
    /// Each run's own diagnosis.
    public var diagnoses: [Diagnosis]
    /// The monitored metric (from the first run that has one).
    public var monitor: String?
    /// Best epoch (1-based, as Keras prints it) across runs, with a 95 % interval.
    public var bestEpoch: ConfidenceInterval?
    /// Best value of the monitored metric across runs, with a 95 % interval.
    public var bestValue: ConfidenceInterval?
    /// Which gap `finalGap` measures: "accuracy gap (accuracy − val_accuracy)" or "loss gap (val_loss − loss)".
    public var finalGapName: String?
    /// The generalisation gap at each run's last epoch, with a 95 % interval.
    public var finalGap: ConfidenceInterval?
    /// How many runs were diagnosed as overfitting.
    public var overfittingRunCount: Int
    /// Whether overfitting is confirmed: at least `DiagnosisOptions.minimumRunsToConfirm` runs, and
    /// at least the confirmation fraction of them overfit.
    public var overfittingConfirmed: Bool
    /// Verdict name → number of runs with it.
    public var verdictCounts: [String: Int]
    /// The findings in plain sentences.
    public var sentences: [String]

    /// The band of `metric`, if any run logged it.
    public func band(_ metric: String) -> MetricBand? { bands.first { $0.metric == metric } }

    /// The most common verdict (ties broken by `Verdict.allCases` order).
    public var majorityVerdict: Verdict? {
        Verdict.allCases.max { (verdictCounts[$0.rawValue] ?? 0, -index($0)) < (verdictCounts[$1.rawValue] ?? 0, -index($1)) }
            .flatMap { (verdictCounts[$0.rawValue] ?? 0) > 0 ? $0 : nil }
    }

    private func index(_ verdict: Verdict) -> Int { Verdict.allCases.firstIndex(of: verdict) ?? 0 }
}
