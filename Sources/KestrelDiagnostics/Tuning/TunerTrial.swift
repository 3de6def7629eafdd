/// One trial of a search: its hyper-parameter values, the epochs it trained, its runs and score.
public struct TunerTrial: Sendable, Equatable {
    /// Keras Tuner's trial id: the trial's number, zero-padded ("0003").
    public let id: String
    /// The values of the template's hyper-parameters and, when tuned, `learning_rate`.
    public let values: [(name: String, value: HyperParameterValue)]
    /// The epoch the trial started from (non-zero for a model Hyperband promoted).
    public let initialEpoch: Int
    /// The epoch the trial trained to.
    public let epochs: Int
    /// Hyperband's bracket and round (nil for a random search).
    public let bracket: Int?, round: Int?
    /// The trial whose model this one trained on (Hyperband's `tuner/trial_id`).
    public let previousTrialID: String?
    /// Each run's history (one per seed), epochs `initialEpoch + 1 … epochs`.
    public var logs: [TrainingLog] = []
    /// The mean over the runs of the best epoch's objective; NaN until trained.
    public var score: Double = .nan
    /// Seconds the runs took.
    public var seconds: Double = 0

    /// A trial to train.
    public init(id: String, values: [(name: String, value: HyperParameterValue)], initialEpoch: Int, epochs: Int,
                bracket: Int? = nil, round: Int? = nil, previousTrialID: String? = nil) {
        self.id = id
        self.values = values
        self.initialEpoch = initialEpoch
        self.epochs = epochs
        self.bracket = bracket
        self.round = round
        self.previousTrialID = previousTrialID
    }

    /// The value of `name`, if the trial has it.
    public func value(_ name: String) -> HyperParameterValue? { values.first { $0.name == name }?.value }

    /// The hyper-parameters as Keras Tuner's `results_summary` lists them: the values, then for
    /// Hyperband `tuner/epochs`, `tuner/initial_epoch`, `tuner/bracket`, `tuner/round` and, for a
    /// promoted model, `tuner/trial_id`.
    public var summaryLines: [String] {
        var lines = values.map { "\($0.name): \($0.value)" }
        if let bracket, let round {
            lines += ["tuner/epochs: \(epochs)", "tuner/initial_epoch: \(initialEpoch)", "tuner/bracket: \(bracket)", "tuner/round: \(round)"]
            if let previousTrialID { lines.append("tuner/trial_id: \(previousTrialID)") }
        }
        return lines
    }

    /// Equal ids, values, epochs and scores.
    public static func == (lhs: TunerTrial, rhs: TunerTrial) -> Bool {
        lhs.id == rhs.id && lhs.values.elementsEqual(rhs.values, by: { $0.name == $1.name && $0.value == $1.value })
            && lhs.initialEpoch == rhs.initialEpoch && lhs.epochs == rhs.epochs && lhs.bracket == rhs.bracket
            && lhs.round == rhs.round && lhs.previousTrialID == rhs.previousTrialID && lhs.logs == rhs.logs
            && (lhs.score == rhs.score || (lhs.score.isNaN && rhs.score.isNaN))
    }
}
