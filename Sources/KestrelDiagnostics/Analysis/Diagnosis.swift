/// The reading of one training log: a verdict, the evidence with numbers, and what to try.
///
/// Epoch fields are 0-based row indices into the log (`log.epochs[index]` is Keras's epoch
/// number); sentences show them 1-based, as Keras prints them.
public struct Diagnosis: Sendable, Codable, Equatable {
    /// The verdict.
    public var verdict: Verdict
    /// One sentence summing up the verdict.
    public var headline: String
    /// Plain sentences with the numbers that support the verdict.
    public var evidence: [String]
    /// What each evidence sentence claims, as data (`DiagnosisChecker` verifies them against the log).
    public var claims: [EvidenceClaim] = []
    /// What to try next, following from the verdict.
    public var suggestions: [Suggestion]
    /// Number of epochs in the log.
    public var epochCount: Int
    /// The metric used for the best epoch (nil when the log has no validation metric).
    public var monitor: String?
    /// Row index of the best epoch of `monitor`.
    public var bestEpoch: Int?
    /// The value of `monitor` at `bestEpoch`.
    public var bestValue: Double?
    /// Row index of the first epoch of overfitting (first epoch of the sustained rise, or the
    /// first epoch of the final run of large accuracy gaps).
    public var overfittingOnsetEpoch: Int?
    /// How far `monitor` has worsened from its best to the last epoch (positive = worse), when it did.
    public var validationClimb: Double?
    /// Per epoch: training accuracy − validation accuracy (positive when validation is worse).
    public var accuracyGap: [Double]?
    /// Per epoch: validation loss − training loss (positive when validation is worse).
    public var lossGap: [Double]?
    /// Whether the training loss was still falling clearly over the last epochs.
    public var stillLearning: Bool
    /// Keras EarlyStopping simulated on `monitor` with the options' patience.
    public var earlyStopping: EarlyStoppingSimulation?
    /// Test metrics compared with validation ones (empty without test metrics).
    public var holdout: [HoldoutComparison]

    /// A diagnosis with every field given (the analyzer builds these).
    public init(verdict: Verdict, headline: String, evidence: [String], suggestions: [Suggestion],
                epochCount: Int, monitor: String? = nil, bestEpoch: Int? = nil, bestValue: Double? = nil,
                overfittingOnsetEpoch: Int? = nil, validationClimb: Double? = nil,
                accuracyGap: [Double]? = nil, lossGap: [Double]? = nil, stillLearning: Bool = false,
                earlyStopping: EarlyStoppingSimulation? = nil, holdout: [HoldoutComparison] = []) {
        self.verdict = verdict
        self.headline = headline
        self.evidence = evidence
        self.suggestions = suggestions
        self.epochCount = epochCount
        self.monitor = monitor
        self.bestEpoch = bestEpoch
        self.bestValue = bestValue
        self.overfittingOnsetEpoch = overfittingOnsetEpoch
        self.validationClimb = validationClimb
        self.accuracyGap = accuracyGap
        self.lossGap = lossGap
        self.stillLearning = stillLearning
        self.earlyStopping = earlyStopping
        self.holdout = holdout
    }
}
