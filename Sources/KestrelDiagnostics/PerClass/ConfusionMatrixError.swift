/// Why a confusion matrix could not be built. Each message names the argument and the fix.
public enum ConfusionMatrixError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `trueLabels` and `predictedLabels` differ in length.
    case lengthMismatch(trueCount: Int, predictedCount: Int)
    /// A label is negative or not below `classCount`.
    case labelOutOfRange(argument: String, position: Int, label: Int, classCount: Int)
    /// `classNames` has the wrong number of names.
    case classNamesCount(names: Int, classCount: Int)
    /// `counts` is not a square matrix of non-negative counts.
    case invalidCounts(String)
    /// Two matrices to compare have different classes.
    case classCountMismatch(train: Int, validation: Int)
    /// `classCount` is not positive.
    case invalidClassCount(Int)
    /// A flat score array whose length is not a multiple of the class count.
    case invalidScores(count: Int, classCount: Int)

    /// The message, which names what is at fault and the fix.
    public var description: String {
        switch self {
        case .lengthMismatch(let trueCount, let predictedCount):
            return "trueLabels has \(trueCount) labels but predictedLabels has \(predictedCount); pass one prediction per true label."
        case .labelOutOfRange(let argument, let position, let label, let classCount):
            return "\(argument)[\(position)] is \(label), outside 0..<\(classCount); pass labels as class indices or raise classCount."
        case .classNamesCount(let names, let classCount):
            return "classNames has \(names) names for \(classCount) classes; pass one name per class."
        case .invalidCounts(let reason):
            return "counts is not a valid confusion matrix: \(reason)."
        case .classCountMismatch(let train, let validation):
            return "The train matrix has \(train) classes but the validation matrix has \(validation); build both with the same classCount."
        case .invalidClassCount(let count):
            return "classCount is \(count); pass a positive number of classes."
        case .invalidScores(let count, let classCount):
            return "scores has \(count) values, not a multiple of classCount \(classCount); pass one row of \(classCount) scores per sample."
        }
    }
}
