import Foundation

/// Keras Tuner's Hyperband schedule (`HyperbandOracle`): brackets of successive halving, the most
/// aggressive first. With `factor` f and `maxEpochs` E there are as many brackets as times E can be
/// divided by f while it stays at least 1; bracket b has b + 1 rounds; round r of bracket b trains
/// ⌈⌈1 + log_f E⌉ / (b + 1) · f^(b − r)⌉ models for ⌈E / f^(b − r)⌉ epochs in all, the models of round
/// r > 0 being the best of round r − 1, trained on from where they stood. `iterations` repeats the
/// whole sweep (Keras Tuner's `hyperband_iterations`).
public struct HyperbandSchedule: Sendable, Equatable {
    /// One round of a bracket.
    public struct Round: Sendable, Equatable {
        /// Models trained in the round.
        public let size: Int
        /// The epoch the round's models start from (0 in round 0).
        public let initialEpoch: Int
        /// The epoch the round's models are trained to (Keras Tuner's `tuner/epochs`).
        public let epochs: Int
    }

    /// One bracket: successive halving starting with `rounds[0].size` random models.
    public struct Bracket: Sendable, Equatable {
        /// Which sweep of the schedule (0 ..< iterations).
        public let iteration: Int
        /// Keras Tuner's bracket number: the most aggressive is the highest, 0 is plain random search.
        public let number: Int
        /// The rounds, in order.
        public let rounds: [Round]
    }

    /// The most epochs one model is trained (Keras Tuner's `max_epochs`).
    public let maxEpochs: Int
    /// The reduction factor of models and epochs from round to round (default 3).
    public let factor: Int
    /// Sweeps of all brackets (Keras Tuner's `hyperband_iterations`, default 1).
    public let iterations: Int

    /// The largest `maxEpochs` accepted.
    public static let maximumEpochs = 100_000
    /// The most sweeps accepted.
    public static let maximumIterations = 1_000

    /// A checked schedule; a `TunerError` names the argument out of range.
    public init(maxEpochs: Int, factor: Int = 3, iterations: Int = 1) throws {
        guard (1...Self.maximumEpochs).contains(maxEpochs) else {
            throw TunerError("Hyperband's max epochs must be 1…\(Self.maximumEpochs), got \(maxEpochs); set it a little above the epochs your largest model needs.")
        }
        guard (2...1_000).contains(factor) else {
            throw TunerError("Hyperband's factor must be a whole number 2…1000 (Keras Tuner's default is 3), got \(factor).")
        }
        guard (1...Self.maximumIterations).contains(iterations) else {
            throw TunerError("Hyperband's iterations must be 1…\(Self.maximumIterations), got \(iterations).")
        }
        self.maxEpochs = maxEpochs
        self.factor = factor
        self.iterations = iterations
    }

    /// The number of brackets in one sweep.
    public var bracketCount: Int {
        var epochs = Double(maxEpochs)
        var count = 0
        while epochs >= 1 {
            epochs /= Double(factor)
            count += 1
        }
        return count
    }

    /// Models in round `round` of bracket `bracket`.
    public func size(bracket: Int, round: Int) -> Int {
        let lastRoundOfBracketZero = (1 + log(Double(maxEpochs)) / log(Double(factor))).rounded(.up)
        let endSize = lastRoundOfBracketZero / Double(bracket + 1)
        return Int((endSize * pow(Double(factor), Double(bracket - round))).rounded(.up))
    }

    /// The epoch the models of round `round` of bracket `bracket` are trained to.
    public func epochs(bracket: Int, round: Int) -> Int {
        Int((Double(maxEpochs) / pow(Double(factor), Double(bracket - round))).rounded(.up))
    }

    /// Every bracket in the order they run: each sweep from the most aggressive bracket down to 0.
    public var brackets: [Bracket] {
        (0..<iterations).flatMap { iteration in
            (0..<bracketCount).reversed().map { number in
                Bracket(iteration: iteration, number: number, rounds: (0...number).map { round in
                    Round(size: size(bracket: number, round: round),
                          initialEpoch: round == 0 ? 0 : epochs(bracket: number, round: round - 1),
                          epochs: epochs(bracket: number, round: round))
                })
            }
        }
    }

    /// Trials in all (a promoted model is a new trial, as in Keras Tuner).
    public var trialCount: Int { brackets.reduce(0) { $0 + $1.rounds.reduce(0) { $0 + $1.size } } }

    /// Epochs trained in all (a promoted model trains only its new epochs).
    public var epochCount: Int {
        brackets.reduce(0) { $0 + $1.rounds.reduce(0) { $0 + $1.size * ($1.epochs - $1.initialEpoch) } }
    }
}
