import Kestrel

/// The numbers `Doctor` keeps from one training run.
public struct DoctorRunResult: Sendable, Equatable, Codable {
    /// The run's seed.
    public var seed: UInt64
    /// The history.
    public var log: TrainingLog
    /// Test (or, without a test set, final validation) accuracy.
    public var testAccuracy: Double
    /// The lowest val_loss of the run.
    public var bestValidationLoss: Double
    /// accuracy − val_accuracy at the last epoch.
    public var finalGap: Double
    /// The run's verdict.
    public var verdict: Verdict
    /// Seconds spent training.
    public var seconds: Double

    /// A result from its numbers (e.g. read back from a worker process).
    public init(seed: UInt64, log: TrainingLog, testAccuracy: Double, bestValidationLoss: Double, finalGap: Double,
                verdict: Verdict, seconds: Double) {
        self.seed = seed
        self.log = log
        self.testAccuracy = testAccuracy
        self.bestValidationLoss = bestValidationLoss
        self.finalGap = finalGap
        self.verdict = verdict
        self.seconds = seconds
    }

    /// The result of `run` scored on `test` (nil: the last val_accuracy stands in). With
    /// `restoredBest` (EarlyStopping restoring the best weights) the model is the one of the best
    /// val_loss epoch, so gap and verdict are read from the log up to that epoch. `model` tells the
    /// diagnosis what is known about the model and data.
    public init(run: TrainedRun, test: LabeledImages?, restoredBest: Bool = false, model: ModelFacts = .unknown) throws {
        seed = run.seed
        log = run.log
        var judged = run.log
        if restoredBest, let validation = run.log.values("val_loss"),
           let best = validation.indices.filter({ validation[$0].isFinite }).min(by: { validation[$0] < validation[$1] }) {
            judged = run.log.prefix(best + 1)
        }
        let keys = MetricKeys(judged)
        let last = { (name: String?) in name.flatMap(judged.values).flatMap(SeriesStatistics.lastFinite)?.value ?? .nan }
        var holdout: HoldoutMetrics?
        if let test {
            holdout = try run.evaluate(test)
            testAccuracy = holdout?.values["accuracy"] ?? .nan
        } else {
            testAccuracy = last(keys.validationAccuracy)
        }
        bestValidationLoss = keys.validationLoss.flatMap(run.log.values)?.filter(\.isFinite).min() ?? .nan
        finalGap = last(keys.accuracy) - last(keys.validationAccuracy)
        verdict = CurveAnalyzer().diagnose(judged, holdout: holdout, model: model).verdict
        seconds = run.trainingSeconds
    }
}

/// The baseline or one remedy with its runs (one per seed), and, for a remedy, its comparison
/// with the baseline.
public struct DoctorArm: Sendable {
    /// The remedy (nil for the baseline).
    public var remedy: Remedy?
    /// One result per seed, in seed order.
    public var runs: [DoctorRunResult]
    /// Δ test accuracy against the baseline (paired by seed).
    public var testAccuracy: PairedComparison?
    /// Δ best val_loss against the baseline.
    public var bestValidationLoss: PairedComparison?
    /// Δ final generalisation gap against the baseline.
    public var finalGap: PairedComparison?
    /// Holm-adjusted p-value of the test-accuracy difference (over all remedies tried).
    public var adjustedPValue: Double?
    /// Whether most runs no longer show the baseline's problem.
    public var fixesVerdict = false
    /// Whether the remedy costs test accuracy: its mean Δ test accuracy is below −tolerance
    /// (`Doctor.accuracyTolerance`, 0.5 % by default), or unknown.
    public var costsAccuracy = false
    /// The plain-words verdict on this remedy.
    public var sentence = ""

    /// The name shown in tables (`baseline` or the change).
    public var name: String { remedy?.change ?? "baseline" }
    /// A folder-safe name for the run histories.
    public var slug: String {
        guard let remedy else { return "baseline" }
        let cleaned = remedy.change.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" }
        return String(String(cleaned).split(separator: "-").joined(separator: "-").prefix(60))
    }
    /// The most common verdict of the runs.
    public var majorityVerdict: Verdict? {
        Dictionary(grouping: runs.map(\.verdict), by: { $0 }).max { $0.value.count < $1.value.count }?.key
    }

    /// An arm with its runs.
    public init(remedy: Remedy?, runs: [DoctorRunResult]) {
        self.remedy = remedy
        self.runs = runs
    }

    /// Mean of a per-run number.
    public func mean(_ value: KeyPath<DoctorRunResult, Double>) -> Double {
        SeriesStatistics.mean(runs.map { $0[keyPath: value] }.filter(\.isFinite))
    }
}
