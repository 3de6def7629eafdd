import Foundation
import Kestrel

/// The outcome of `Doctor.examine`: the baseline and its diagnosis, every remedy tried with its
/// paired statistics, and the prescription.
public struct DoctorResult: Sendable {
    /// The recipe treated.
    public var recipe: TrainingRecipe
    /// The seeds every arm ran with.
    public var seeds: [UInt64]
    /// The baseline's runs.
    public var baseline: DoctorArm
    /// The diagnosis of the baseline's last run.
    public var diagnosis: Diagnosis
    /// The baseline's majority verdict (the problem the remedies treat).
    public var problem: Verdict
    /// The remedies tried, in the order run.
    public var arms: [DoctorArm]
    /// Seconds the search took.
    public var seconds: Double
    /// Accuracy loss tolerated by the prescription.
    public var accuracyTolerance: Double

    /// Runs that went at once (1: one after another).
    public var parallelism: Int = 1

    /// A result with these parts.
    public init(recipe: TrainingRecipe, seeds: [UInt64], baseline: DoctorArm, diagnosis: Diagnosis, problem: Verdict,
                arms: [DoctorArm], seconds: Double, accuracyTolerance: Double, parallelism: Int = 1) {
        self.recipe = recipe
        self.seeds = seeds
        self.baseline = baseline
        self.diagnosis = diagnosis
        self.problem = problem
        self.arms = arms
        self.seconds = seconds
        self.accuracyTolerance = accuracyTolerance
        self.parallelism = parallelism
    }

    /// The remedies ranked: those that fix the verdict first; among them, those that do not cost
    /// test accuracy before those that do; then by mean Δ test accuracy (largest first, so a
    /// costly fix with the smallest cost leads the costly ones), then the simplest.
    public var ranked: [DoctorArm] { Self.rank(arms) }

    /// `arms` in the order of `ranked`.
    static func rank(_ arms: [DoctorArm]) -> [DoctorArm] {
        arms.enumerated().sorted { first, second in
            let (a, b) = (first.element, second.element)
            if a.fixesVerdict != b.fixesVerdict { return a.fixesVerdict }
            if a.costsAccuracy != b.costsAccuracy { return !a.costsAccuracy }
            let (ma, mb) = (a.testAccuracy?.mean ?? .nan, b.testAccuracy?.mean ?? .nan)
            if ma.isNaN != mb.isNaN { return !ma.isNaN }
            if !ma.isNaN, ma != mb { return ma > mb }
            let (ca, cb) = (a.remedy?.complexity ?? 0, b.remedy?.complexity ?? 0)
            if ca != cb { return ca < cb }
            return first.offset < second.offset
        }.map(\.element)
    }

    /// The simplest remedy that fixes the verdict without costing test accuracy (nil: none
    /// needed, or none worked); between equally simple ones, the larger gain.
    public var prescription: DoctorArm? {
        arms.filter { $0.fixesVerdict && !$0.costsAccuracy }.min { a, b in
            let (ca, cb) = (a.remedy?.complexity ?? 0, b.remedy?.complexity ?? 0)
            if ca != cb { return ca < cb }
            return (a.testAccuracy?.mean ?? 0) > (b.testAccuracy?.mean ?? 0)
        }
    }

    /// When every remedy that fixes the verdict costs test accuracy: the one that costs least
    /// (nil when there is a prescription, or nothing fixed the verdict).
    public var bestTradeOff: DoctorArm? {
        guard prescription == nil else { return nil }
        return Self.rank(arms.filter(\.fixesVerdict)).first
    }

    /// The arm whose recipe the report prints: the prescription, else the best trade-off.
    public var recommended: DoctorArm? { prescription ?? bestTradeOff }

    /// Whether the baseline needs no treatment (a good fit, nothing tried).
    public var noRemedyNeeded: Bool { problem == .goodFit }

    /// The conclusion in plain words.
    public var conclusion: String {
        let title = problem.title.lowercased()
        if noRemedyNeeded { return "No remedy needed: the baseline is a good fit (\(baseline.runs.count) of \(baseline.runs.count) runs judged)." }
        if arms.isEmpty { return "No remedy was tried for \(title) (none fits, or the budget is spent)." }
        if let prescription, let remedy = prescription.remedy {
            return "Prescription: \(remedy.change) — \(prescription.sentence)."
        }
        let fixing = arms.filter(\.fixesVerdict).count
        if let tradeOff = bestTradeOff, let remedy = tradeOff.remedy {
            let interval = tradeOff.testAccuracy.map { accuracy in
                String(format: "%+.1f %% ± %.1f %% (95 %% interval %+.1f %% to %+.1f %%)", accuracy.mean * 100, accuracy.halfWidth * 100,
                       accuracy.lower * 100, accuracy.upper * 100)
            } ?? "unknown"
            let gaps = String(format: "gap %.3f → %.3f", baseline.mean(\.finalGap), tradeOff.mean(\.finalGap))
            return "No prescription without a cost: " + (fixing == 1 ? "the one remedy that fixed the \(title) costs" : "the \(fixing) remedies that fixed the \(title) all cost")
                + " test accuracy. Best trade-off (the smallest cost): \(remedy.change) — \(gaps), "
                + "test accuracy \(interval). Adopt it only if a smaller generalisation gap is worth that accuracy."
        }
        var text = arms.count == 1 ? "The one remedy tried did not fix the \(title)." : "None of the \(arms.count) remedies tried fixed the \(title)."
        if let best = ranked.first(where: { !$0.costsAccuracy && ($0.testAccuracy?.mean ?? 0) > accuracyTolerance }), let remedy = best.remedy {
            text += " The largest test-accuracy gain: \(remedy.change) — \(best.sentence)."
        }
        return text
    }
}
