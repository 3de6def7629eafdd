/// How a `Tuner` chooses its trials.
public enum TunerAlgorithm: Sendable, Equatable {
    /// Keras Tuner's `RandomSearch`: up to `maxTrials` trials of random values, each trained for
    /// the recipe's epochs.
    case randomSearch(maxTrials: Int)
    /// Keras Tuner's `Hyperband`: brackets of successive halving (`HyperbandSchedule`).
    case hyperband(HyperbandSchedule)

    /// The most trials a random search may ask for.
    public static let maximumTrials = 10_000
}
