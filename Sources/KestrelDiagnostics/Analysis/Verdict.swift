/// The one-word reading of a learning curve.
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Validation loss rising after its minimum, or a persistent train−validation accuracy gap.
    case overfitting
    /// Training loss still falling clearly, or training accuracy low, without overfitting signs.
    case underfitting
    /// Validation loss flat near its minimum with a small gap.
    case goodFit
    /// Loss oscillating instead of settling: the signature of a too-high learning rate.
    case unstable
    /// Loss growing over the epochs, or absurdly large with the accuracy stuck: the learning rate is too high.
    case diverging
    /// A NaN or infinite loss (training, validation or test): training broke down.
    case nanLoss
    /// No validation data (or too few epochs): over- and underfitting cannot be told apart.
    case cannotJudge

    /// A short title for people ("Overfitting", "Underfitting / still learning", …).
    public var title: String {
        switch self {
        case .overfitting: return "Overfitting"
        case .underfitting: return "Underfitting / still learning"
        case .goodFit: return "Good fit"
        case .unstable: return "Unstable training"
        case .diverging: return "Diverging"
        case .nanLoss: return "NaN loss"
        case .cannotJudge: return "Cannot judge"
        }
    }
}
