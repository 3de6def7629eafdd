import Foundation
import Kestrel

/// One search of a `Tuner`: draws the values, trains the trials in Keras Tuner's order, keeps the
/// best epoch's weights of the runs a later Hyperband round trains on, and the best model.
struct TunerSearch {
    let tuner: Tuner
    private var generator: RandomGenerator
    private var planner: SearchPlanner
    private var tried: Set<[HyperParameterValue]> = []
    private var trials: [TunerTrial] = []
    /// The best-epoch weights of each run (one per seed) of the trials a later round may promote.
    private var checkpoints: [String: [[Tensor]]] = [:]
    private var best: (index: Int, weights: [Tensor])?
    private let idWidth: Int

    init(tuner: Tuner) {
        self.tuner = tuner
        self.generator = RandomGenerator(seed: tuner.firstSeed)
        self.planner = SearchPlanner(budget: tuner.budget)
        switch tuner.algorithm {
        case let .randomSearch(maxTrials): idWidth = String(maxTrials).count
        case .hyperband: idWidth = 4
        }
    }

    /// The draws Keras Tuner makes before it gives up on finding values not tried yet.
    static let maximumCollisions = 20

    mutating func run(report: (Tuner.Event) throws -> Void) throws -> TunerResult {
        let plannedEpochs: [Int]
        switch tuner.algorithm {
        case let .randomSearch(maxTrials):
            plannedEpochs = Array(repeating: tuner.recipe.epochs, count: maxTrials)
        case let .hyperband(schedule):
            plannedEpochs = schedule.brackets.flatMap { $0.rounds.flatMap { Array(repeating: $0.epochs - $0.initialEpoch, count: $0.size) } }
        }
        var stopReason: String?
        do {
            switch tuner.algorithm {
            case let .randomSearch(maxTrials):
                for _ in 0..<maxTrials {
                    guard let values = drawValues() else { throw Stop.exhausted }
                    try train(TunerTrial(id: nextID, values: values, initialEpoch: 0, epochs: tuner.recipe.epochs), plannedEpochs, report)
                }
            case let .hyperband(schedule):
                for bracket in schedule.brackets {
                    try runBracket(bracket, plannedEpochs, report)
                }
            }
        } catch let stop as Stop {
            stopReason = stop.reason
            try report(.stopped(reason: stop.reason))
        }
        guard let best else {
            throw TunerError("The search trained no trial: \(stopReason ?? "nothing was planned"). Raise the budget.")
        }
        let bestTrial = trials[best.index]
        let model = try tuner.recipe(for: bestTrial.values).makeModel(for: tuner.data, seed: tuner.firstSeed)
        try model.setWeights(best.weights)
        if !tuner.data.train.classNames.isEmpty { model.classNames = tuner.data.train.classNames }
        return TunerResult(objective: tuner.objective, trials: trials, bestIndex: best.index, bestModel: model,
                           seeds: tuner.seedList, seconds: planner.elapsedSeconds, stopReason: stopReason)
    }

    /// Why a search ends before its plan.
    enum Stop: Error {
        case exhausted
        case budget(String)

        var reason: String {
            switch self {
            case .exhausted: return "every new draw repeated a trial already run (\(TunerSearch.maximumCollisions) in a row): the search space is exhausted"
            case let .budget(reason): return reason
            }
        }
    }

    private var nextID: String {
        let number = String(trials.count)
        return String(repeating: "0", count: max(0, idWidth - number.count)) + number
    }

    /// Values not tried yet, or nil after `maximumCollisions` draws that were all tried.
    private mutating func drawValues() -> [(name: String, value: HyperParameterValue)]? {
        for _ in 0..<Self.maximumCollisions {
            let values = tuner.searched.map { (name: $0.name, value: $0.sample(using: &generator)) }
            if tried.insert(values.map(\.value)).inserted { return values }
        }
        return nil
    }

    /// One bracket: its random trials, then each round's best of the round before, trained on.
    private mutating func runBracket(_ bracket: HyperbandSchedule.Bracket, _ plannedEpochs: [Int],
                                     _ report: (Tuner.Event) throws -> Void) throws {
        var previousRound: [Int] = []
        for (roundNumber, round) in bracket.rounds.enumerated() {
            var thisRound: [Int] = []
            if roundNumber == 0 {
                for _ in 0..<round.size {
                    guard let values = drawValues() else { throw Stop.exhausted }
                    thisRound.append(try train(TunerTrial(id: nextID, values: values, initialEpoch: 0, epochs: round.epochs,
                                                          bracket: bracket.number, round: 0), plannedEpochs, report))
                }
            } else {
                // The best of the round before (ties: the earlier trial), as many as the round holds.
                let ranked = previousRound.enumerated().sorted { left, right in
                    let (a, b) = (trials[left.element].score, trials[right.element].score)
                    if tuner.objective.isBetter(a, than: b) { return true }
                    if tuner.objective.isBetter(b, than: a) { return false }
                    return left.offset < right.offset
                }.map(\.element)
                for index in ranked.prefix(round.size) {
                    let past = trials[index]
                    thisRound.append(try train(TunerTrial(id: nextID, values: past.values, initialEpoch: round.initialEpoch,
                                                          epochs: round.epochs, bracket: bracket.number, round: roundNumber,
                                                          previousTrialID: past.id), plannedEpochs, report))
                }
            }
            for index in previousRound { checkpoints[trials[index].id] = nil }
            previousRound = thisRound
        }
        for index in previousRound { checkpoints[trials[index].id] = nil }
    }

    /// Trains every run of `trial`, records it, and returns its index.
    @discardableResult
    private mutating func train(_ trial: TunerTrial, _ plannedEpochs: [Int], _ report: (Tuner.Event) throws -> Void) throws -> Int {
        var trial = trial
        let seeds = tuner.seedList
        if let reason = planner.refusal(runs: seeds.count, epochs: trial.epochs - trial.initialEpoch) {
            throw Stop.budget("trial \(trial.id) would not fit: \(reason)")
        }
        let left = plannedEpochs.dropFirst(trials.count).reduce(0, +)
        try report(.trialStarted(trial, number: trials.count + 1, planned: plannedEpochs.count,
                                 etaSeconds: planner.cost(runs: seeds.count, epochs: 1).map { $0 * Double(left) }))
        let recipe = try tuner.recipe(for: trial.values)
        let start = planner.elapsedSeconds
        var bestValues: [Double] = []
        var weights: [[Tensor]] = []
        for (offset, seed) in seeds.enumerated() {
            let startWeights = trial.previousTrialID.flatMap { checkpoints[$0]?[offset] }
            let run = try TunerRun.train(recipe: recipe, data: tuner.data, seed: seed, initialEpoch: trial.initialEpoch,
                                         epochs: trial.epochs, startWeights: startWeights, objective: tuner.objective)
            planner.recordRun(epochs: trial.epochs - trial.initialEpoch)
            trial.logs.append(run.log)
            bestValues.append(run.best)
            weights.append(run.weights)
            try report(.runFinished(trial, seed: seed, log: run.log, best: run.best))
        }
        trial.score = bestValues.reduce(0, +) / Double(bestValues.count)
        trial.seconds = planner.elapsedSeconds - start
        trials.append(trial)
        let index = trials.count - 1
        if case .hyperband = tuner.algorithm { checkpoints[trial.id] = weights }
        let isBest = best.map { tuner.objective.isBetter(trial.score, than: trials[$0.index].score) } ?? true
        if isBest, let first = weights.first { best = (index, first) }
        try report(.trialFinished(trial, isBest: isBest))
        return index
    }
}
