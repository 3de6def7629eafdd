import Foundation
import Kestrel

/// Tries the remedies that fit a model's diagnosis and proves which one works: trains the
/// baseline with `seeds` seeds, diagnoses it, trains each remedy (most promising first, within the
/// budget) with the same seeds, and compares them run by run (paired by seed, Holm-corrected).
public struct Doctor: Sendable {
    /// What is being treated.
    public var recipe: TrainingRecipe
    /// The data (its test set scores every run; without one, the last val_accuracy does).
    public var data: TrainingData
    /// Runs per arm (the same seeds for the baseline and every remedy). Default 3.
    public var seeds: Int = 3
    /// The first seed; arm runs use `firstSeed`, `firstSeed + 1`, …
    public var firstSeed: UInt64 = 42
    /// The search's limit.
    public var budget = DoctorBudget()
    /// Test-accuracy loss (as a fraction) still counted as "not costing accuracy" when the
    /// interval includes 0. Default 0.005.
    public var accuracyTolerance = 0.005

    /// A doctor for `recipe` on `data`.
    public init(recipe: TrainingRecipe, data: TrainingData, seeds: Int = 3, firstSeed: UInt64 = 42, budget: DoctorBudget = DoctorBudget()) {
        self.recipe = recipe
        self.data = data
        self.seeds = seeds
        self.firstSeed = firstSeed
        self.budget = budget
    }

    /// What the search reports while it runs.
    public enum Event: Sendable {
        /// An arm starts: its name, index (0 = baseline), total planned, estimated seconds left (nil before the first run).
        case armStarted(name: String, index: Int, planned: Int, etaSeconds: Double?)
        /// One run finished.
        case runFinished(arm: String, result: DoctorRunResult, run: TrainedRun)
        /// The baseline's diagnosis and the remedies chosen.
        case diagnosed(Diagnosis, remedies: [Remedy])
        /// A remedy was left out for the budget.
        case skipped(Remedy, reason: String)
    }

    /// Runs the search; `report` sees every event (e.g. to print progress and write histories).
    public func examine(report: (Event) throws -> Void = { _ in }) throws -> DoctorResult {
        let start = ContinuousClock.now
        var runsDone = 0
        var secondsPerRun: Double?
        func elapsed() -> Double {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        func train(_ recipe: TrainingRecipe, name: String) throws -> [DoctorRunResult] {
            let trainer = RecipeTrainer(recipe: recipe, data: data)
            return try (0..<seeds).map { index in
                let run = try trainer.train(seed: firstSeed &+ UInt64(index), verbose: .silent, callbackVerbose: 0)
                let result = try DoctorRunResult(run: run, test: data.test, restoredBest: recipe.callbacks.earlyStopping?.monitor == "val_loss")
                runsDone += 1
                secondsPerRun = elapsed() / Double(runsDone)
                try report(.runFinished(arm: name, result: result, run: run))
                return result
            }
        }
        try report(.armStarted(name: "baseline", index: 0, planned: 1, etaSeconds: nil))
        let baseline = DoctorArm(remedy: nil, runs: try train(recipe, name: "baseline"))
        let lastLog = baseline.runs.last?.log ?? TrainingLog()
        let diagnosis = CurveAnalyzer().diagnose(lastLog)
        // The problem is the verdict of most runs; without a majority, the last run's.
        let majority = baseline.majorityVerdict
        let problem = majority.map { verdict in baseline.runs.filter { $0.verdict == verdict }.count * 2 > baseline.runs.count } == true
            ? majority ?? diagnosis.verdict : diagnosis.verdict
        let imageData = data.sampleShape.count >= 2
        var candidates = RemedyCatalog.remedies(for: problem, recipe: recipe, imageData: imageData)
        try report(.diagnosed(diagnosis, remedies: candidates))
        var arms: [DoctorArm] = []
        var combinationTried = false
        var index = 0
        while index < candidates.count {
            let remedy = candidates[index]
            index += 1
            let planned = candidates.count - index + 1
            if let limit = budget.runs, runsDone + seeds > limit {
                try report(.skipped(remedy, reason: "the budget of \(limit) runs is spent"))
                continue
            }
            let scale = Double(remedy.recipe.epochs) / Double(max(1, recipe.epochs))
            if let limit = budget.seconds, let perRun = secondsPerRun, elapsed() + perRun * scale * Double(seeds) > limit {
                try report(.skipped(remedy, reason: String(format: "its runs would pass the %.0f s budget", limit)))
                continue
            }
            let eta = secondsPerRun.map { $0 * Double(seeds * planned) }
            try report(.armStarted(name: remedy.change, index: arms.count + 1, planned: arms.count + planned + 1, etaSeconds: eta))
            arms.append(DoctorArm(remedy: remedy, runs: try train(remedy.recipe, name: remedy.change)))
            // After the single remedies: the best two together.
            if index == candidates.count, !combinationTried, problem == .overfitting {
                combinationTried = true
                let scored = Self.compare(baseline: baseline, arms: arms, problem: problem, tolerance: accuracyTolerance)
                    .filter { $0.fixesVerdict }
                    .sorted { ($0.testAccuracy?.mean ?? -1) > ($1.testAccuracy?.mean ?? -1) }
                if scored.count >= 2, let first = scored[0].remedy, let second = scored[1].remedy,
                   let combination = first.combined(with: second, base: recipe) {
                    candidates.append(combination)
                }
            }
        }
        let compared = Self.compare(baseline: baseline, arms: arms, problem: problem, tolerance: accuracyTolerance)
        return DoctorResult(recipe: recipe, seeds: (0..<seeds).map { firstSeed &+ UInt64($0) }, baseline: baseline,
                            diagnosis: diagnosis, problem: problem, arms: compared, seconds: elapsed(), accuracyTolerance: accuracyTolerance)
    }

    /// Paired comparisons of every arm with the baseline, Holm-corrected over the arms, with verdicts.
    static func compare(baseline: DoctorArm, arms: [DoctorArm], problem: Verdict, tolerance: Double) -> [DoctorArm] {
        var compared = arms.map { arm -> DoctorArm in
            var arm = arm
            arm.testAccuracy = PairedComparison(baseline: baseline.runs.map(\.testAccuracy), remedy: arm.runs.map(\.testAccuracy))
            arm.bestValidationLoss = PairedComparison(baseline: baseline.runs.map(\.bestValidationLoss), remedy: arm.runs.map(\.bestValidationLoss))
            arm.finalGap = PairedComparison(baseline: baseline.runs.map(\.finalGap), remedy: arm.runs.map(\.finalGap))
            let stillProblem = arm.runs.filter { $0.verdict == problem }.count
            arm.fixesVerdict = stillProblem * 2 < arm.runs.count
            return arm
        }
        let adjusted = PairedComparison.holmAdjusted(compared.map { $0.testAccuracy?.pValue ?? 1 })
        for index in compared.indices {
            compared[index].adjustedPValue = adjusted[index]
            compared[index].sentence = sentence(for: compared[index], baseline: baseline, problem: problem, tolerance: tolerance)
        }
        return compared
    }

    /// "fixed the overfitting: gap 0.12 → 0.02, test accuracy +0.6 % ± 0.3 %" / "no significant effect".
    static func sentence(for arm: DoctorArm, baseline: DoctorArm, problem: Verdict, tolerance: Double) -> String {
        guard let accuracy = arm.testAccuracy else { return "" }
        let percent = { (value: Double) in String(format: "%+.1f %%", value * 100) }
        let accuracyText = "test accuracy \(percent(accuracy.mean))" + (accuracy.differences.count > 1 ? String(format: " ± %.1f %%", accuracy.halfWidth * 100) : "")
        let significant = (arm.adjustedPValue ?? 1) < 0.05
        let costs = accuracy.upper < -tolerance || (significant && accuracy.mean < 0)
        let gaps = String(format: "gap %.3f → %.3f", baseline.mean(\.finalGap), arm.mean(\.finalGap))
        if arm.fixesVerdict {
            let head = "fixed the \(problem.title.lowercased()): \(gaps), \(accuracyText)"
            if costs { return head + ", but it costs test accuracy" }
            return head + (significant ? (accuracy.mean > 0 ? " (significant gain)" : "") : " (accuracy change not significant)")
        }
        if significant { return "\(problem.title.lowercased()) remains; \(accuracyText) (significant)" }
        return "no significant effect: \(problem.title.lowercased()) remains, \(accuracyText)"
    }
}
