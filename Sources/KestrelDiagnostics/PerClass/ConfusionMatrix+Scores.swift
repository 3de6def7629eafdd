/// Building a confusion matrix straight from a model's output scores.
extension ConfusionMatrix {
    /// The predicted class of each sample: the index of the largest score in each row of
    /// row-major `scores` (`sampleCount × classCount`, softmax probabilities or logits — the
    /// storage of a `model.predict` output). NaN scores never win.
    /// - Throws: `ConfusionMatrixError.invalidScores` when `classCount` is not positive or
    ///   `scores.count` is not a multiple of it.
    public static func predictedLabels(scores: [Float], classCount: Int) throws -> [Int] {
        guard classCount > 0 else { throw ConfusionMatrixError.invalidClassCount(classCount) }
        guard scores.count % classCount == 0 else {
            throw ConfusionMatrixError.invalidScores(count: scores.count, classCount: classCount)
        }
        return stride(from: 0, to: scores.count, by: classCount).map { start in
            var best = 0
            var bestScore = -Float.infinity
            for column in 0..<classCount {
                let score = scores[start + column]
                if score > bestScore { best = column; bestScore = score }
            }
            return best
        }
    }

    /// A matrix of `trueLabels` against the argmax of row-major `scores`.
    public init(trueLabels: [Int], scores: [Float], classCount: Int, classNames: [String]? = nil) throws {
        let predicted = try Self.predictedLabels(scores: scores, classCount: classCount)
        try self.init(trueLabels: trueLabels, predictedLabels: predicted, classCount: classCount, classNames: classNames)
    }
}
