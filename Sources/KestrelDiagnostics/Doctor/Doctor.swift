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

    /// Where the runs are trained; nil: one after another in this process. A `DoctorWorkerPool`
    /// trains several at once in worker processes, with the same results run for run.
    public var runner: (any DoctorRunner)?

    /// A doctor for `recipe` on `data`.
    public init(recipe: TrainingRecipe, data: TrainingData, seeds: Int = 3, firstSeed: UInt64 = 42, budget: DoctorBudget = DoctorBudget(),
                runner: (any DoctorRunner)? = nil) {
        self.recipe = recipe
        self.data = data
        self.seeds = seeds
        self.firstSeed = firstSeed
        self.budget = budget
        self.runner = runner
    }

    /// What the search reports while it runs.
    public enum Event: Sendable {
        /// An arm starts: its name, index (0 = baseline), total planned, estimated seconds left (nil before the first run).
        case armStarted(name: String, index: Int, planned: Int, etaSeconds: Double?)
        /// One run finished (its history is `result.log`).
        case runFinished(arm: String, result: DoctorRunResult)
        /// The baseline's diagnosis and the remedies chosen.
        case diagnosed(Diagnosis, remedies: [Remedy])
        /// A remedy was left out for the budget.
        case skipped(Remedy, reason: String)
    }

    /// The seeds every arm runs with.
    public var seedList: [UInt64] { (0..<max(1, seeds)).map { firstSeed &+ UInt64($0) } }

    /// Runs the search; `report` sees every event (e.g. to print progress and write histories).
    /// With a runner of parallelism P, arms go in waves of P / gcd(seeds, P) so no worker idles;
    /// a `SearchPlanner` keeps the budget (runs counted, cost estimated from the seconds per epoch so far).
    public func examine(report: (Event) throws -> Void = { _ in }) throws -> DoctorResult {
        let runner = self.runner ?? SequentialDoctorRunner()
        let width = max(1, runner.parallelism)
        let seedList = self.seedList
        var planner = SearchPlanner(budget: budget)
        func train(_ wave: [(name: String, changes: [RemedyChange], epochs: Int)]) throws -> [[DoctorRunResult]] {
            let jobs = wave.flatMap { arm in seedList.map { DoctorJob(changes: arm.changes, seed: $0) } }
            let results = try runner.train(jobs, base: recipe, data: data) { index, result in
                let arm = wave[index / seedList.count]
                planner.recordRun(epochs: arm.epochs)
                try report(.runFinished(arm: arm.name, result: result))
            }
            return wave.indices.map { Array(results[($0 * seedList.count)..<(($0 + 1) * seedList.count)]) }
        }
        try report(.armStarted(name: "baseline", index: 0, planned: 1, etaSeconds: nil))
        let baseline = DoctorArm(remedy: nil, runs: try train([("baseline", [], recipe.epochs)])[0])
        let lastLog = baseline.runs.last?.log ?? TrainingLog()
        let diagnosis = CurveAnalyzer().diagnose(lastLog, model: ModelFacts(recipe: recipe, data: data))
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
        let armsPerWave = SearchPlanner.unitsPerWave(runsPerUnit: seedList.count, parallelism: width)
        func cost(_ remedy: Remedy) -> Double? { planner.cost(runs: seedList.count, epochs: remedy.recipe.epochs) }
        func combination() -> Remedy? {
            let compared = Self.compare(baseline: baseline, arms: arms, problem: problem, tolerance: accuracyTolerance)
            guard let combination = Self.bestCombination(Self.combinationOrder(compared), base: recipe),
                  !arms.contains(where: { $0.remedy?.recipe == combination.recipe }),
                  !candidates[index...].contains(where: { $0.recipe == combination.recipe }) else { return nil }
            return combination
        }
        while true {
            var wave: [Remedy] = []
            var plannedSeconds = 0.0
            while wave.count < armsPerWave, index < candidates.count {
                // When the budget has room for one more arm only, the best two combined go first.
                if !combinationTried, wave.isEmpty, arms.count >= 2,
                   planner.roomForOneUnitOnly(runs: seedList.count, epochs: recipe.epochs), let combined = combination() {
                    combinationTried = true
                    candidates.insert(combined, at: index)
                }
                let remedy = candidates[index]
                index += 1
                if let reason = planner.refusal(runs: seedList.count, epochs: remedy.recipe.epochs,
                                                plannedRuns: wave.count * seedList.count, plannedSeconds: plannedSeconds) {
                    try report(.skipped(remedy, reason: reason))
                    continue
                }
                wave.append(remedy)
                plannedSeconds += cost(remedy) ?? 0
            }
            if wave.isEmpty {
                // After the single remedies: the best two together, when the budget allows.
                if !combinationTried {
                    combinationTried = true
                    if let combined = combination() {
                        candidates.append(combined)
                        continue
                    }
                }
                break
            }
            let left = candidates[index...].compactMap(cost).reduce(0, +)
            for (offset, remedy) in wave.enumerated() {
                let planned = 1 + arms.count + wave.count + (candidates.count - index)
                try report(.armStarted(name: remedy.change, index: arms.count + offset + 1, planned: planned,
                                       etaSeconds: planner.secondsPerEpoch.map { _ in plannedSeconds + left }))
            }
            let results = try train(wave.map { ($0.change, $0.changes, $0.recipe.epochs) })
            arms += zip(wave, results).map { DoctorArm(remedy: $0, runs: $1) }
        }
        let compared = Self.compare(baseline: baseline, arms: arms, problem: problem, tolerance: accuracyTolerance)
        return DoctorResult(recipe: recipe, seeds: seedList, baseline: baseline, diagnosis: diagnosis, problem: problem,
                            arms: compared, seconds: planner.elapsedSeconds, accuracyTolerance: accuracyTolerance, parallelism: width)
    }

    /// The remedies in the order they are considered for combining: those that keep test
    /// accuracy first (in ranked order: fixes first, then by Δ test accuracy), then those that cost it.
    static func combinationOrder(_ arms: [DoctorArm]) -> [Remedy] {
        let ranked = DoctorResult.rank(arms)
        return (ranked.filter { !$0.costsAccuracy } + ranked.filter(\.costsAccuracy)).compactMap(\.remedy)
    }

    /// The combination of the best two remedies (in ranked order) that combine, trying the
    /// first with the second, then with the third.
    static func bestCombination(_ ranked: [Remedy], base: TrainingRecipe) -> Remedy? {
        guard let first = ranked.first else { return nil }
        for other in ranked.dropFirst().prefix(2) {
            if let combination = first.combined(with: other, base: base) { return combination }
        }
        return nil
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
            arm.costsAccuracy = !((arm.testAccuracy?.mean ?? .nan) >= -tolerance)
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
        let costs = arm.costsAccuracy
        let gaps = String(format: "gap %.3f → %.3f", baseline.mean(\.finalGap), arm.mean(\.finalGap))
        if arm.fixesVerdict {
            // Say so when most runs now show another problem (e.g. trained longer, now overfitting).
            var now = ""
            if let verdict = arm.majorityVerdict, verdict != .goodFit, verdict != problem {
                let count = arm.runs.filter { $0.verdict == verdict }.count
                now = " (now \(verdict.title.lowercased()) in \(count) of \(arm.runs.count) runs)"
            }
            let head = "fixed the \(problem.title.lowercased())\(now): \(gaps), \(accuracyText)"
            if costs { return head + (significant ? ", but it costs test accuracy (significant)" : ", but it costs test accuracy on average (not significant)") }
            return head + (significant ? (accuracy.mean > 0 ? " (significant gain)" : "") : " (accuracy change not significant)")
        }
        if significant { return "\(problem.title.lowercased()) remains; \(accuracyText) (significant)" }
        return "no significant effect: \(problem.title.lowercased()) remains, \(accuracyText)"
    }
}
