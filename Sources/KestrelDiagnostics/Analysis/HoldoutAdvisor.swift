/// Compares test metrics with the log's validation and training metrics (internal).
struct HoldoutAdvisor: Sendable {
    let log: TrainingLog
    let options: DiagnosisOptions

    func compare(_ holdout: HoldoutMetrics, verdict: Verdict) -> [HoldoutComparison] {
        let keys = MetricKeys(log)
        return holdout.values.keys.sorted().compactMap { rawName in
            guard let test = holdout.values[rawName] else { return nil }
            let name = rawName.hasPrefix("test_") ? String(rawName.dropFirst(5)) : rawName
            let isAccuracy = MetricKeys.accuracyNames.contains(name)
            let trainName = isAccuracy ? (keys.accuracy ?? name) : name
            let validationName = isAccuracy ? (keys.validationAccuracy ?? "val_" + name) : "val_" + name
            let train = log.values(trainName).flatMap(SeriesStatistics.lastFinite)?.value
            let validation = log.values(validationName).flatMap(SeriesStatistics.lastFinite)?.value
            return comparison(name: name, test: test, train: train, validation: validation,
                              validationName: validationName, verdict: verdict)
        }
    }

    private func comparison(name: String, test: Double, train: Double?, validation: Double?,
                            validationName: String, verdict: Verdict) -> HoldoutComparison {
        let orientation = MetricOrientation.inferred(for: name)
        let format = DiagnosticsFormat.number
        let testText = "test \(name) \(format(test))"
        guard let validation else {
            guard let train else {
                return HoldoutComparison(metric: name, testValue: test, validationValue: nil, trainingValue: nil,
                                         agreesWithValidation: nil, sentence: "\(testText) has no training or validation counterpart in the log.")
            }
            let large = worseBeyondTolerance(test, than: train, orientation: orientation)
            let sentence = large
                ? "\(testText) is clearly worse than the final training \(name) \(format(train)): the model does worse on unseen data, the mark of overfitting."
                : "\(testText) is close to the final training \(name) \(format(train)): no sign of overfitting on unseen data."
            return HoldoutComparison(metric: name, testValue: test, validationValue: nil, trainingValue: train,
                                     agreesWithValidation: nil, sentence: sentence)
        }
        let agrees = !worseBeyondTolerance(test, than: validation, orientation: orientation)
            && !worseBeyondTolerance(validation, than: test, orientation: orientation)
        var sentence: String
        if agrees {
            sentence = "\(testText) is close to \(validationName) \(format(validation)) at the last epoch: the test set confirms the validation curve"
            switch verdict {
            case .overfitting: sentence += ", so the overfitting verdict holds on unseen data."
            case .goodFit: sentence += ", so the good-fit verdict holds on unseen data."
            default: sentence += "."
            }
        } else if worseBeyondTolerance(test, than: validation, orientation: orientation) {
            sentence = "\(testText) is clearly worse than \(validationName) \(format(validation)) at the last epoch: the validation set flatters the model (it may be small, differently distributed, or used for many choices); trust the test number."
        } else {
            sentence = "\(testText) is better than \(validationName) \(format(validation)) at the last epoch: the test data look easier; the verdict is not contradicted."
        }
        return HoldoutComparison(metric: name, testValue: test, validationValue: validation, trainingValue: train,
                                 agreesWithValidation: agrees, sentence: sentence)
    }

    /// Whether `value` is worse than `reference` by more than the tolerance for this metric kind.
    private func worseBeyondTolerance(_ value: Double, than reference: Double, orientation: MetricOrientation) -> Bool {
        switch orientation {
        case .minimize: return value - reference > options.holdoutLossTolerance * max(abs(reference), 1e-12)
        case .maximize: return reference - value > options.holdoutAccuracyTolerance
        }
    }
}
