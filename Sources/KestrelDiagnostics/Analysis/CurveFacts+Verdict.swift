/// Turning the measurements into a verdict with evidence sentences.
extension CurveFacts {
    private func format(_ value: Double) -> String { DiagnosticsFormat.number(value) }
    private func epoch(_ index: Int) -> String {
        DiagnosticsFormat.epoch(index < log.epochs.count ? log.epochs[index] : index)
    }

    func verdict() -> Diagnosis {
        var diagnosis = Diagnosis(verdict: .cannotJudge, headline: "", evidence: [], suggestions: [],
                                  epochCount: count, monitor: monitor, bestEpoch: bestIndex, bestValue: bestValue,
                                  accuracyGap: accuracyGap, lossGap: lossGap, stillLearning: stillLearning,
                                  earlyStopping: earlyStopping)
        if let breakdown = breakdownVerdict() {
            diagnosis.verdict = breakdown.verdict
            diagnosis.headline = breakdown.headline
            diagnosis.evidence = breakdown.evidence
            return diagnosis
        }
        if count < options.minimumEpochs {
            diagnosis.headline = "Only \(count) epoch\(count == 1 ? "" : "s") logged: too few to read a trend (at least \(options.minimumEpochs) are needed)."
            diagnosis.evidence = [diagnosis.headline]
            return diagnosis
        }
        if let unstable = instabilityEvidence() {
            diagnosis.verdict = .unstable
            diagnosis.headline = unstable.headline
            diagnosis.evidence = unstable.evidence + (hasValidation ? monitorEvidence() : [noValidationSentence])
            return diagnosis
        }
        guard hasValidation else {
            diagnosis.headline = "No validation data: overfitting cannot be told from a good fit."
            diagnosis.evidence = [noValidationSentence] + trainingTrendEvidence()
            if stillLearning {
                diagnosis.evidence.append("Judging from the training curve alone, the model is still learning: more epochs would lower the training loss further.")
            }
            return diagnosis
        }
        var evidence = monitorEvidence()
        evidence += gapEvidence()
        if sustainedWorsening || persistentGap {
            diagnosis.verdict = .overfitting
            let onset = sustainedWorsening
                ? min(count - 1, (smoothedMinimumIndex ?? 0) + 1)
                : count - finalGapRunLength
            diagnosis.overfittingOnsetEpoch = onset
            diagnosis.validationClimb = climbFromBest()
            var parts: [String] = []
            if sustainedWorsening, let monitor, let climb = diagnosis.validationClimb {
                parts.append("\(monitor) has worsened by \(format(climb)) from its best")
            }
            if let gap = accuracyGap?.last, persistentGap {
                parts.append("the accuracy gap is \(format(gap))")
            }
            diagnosis.headline = "Overfitting from \(epoch(onset)) on: " + parts.joined(separator: " and ") + "."
            diagnosis.evidence = evidence + lossGapEvidence()
            return diagnosis
        }
        evidence += trainingTrendEvidence()
        if (stillLearning && validationStillImproving) || trainAccuracyLow {
            diagnosis.verdict = .underfitting
            diagnosis.headline = stillLearning && validationStillImproving
                ? "Still learning: the training and validation curves are still improving, so more epochs (or more capacity) would help."
                : "Underfitting: the training accuracy is low, so the model is too weak or trained too briefly."
            diagnosis.evidence = evidence
            return diagnosis
        }
        diagnosis.verdict = .goodFit
        diagnosis.headline = stillLearning
            ? "Good fit: the validation curve has levelled off (converged) near its best and the gap is small; more epochs would mostly fit the training set."
            : "Converged, a good fit: both curves have levelled off and the gap is small."
        if stillLearning, let monitor {
            evidence.append("The training loss is still falling but \(monitor) has levelled off: further epochs would mostly fit the training set.")
        }
        diagnosis.evidence = evidence
        return diagnosis
    }

    private var noValidationSentence: String {
        "The log has no validation metrics (no val_ keys), so overfitting cannot be told from a good fit; train with validation_split=0.2 or validation_data to judge it."
    }

    /// Worsening of the raw monitored value from its best to the last epoch (positive = worse).
    private func climbFromBest() -> Double? {
        guard let monitor, let values = log.values(monitor), let best = bestValue,
              let last = SeriesStatistics.lastFinite(values) else { return nil }
        return orientation == .minimize ? last.value - best : best - last.value
    }

    private func instabilityEvidence() -> (headline: String, evidence: [String])? {
        let name = keys.loss ?? keys.validationLoss ?? "loss"
        guard oscillating, let fraction = signChangeFraction, let amplitude = relativeAmplitude,
              (fraction * 100).isFinite, (amplitude * 100).isFinite, abs(amplitude * 100) < 1e15 else { return nil }
        let sentence = "\(name) changed direction in \(Int((fraction * 100).rounded()))% of epochs, by a median of \(Int((amplitude * 100).rounded()))% of its level per epoch, far more than its overall trend."
        return ("Unstable: the loss oscillates instead of settling (the learning rate is most likely too high).", [sentence])
    }

    /// NaN loss, or a diverging one: verdicts that come before any reading of the trends.
    private func breakdownVerdict() -> (verdict: Verdict, headline: String, evidence: [String])? {
        if let bad = nonFinite {
            let value = log.series[bad.name]?[bad.index] ?? .nan
            let finiteBefore = log.series[bad.name]?[..<bad.index].last { $0.isFinite }
            var sentence = "\(bad.name) is \(format(value)) at \(epoch(bad.index))"
            sentence += finiteBefore.map { " (the epoch before it was \(format($0)))." } ?? ", from the first epoch on."
            return (.nanLoss, "NaN loss: \(bad.name) became \(format(value)) at \(epoch(bad.index)), so training broke down and nothing after it can be read.",
                    [sentence])
        }
        if let growth = lossGrowth, let name = keys.loss, let loss = log.values(name) {
            let sentence = "\(name) grew from its minimum \(format(loss[growth.minimumIndex])) at \(epoch(growth.minimumIndex)) to \(format(loss[growth.lastIndex])) at \(epoch(growth.lastIndex)) (×\(format(loss[growth.lastIndex] / max(loss[growth.minimumIndex], 1e-300)))): the training loss itself is rising."
            return (.diverging, "Diverging: the training loss grows instead of falling, so the learning rate is too high.", [sentence] + accuracyStuckEvidence())
        }
        if let index = explodedLossIndex, let name = keys.loss, let loss = log.values(name) {
            let sentence = "\(name) is \(format(loss[index])) at \(epoch(index)), far above any loss a working model has (at least \(format(options.explodedLossLevel)))."
            return (.diverging, "Diverging: the loss has exploded and the accuracy stays low, so the learning rate is too high.", [sentence] + accuracyStuckEvidence())
        }
        return nil
    }

    private func accuracyStuckEvidence() -> [String] {
        guard let name = keys.accuracy, let accuracy = log.values(name), let first = accuracy.first(where: { $0.isFinite }),
              let last = SeriesStatistics.lastFinite(accuracy) else { return [] }
        let stuck = last.value - first < 0.05
        return ["\(name) went from \(format(first)) to \(format(last.value)) at \(epoch(last.index))" + (stuck ? ": the model is not learning." : ".")]
    }

    private func monitorEvidence() -> [String] {
        guard let monitor, let values = log.values(monitor), let best = bestIndex, let bestValue,
              let last = SeriesStatistics.lastFinite(values) else { return [] }
        var sentences: [String] = []
        let verb = orientation == .minimize ? "rose" : "fell"
        if sustainedWorsening {
            let window = last.index - (smoothedMinimumIndex ?? best)
            let relative = (last.value - bestValue) / max(abs(bestValue), 1e-12)
            sentences.append("\(monitor) \(verb) from \(format(bestValue)) at \(epoch(best)) to \(format(last.value)) at \(epoch(last.index)) (\(DiagnosticsFormat.percent(relative))), worsening over the last \(window) epochs.")
        } else if best == last.index {
            sentences.append("\(monitor) is at its best in the last epoch: \(format(bestValue)) at \(epoch(best)).")
        } else {
            let relative = (last.value - bestValue) / max(abs(bestValue), 1e-12)
            sentences.append("\(monitor) was best at \(epoch(best)) (\(format(bestValue))); at \(epoch(last.index)) it is \(format(last.value)) (\(DiagnosticsFormat.percent(relative))), within noise of its best.")
        }
        return sentences
    }

    private func gapEvidence() -> [String] {
        guard let gap = accuracyGap, let trainName = keys.accuracy, let validationName = keys.validationAccuracy,
              let last = SeriesStatistics.lastFinite(gap),
              let train = log.values(trainName)?[last.index], let validation = log.values(validationName)?[last.index]
        else { return [] }
        if persistentGap {
            return ["The accuracy gap (\(trainName) − \(validationName)) has been ≥ \(format(options.accuracyGapThreshold)) for the last \(finalGapRunLength) epochs; at \(epoch(last.index)) it is \(format(last.value)) (\(format(train)) vs \(format(validation)))."]
        }
        if last.value < 0 {
            return ["\(validationName) (\(format(validation))) is above \(trainName) (\(format(train))) at \(epoch(last.index)): usual with Dropout or data augmentation, which act only during training; this is not overfitting."]
        }
        return ["The accuracy gap (\(trainName) − \(validationName)) is \(format(last.value)) at \(epoch(last.index)), below the \(format(options.accuracyGapThreshold)) threshold."]
    }

    private func lossGapEvidence() -> [String] {
        guard let gap = lossGap, let first = gap.firstIndex(where: { $0.isFinite }),
              let last = SeriesStatistics.lastFinite(gap), last.index > first, last.value > gap[first] else { return [] }
        return ["The loss gap (val_loss − loss) grew from \(format(gap[first])) at \(epoch(first)) to \(format(last.value)) at \(epoch(last.index))."]
    }

    private func trainingTrendEvidence() -> [String] {
        var sentences: [String] = []
        if let slope = trainRelativeSlope, let name = keys.loss {
            let tail = min(options.tailWindow, count)
            if stillLearning {
                sentences.append("\(name) is still falling: \(DiagnosticsFormat.percent(slope)) per epoch over the last \(tail) epochs.")
            } else {
                sentences.append("\(name) has levelled off: \(DiagnosticsFormat.percent(slope)) per epoch over the last \(tail) epochs.")
            }
        }
        if let slope = validationRelativeSlope, let monitor {
            let tail = min(options.tailWindow, count)
            let shown = orientation == .minimize ? slope : -slope
            if validationStillImproving {
                sentences.append("\(monitor) is still improving: \(DiagnosticsFormat.percent(shown)) per epoch over the last \(tail) epochs.")
            } else if let best = bestIndex {
                let since = count - 1 - best
                sentences.append("\(monitor) has levelled off: \(DiagnosticsFormat.percent(shown)) per epoch over the last \(tail) epochs, \(since == 0 ? "best in the last epoch" : "last improved \(since) epoch\(since == 1 ? "" : "s") ago").")
            }
        }
        if trainAccuracyLow, let name = keys.accuracy, let last = log.values(name).flatMap(SeriesStatistics.lastFinite) {
            sentences.append("\(name) is only \(format(last.value)) at \(epoch(last.index)) (below \(format(options.lowTrainAccuracy))): the model does not even fit the training data well.")
        }
        return sentences
    }
}
