import Foundation
import Kestrel

/// Searches a model template's hyper-parameters (and the learning rate) for the best objective, as
/// Keras Tuner's `RandomSearch` and `Hyperband` do, with `kestrel doctor`'s conventions: every trial
/// trains `seeds` runs with the seeds `firstSeed`, `firstSeed + 1`, … (Keras Tuner's
/// `executions_per_trial`), and a `DoctorBudget` (runs or time) ends the search before a trial that
/// would not fit it. The same seed gives the same trials, values and scores.
public struct Tuner: Sendable {
    /// The model template.
    public var template: ModelTemplate
    /// The learning rate's range or choices (`learning_rate`), or nil to keep the recipe's.
    public var learningRate: HyperParameter?
    /// Everything else about training: optimizer, loss, batch size, validation split, callbacks,
    /// and the epochs of a random search's trials (its spec is replaced by the template's).
    public var recipe: TrainingRecipe
    /// The data.
    public var data: TrainingData
    /// Random search or Hyperband.
    public var algorithm: TunerAlgorithm
    /// What is optimised (default `val_accuracy`, larger is better).
    public var objective: TunerObjective
    /// Runs per trial, averaged (default 1).
    public var seeds: Int
    /// The first seed: of the hyper-parameter draws and of every trial's first run.
    public var firstSeed: UInt64
    /// The search's limit.
    public var budget: DoctorBudget

    /// The most runs (trials × seeds) a search may plan.
    public static let maximumRuns = 100_000

    /// A checked tuner; a `TunerError` names what does not fit (an objective that is not logged,
    /// a learning rate outside (0, ∞), a search with nothing to tune, absurd counts).
    public init(template: ModelTemplate, learningRate: HyperParameter? = nil, recipe: TrainingRecipe, data: TrainingData,
                algorithm: TunerAlgorithm, objective: TunerObjective? = nil, seeds: Int = 1, firstSeed: UInt64 = 42,
                budget: DoctorBudget = DoctorBudget()) throws {
        self.template = template
        self.learningRate = learningRate
        self.recipe = recipe
        self.data = data
        self.algorithm = algorithm
        self.objective = try objective ?? TunerObjective("val_accuracy")
        self.seeds = seeds
        self.firstSeed = firstSeed
        self.budget = budget
        try check()
    }

    private func check() throws {
        guard !template.hyperParameters.isEmpty || learningRate != nil else {
            throw TunerError("There is nothing to tune: write hyper-parameters in the model template (e.g. dense {units:32..512}) or a range for the learning rate (e.g. 1e-4..1e-2 log).")
        }
        guard (1...1000).contains(seeds) else { throw TunerError("seeds must be 1…1000 (runs per trial), got \(seeds).") }
        if let learningRate {
            let values: [Double?]
            switch learningRate.kind {
            case let .int(low, high, _, _): values = [Double(low), Double(high)]
            case let .float(low, high, _, _): values = [low, high]
            case let .choice(choices): values = choices.map { Double($0) }
            }
            guard values.allSatisfy({ $0.map { $0 > 0 && $0.isFinite } ?? false }) else {
                throw TunerError("The learning rate's values \(learningRate.text) must be positive numbers, e.g. 1e-4..1e-2 log or 0.01|0.001|0.0001.")
            }
        }
        let logged = recipe.loggedMetrics(on: data)
        guard logged.contains(objective.name) else {
            throw TunerError("The objective '\(objective.name)' will not be logged; use one of \(logged.joined(separator: ", ")).")
        }
        let trials: Int
        switch algorithm {
        case let .randomSearch(maxTrials):
            guard (1...TunerAlgorithm.maximumTrials).contains(maxTrials) else {
                throw TunerError("The number of trials must be 1…\(TunerAlgorithm.maximumTrials), got \(maxTrials); a budget (e.g. 30m) can end a long search.")
            }
            trials = maxTrials
        case let .hyperband(schedule):
            trials = schedule.trialCount
        }
        guard trials.multipliedReportingOverflow(by: seeds).partialValue <= Self.maximumRuns, trials <= Self.maximumRuns else {
            throw TunerError("The search plans \(trials) trials × \(seeds) seeds, more than \(Self.maximumRuns) runs; lower the max epochs or iterations, raise the factor, or use fewer seeds.")
        }
    }

    /// What the search reports while it runs.
    public enum Event: Sendable {
        /// A trial starts: its number (1-based), the trials planned, the estimated seconds left (nil before the first run).
        case trialStarted(TunerTrial, number: Int, planned: Int, etaSeconds: Double?)
        /// One run of a trial finished: its seed, history and best objective value.
        case runFinished(TunerTrial, seed: UInt64, log: TrainingLog, best: Double)
        /// A trial finished; `isBest`: its score is the best so far.
        case trialFinished(TunerTrial, isBest: Bool)
        /// The search ended before its plan: why.
        case stopped(reason: String)
    }

    /// The seeds of every trial's runs.
    public var seedList: [UInt64] { (0..<max(1, seeds)).map { firstSeed &+ UInt64($0) } }

    /// Runs the search; `report` sees every event. Throws a `TunerError` or `TrainingRecipeError`
    /// when a run cannot train.
    public func search(report: (Event) throws -> Void = { _ in }) throws -> TunerResult {
        var search = TunerSearch(tuner: self)
        return try search.run(report: report)
    }

    /// The recipe of a trial: the template filled with its values, and its learning rate.
    func recipe(for values: [(name: String, value: HyperParameterValue)]) throws -> TrainingRecipe {
        var trialRecipe = recipe
        trialRecipe.specification = try template.specification(for: Dictionary(values.map { ($0.name, $0.value) }) { first, _ in first })
        if let rate = values.first(where: { $0.name == "learning_rate" })?.value.number { trialRecipe.learningRate = rate }
        return trialRecipe
    }

    /// Every hyper-parameter searched, the template's then the learning rate.
    var searched: [HyperParameter] { template.hyperParameters + (learningRate.map { [$0] } ?? []) }
}
