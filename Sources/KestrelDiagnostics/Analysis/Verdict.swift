/// The one-word reading of a learning curve: its character.
///
/// Raw values are stable (the dashboard, the report and `--json` read them); new characters get
/// new cases rather than new meanings for old ones.
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Validation loss worse than its best for several epochs, or a persistent train−validation accuracy gap.
    case overfitting
    /// Training has levelled off at a low accuracy: the model is too weak for the data (or over-regularised).
    case underfitting
    /// Both curves still improving clearly at the end: more epochs would help.
    case stillLearning
    /// Still improving, but so slowly and steadily that the learning rate is too low.
    case underTrained
    /// Validation loss flat near its minimum with a small gap (converged).
    case goodFit
    /// The run ended a few epochs after its best, as EarlyStopping ends runs; the best weights are the ones to keep.
    case earlyStopped
    /// Loss oscillating instead of settling: the signature of a too-high learning rate.
    case unstable
    /// Loss growing over the epochs, or exploding and then stuck: the learning rate is too high.
    case diverging
    /// Accuracy at chance and loss at the chance level (ln of the classes) without improving: the model stopped learning.
    case collapsed
    /// Training improves while validation sits at chance with an exploding loss: the model behaves
    /// differently in inference mode (BatchNormalization statistics, preprocessing).
    case trainInferenceMismatch
    /// Validation much better than training without regularisation to explain it: validation data may overlap the training data.
    case leakageSuspected
    /// A NaN or infinite loss (training, validation or test): training broke down.
    case nanLoss
    /// No validation data (or too few epochs): over- and underfitting cannot be told apart.
    case cannotJudge

    /// A short title for people ("Overfitting", "Still learning", …).
    public var title: String {
        switch self {
        case .overfitting: return "Overfitting"
        case .underfitting: return "Underfitting"
        case .stillLearning: return "Still learning"
        case .underTrained: return "Under-trained (learning rate too low)"
        case .goodFit: return "Good fit"
        case .earlyStopped: return "Early-stopped"
        case .unstable: return "Unstable training"
        case .diverging: return "Diverging"
        case .collapsed: return "Not learning (learning rate too high)"
        case .trainInferenceMismatch: return "Train/inference mismatch"
        case .leakageSuspected: return "Data leakage suspected"
        case .nanLoss: return "NaN loss"
        case .cannotJudge: return "Cannot judge"
        }
    }

    /// Whether the learning rate is the first thing to change (the run broke down or stopped learning).
    public var blamesLearningRate: Bool {
        [.unstable, .diverging, .collapsed, .nanLoss, .underTrained].contains(self)
    }
}
