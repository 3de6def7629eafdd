/// Another model trained on the same data and split, whose curves a diagnosis may compare with: the
/// models of an overfit/underfit study, or the other histories given to `kestrel compare`.
///
/// A low accuracy alone cannot tell a model that is too small from a task whose labels are noisy (the
/// HIGGS data: no model does much better than 0.72); a sibling that reaches a clearly better validation
/// value on the same data can. Underfitting is then read as Keras users read it: the training loss
/// is high (worse than what a sibling reaches on unseen data), validation is close to training, and
/// a model of at least the same size does better.
public struct SiblingRun: Sendable {
    /// The sibling's name, for sentences ("Large", "L2").
    public var name: String
    /// Its training log, with the same metric names.
    public var log: TrainingLog
    /// Its number of parameters, when known: only siblings at least as large count as evidence that
    /// more capacity would help (unknown sizes count as any model that does better on the same data).
    public var parameterCount: Int?

    /// A sibling run.
    public init(name: String, log: TrainingLog, parameterCount: Int? = nil) {
        self.name = name
        self.log = log
        self.parameterCount = parameterCount
    }
}
