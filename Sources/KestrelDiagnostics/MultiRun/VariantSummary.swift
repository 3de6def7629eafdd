/// One named variant of an experiment (e.g. "baseline", "dropout + augmentation") and its runs' summary.
public struct VariantSummary: Sendable, Codable, Equatable {
    /// The variant's name.
    public var name: String
    /// Its runs, summarised.
    public var summary: MultiRunSummary
    /// A score of its runs on held-out data the curves do not show (e.g. test accuracy), over the runs;
    /// nil when not measured. Shown as an extra column of the comparison.
    public var heldOut: ConfidenceInterval?

    /// A named summary.
    public init(name: String, summary: MultiRunSummary) {
        self.name = name
        self.summary = summary
    }
}
