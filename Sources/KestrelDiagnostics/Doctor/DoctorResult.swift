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

    /// The remedies ranked: those that fix the verdict first, then by mean Δ test accuracy.
    public var ranked: [DoctorArm] {
        arms.sorted { a, b in
            if a.fixesVerdict != b.fixesVerdict { return a.fixesVerdict }
            return (a.testAccuracy?.mean ?? -.infinity) > (b.testAccuracy?.mean ?? -.infinity)
        }
    }

    /// The simplest remedy that fixes the verdict without costing test accuracy (nil: none
    /// needed, or none worked).
    public var prescription: DoctorArm? {
        let working = arms.filter { arm in
            guard arm.fixesVerdict, let accuracy = arm.testAccuracy else { return false }
            return accuracy.upper >= -accuracyTolerance && accuracy.mean >= -accuracyTolerance
        }
        return working.min { a, b in
            let (ca, cb) = (a.remedy?.complexity ?? 0, b.remedy?.complexity ?? 0)
            if ca != cb { return ca < cb }
            return (a.testAccuracy?.mean ?? 0) > (b.testAccuracy?.mean ?? 0)
        }
    }

    /// Whether the baseline needs no treatment (a good fit, nothing tried).
    public var noRemedyNeeded: Bool { problem == .goodFit }

    /// The conclusion in one sentence.
    public var conclusion: String {
        if noRemedyNeeded { return "No remedy needed: the baseline is a good fit (\(baseline.runs.count) of \(baseline.runs.count) runs judged)." }
        if arms.isEmpty { return "No remedy was tried for \(problem.title.lowercased()) (none fits, or the budget is spent)." }
        guard let prescription, let remedy = prescription.remedy else {
            return "None of the \(arms.count) remedies fixed the \(problem.title.lowercased()) without costing test accuracy."
        }
        return "Prescription: \(remedy.change) — \(prescription.sentence)."
    }
}
