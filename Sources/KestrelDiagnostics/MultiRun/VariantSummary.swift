/// One named variant of an experiment (e.g. "baseline", "dropout + augmentation") and its runs' summary.
public struct VariantSummary: Sendable, Codable, Equatable {
    /// The variant's name.
    public var name: String
    /// Its runs, summarised.
    public var summary: MultiRunSummary

    /// A named summary.
    public init(name: String, summary: MultiRunSummary) {
        self.name = name
        self.summary = summary
    }
}
