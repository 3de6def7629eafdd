/// A confusion matrix: rows are true classes, columns predicted classes, cells counts.
public struct ConfusionMatrix: Sendable, Codable, Equatable {
    /// One name per class (defaults to "0", "1", …).
    public let classNames: [String]
    /// `counts[trueClass][predictedClass]`.
    public let counts: [[Int]]

    /// Counts `trueLabels[i]` against `predictedLabels[i]`.
    /// - Parameters:
    ///   - classCount: number of classes; default `max(label) + 1` over both lists (or the
    ///     number of `classNames` when given).
    ///   - classNames: display names, one per class.
    /// - Throws: `ConfusionMatrixError` for lists of different lengths, labels out of range
    ///   or the wrong number of names — never traps on user data.
    public init(trueLabels: [Int], predictedLabels: [Int], classCount: Int? = nil,
                classNames: [String]? = nil) throws {
        guard trueLabels.count == predictedLabels.count else {
            throw ConfusionMatrixError.lengthMismatch(trueCount: trueLabels.count, predictedCount: predictedLabels.count)
        }
        let inferred = max(trueLabels.max() ?? -1, predictedLabels.max() ?? -1) + 1
        let classes = classCount ?? classNames?.count ?? max(inferred, 1)
        guard classes > 0 else { throw ConfusionMatrixError.invalidClassCount(classes) }
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (position, (actual, predicted)) in zip(trueLabels, predictedLabels).enumerated() {
            guard (0..<classes).contains(actual) else {
                throw ConfusionMatrixError.labelOutOfRange(argument: "trueLabels", position: position, label: actual, classCount: classes)
            }
            guard (0..<classes).contains(predicted) else {
                throw ConfusionMatrixError.labelOutOfRange(argument: "predictedLabels", position: position, label: predicted, classCount: classes)
            }
            counts[actual][predicted] += 1
        }
        try self.init(counts: counts, classNames: classNames)
    }

    /// A matrix from its counts (square, non-negative).
    public init(counts: [[Int]], classNames: [String]? = nil) throws {
        guard !counts.isEmpty else { throw ConfusionMatrixError.invalidCounts("it has no rows") }
        guard counts.allSatisfy({ $0.count == counts.count }) else {
            throw ConfusionMatrixError.invalidCounts("it must be square, \(counts.count) rows of \(counts.count) counts")
        }
        guard counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw ConfusionMatrixError.invalidCounts("counts must not be negative")
        }
        if let classNames, classNames.count != counts.count {
            throw ConfusionMatrixError.classNamesCount(names: classNames.count, classCount: counts.count)
        }
        self.counts = counts
        self.classNames = classNames ?? counts.indices.map(String.init)
    }

    /// Number of classes.
    public var classCount: Int { counts.count }
    /// Number of samples.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Number of correct predictions (the diagonal).
    public var correct: Int { counts.indices.reduce(0) { $0 + counts[$1][$1] } }
    /// Overall accuracy (0 for an empty matrix).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Precision, recall, F1 and per-class accuracy of every class.
    public var perClassMetrics: [ClassMetrics] {
        counts.indices.map { index in
            ClassMetrics(classIndex: index, name: classNames[index], truePositives: counts[index][index],
                         support: counts[index].reduce(0, +),
                         predictedCount: counts.reduce(0) { $0 + $1[index] })
        }
    }

    /// Unweighted mean of the per-class F1 scores.
    public var macroF1: Double {
        let metrics = perClassMetrics
        return metrics.isEmpty ? 0 : metrics.reduce(0) { $0 + $1.f1 } / Double(metrics.count)
    }

    /// The off-diagonal cells with the most samples, largest first (ties: by true class, then
    /// predicted class); empty cells are left out.
    public func mostConfusedPairs(limit: Int = 5) -> [ConfusedPair] {
        var pairs: [ConfusedPair] = []
        for actual in counts.indices {
            let support = counts[actual].reduce(0, +)
            for predicted in counts.indices where predicted != actual && counts[actual][predicted] > 0 {
                let count = counts[actual][predicted]
                pairs.append(ConfusedPair(trueClass: actual, predictedClass: predicted, trueName: classNames[actual],
                                          predictedName: classNames[predicted], count: count,
                                          fractionOfTrueClass: support == 0 ? 0 : Double(count) / Double(support)))
            }
        }
        pairs.sort { ($0.count, -$0.trueClass, -$0.predictedClass) > ($1.count, -$1.trueClass, -$1.predictedClass) }
        return Array(pairs.prefix(max(0, limit)))
    }

    /// Per-class accuracy on training vs validation predictions; classes whose gap reaches
    /// `threshold` are flagged (default 0.05, the curve analysis's accuracy-gap default).
    /// - Throws: `ConfusionMatrixError.classCountMismatch` when the matrices differ in classes.
    public static func perClassGap(train: ConfusionMatrix, validation: ConfusionMatrix,
                                   threshold: Double = 0.05) throws -> [ClassGap] {
        guard train.classCount == validation.classCount else {
            throw ConfusionMatrixError.classCountMismatch(train: train.classCount, validation: validation.classCount)
        }
        return zip(train.perClassMetrics, validation.perClassMetrics).map { trainMetrics, validationMetrics in
            ClassGap(classIndex: trainMetrics.classIndex, name: validation.classNames[trainMetrics.classIndex],
                     trainAccuracy: trainMetrics.accuracy, validationAccuracy: validationMetrics.accuracy,
                     threshold: threshold)
        }
    }
}
