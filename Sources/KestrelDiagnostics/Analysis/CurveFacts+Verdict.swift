import Foundation

/// Turning the measurements into a verdict with evidence sentences, each carrying its claims.
///
/// Order: NaN → diverging → too few epochs → collapsed to chance → train/inference mismatch →
/// unstable → no validation → leakage suspicion → overfitting / early-stopped → under-trained /
/// still learning → underfitting → early-stopped / good fit.
extension CurveFacts {
    private func format(_ value: Double) -> String { DiagnosticsFormat.number(value) }
    private func percent(_ value: Double) -> String { DiagnosticsFormat.percent(value) }
    private func plainPercent(_ value: Double) -> String { DiagnosticsFormat.plainPercent(value) }
    private func epoch(_ index: Int) -> String {
        DiagnosticsFormat.epoch(index < log.epochs.count ? log.epochs[index] : index)
    }
    private func epochs(_ count: Int) -> String { "\(count) epoch\(count == 1 ? "" : "s")" }

    func verdict() -> Diagnosis {
        var diagnosis = Diagnosis(verdict: .cannotJudge, headline: "", evidence: [], suggestions: [],
                                  epochCount: count, monitor: monitor, bestEpoch: bestIndex, bestValue: bestValue,
                                  accuracyGap: accuracyGap, lossGap: lossGap, stillLearning: stillLearning,
                                  earlyStopping: earlyStopping)
        let (verdict, headline, evidence) = reading()
        diagnosis.verdict = verdict
        diagnosis.headline = headline
        diagnosis.evidence = evidence.sentences
        diagnosis.claims = evidence.claims
        if verdict == .overfitting {
            diagnosis.overfittingOnsetEpoch = overfittingOnset
            diagnosis.validationClimb = climbFromBest()
        }
        return diagnosis
    }

    private func reading() -> (Verdict, String, EvidenceWriter) {
        if let breakdown = breakdownReading() { return breakdown }
        var evidence = EvidenceWriter()
        if count < options.minimumEpochs {
            let headline = "Only \(epochs(count)) logged: too few to read a trend (at least \(options.minimumEpochs) are needed)."
            evidence.add(headline, [EvidenceClaim(quantity: .stated(name: "epochs"), value: Double(count), relation: .below, threshold: Double(options.minimumEpochs))])
            return (.cannotJudge, headline, evidence)
        }
        if collapsed, let collapse = collapseEvidence() {
            return (.collapsed, "Not learning: the model has collapsed to chance (accuracy of guessing, loss of predicting every class alike), so the learning rate is most likely too high.", collapse)
        }
        if mismatch, let mismatchEvidence = mismatchEvidence() {
            return (.trainInferenceMismatch, "Train/inference mismatch: training improves while the validation accuracy stays at chance and its loss explodes, so the model behaves differently in inference mode (BatchNormalization statistics, or preprocessing applied only in training).", mismatchEvidence)
        }
        if let oscillation {
            evidence.add(oscillationSentence(oscillation), oscillationClaims(oscillation))
            if hasValidation { evidence.append(monitorEvidence()) }
            return (.unstable, "Unstable: \(oscillation.metric) swings up and down instead of settling, so the learning rate is most likely too high.", evidence)
        }
        guard hasValidation else {
            evidence.add(noValidationSentence, [EvidenceClaim(quantity: .stated(name: "suggested validation split"), value: 0.2)])
            evidence.append(trainingTrendEvidence())
            if underTrained { evidence.append(underTrainedEvidence()) }
            return (.cannotJudge, "No validation data: overfitting cannot be told from a good fit.", evidence)
        }
        evidence.append(monitorEvidence())
        evidence.append(gapEvidence())
        if let leakage = leakageEvidence() {
            evidence.append(leakage)
            if !model.knowsRegularization {
                // From the log alone heavy Dropout looks the same (training metrics measured with it on): say so up front.
                return (.leakageSuspected, "Leakage suspected, unsure from the log alone: validation is much better than training, more than epoch averaging explains; check whether validation samples also appear in the training data, unless the model has heavy Dropout or augmentation, which look the same in a log (kestrel diagnose --dropout or --augmentation says so).", evidence)
            }
            return (.leakageSuspected, "Validation is much better than training, more than regularisation or epoch averaging explain: check whether validation samples also appear in the training data.", evidence)
        }
        evidence.append(validationAboveEvidence())
        // A steady rise beyond the noise band counts; a single jump does not (that is instability).
        let overfittingSigns = sustainedWorsening || persistentGap || ((relativeWorsening ?? 0) >= options.minimumRelativeRise && jumpEvidence() == nil)
        if overfittingSigns || !underfittingSuspected, let stopped = earlyStoppedEvidence(requireImprovingBeforeBest: !overfittingSigns) {
            evidence.append(stopped)
            return (.earlyStopped, "Early-stopped: the run ended a few epochs after its best, as EarlyStopping ends runs; keep the best epoch's weights (restore_best_weights=True).", evidence)
        }
        if sustainedWorsening || persistentGap {
            evidence.append(lossGapEvidence())
            return (.overfitting, overfittingHeadline(), evidence)
        }
        evidence.append(trainingTrendEvidence())
        if underTrained {
            evidence.append(underTrainedEvidence())
            return (.underTrained, "Under-trained: both curves still improve slowly and steadily, far from where they level off, so the learning rate is too low (raise it) or the run too short.", evidence)
        }
        let shortDescent = descendsLikeUnderTraining && count < options.minimumEpochsForInstability
        if (stillLearning && validationStillImproving) || shortDescent {
            if !(stillLearning && validationStillImproving), let name = keys.loss, let fraction = loss.flatMap(Self.descentFraction) {
                evidence.add("\(name) fell in \(plainPercent(fraction)) of the epochs of the last half and the validation curve is at its best in the last epoch, but \(epochs(count)) are too few (at least \(options.minimumEpochsForInstability) are needed) to tell a too-low learning rate from a run that simply needs more epochs.",
                             [EvidenceClaim(quantity: .descentFraction(metric: name), value: fraction, relation: .atLeast,
                                            threshold: options.steadyDescentFraction, rule: .underTrained),
                              EvidenceClaim(quantity: .stated(name: "epochs"), value: Double(count), relation: .below,
                                            threshold: Double(options.minimumEpochsForInstability))])
            }
            return (.stillLearning, "Still learning: the training and validation curves are still improving, so more epochs would help.", evidence)
        }
        if let otherData = otherDataEvidence() { evidence.append(otherData) }
        if let comparison = siblingComparison {
            evidence.append(siblingEvidence(comparison))
            if comparison.underfits(margin: options.minimumRelativeRise, orientation: orientation) {
                return (.underfitting, "Underfitting: it has levelled off, fits even its training data worse than \(comparison.bestSibling) fits unseen data, and \(comparison.bestSibling) does clearly better on the same data, so more capacity (or less regularisation) would help.", evidence)
            }
        } else if accuracyLow {
            evidence.append(lowAccuracyEvidence())
            return (.underfitting, "Possibly underfitting (a weak hint from this run alone): the accuracy has levelled off low with training no better than validation; whether the model is too weak or the labels are noisy can only be told by a larger model on the same data (kestrel compare).", evidence)
        }
        if let jump = jumpEvidence() {
            evidence.append(jump)
            return (.unstable, "Unstable: the monitored metric jumped well above its best at the end instead of settling, so the learning rate is most likely too high.", evidence)
        }
        evidence.append(luckyDipEvidence())
        if accuracyGap == nil, siblingComparison == nil {
            // A regression's loss is in its targets' units: no level of it reads as "low" from the log alone.
            evidence.add("Without an accuracy, this log alone cannot tell a good fit from underfitting (a too-simple model levels off too, with val_loss close to loss): whether the final val_loss is low depends on the targets' scale, so compare it with the loss of always predicting the training mean, or with a larger model on the same data (kestrel compare).")
        }
        if stillLearning, let monitor {
            evidence.add("The training loss is still falling but \(monitor) has levelled off: further epochs would mostly fit the training set.")
            return (.goodFit, "Good fit: the validation curve has levelled off (converged) near its best\(gapClause); more epochs would mostly fit the training set.", evidence)
        }
        return (.goodFit, "Converged, a good fit: both curves have levelled off\(gapClause).", evidence)
    }

    /// Why siblings were left out of the underfitting comparison: their recorded data differ from this
    /// run's (sample counts, targets), so their values are not comparable; nil when none was.
    private func otherDataEvidence() -> EvidenceWriter? {
        let otherData = siblingsOnOtherData
        guard !otherData.isEmpty else { return nil }
        var evidence = EvidenceWriter()
        for (name, differences) in otherData {
            evidence.add("The sibling rule leaves out '\(name)': it was trained or validated on other data (\(differences.map(\.phrase).joined(separator: "; "))), so its values say nothing about this model's capacity.",
                         differences.flatMap(\.claims))
        }
        if siblingComparison == nil {
            evidence.add("No sibling was trained and validated on the same data, so underfitting is read from this run alone.")
        }
        return evidence
    }

    /// What a good fit says of the train–validation gap: small where an accuracy gap was measured; a log
    /// without accuracy (a regression) has no gap rule, so the headline says it was not judged.
    private var gapClause: String {
        accuracyGap != nil ? " and the gap is small"
            : " (the log has no accuracy, so the gap between training and validation was not judged, nor whether the level is good rather than underfitting: compare loss and val_loss in the curves)"
    }

    private var noValidationSentence: String {
        "The log has no validation metrics (no val_ keys), so overfitting cannot be told from a good fit; train with validation_split=0.2 or validation_data to judge it."
    }

    private func overfittingHeadline() -> String {
        var parts: [String] = []
        if sustainedWorsening, let monitor, let climb = climbFromBest() { parts.append("\(monitor) has worsened by \(format(climb)) from its best") }
        if persistentGap, let gap = accuracyGap?.last { parts.append("the accuracy gap is \(format(gap))") }
        return "Overfitting from \(epoch(overfittingOnset)) on: " + parts.joined(separator: " and ") + "."
    }

    /// The first epoch of overfitting: the one after the smoothed best, or the first of the final run of large gaps.
    private var overfittingOnset: Int {
        guard sustainedWorsening, let row = smoothedBest?.row, let monitor, let values = log.values(monitor) else { return count - finalGapRunLength }
        // The raw minimum next to the smoothed one, so the onset is the first really worse epoch.
        let half = max(1, options.smoothingWidth) / 2
        let neighbourhood = max(0, row - half)...min(count - 1, row + half)
        let minimum = neighbourhood.filter { values[$0].isFinite }.min { orientation.badness(values[$0]) < orientation.badness(values[$1]) } ?? row
        return min(count - 1, minimum + 1)
    }

    /// Worsening of the raw monitored value from its best to the last epoch (positive = worse).
    private func climbFromBest() -> Double? {
        guard let best = bestValue, let last = lastMonitor else { return nil }
        return orientation == .minimize ? last.value - best : best - last.value
    }

    // MARK: breakdowns

    private func breakdownReading() -> (Verdict, String, EvidenceWriter)? {
        var evidence = EvidenceWriter()
        if let bad = nonFinite {
            let column = log.series[bad.name] ?? []
            let value = column[bad.index] ?? .nan
            let before = column[..<bad.index].lastIndex { $0?.isFinite == true }
            var sentence = "\(bad.name) is \(format(value)) at \(epoch(bad.index))"
            var claims = [EvidenceClaim(quantity: .value(metric: bad.name, row: bad.index), value: value)]
            if let before, let previous = column[before] {
                sentence += before == bad.index - 1 ? " (the epoch before it was \(format(previous)))." : " (at \(epoch(before)) it was \(format(previous)))."
                claims.append(EvidenceClaim(quantity: .value(metric: bad.name, row: before), value: previous))
            } else {
                sentence += ", from the first epoch on."
            }
            evidence.add(sentence, claims)
            return (.nanLoss, "NaN loss: \(bad.name) became \(format(value)) at \(epoch(bad.index)), so training broke down and nothing after it can be read.", evidence)
        }
        if let growth = lossGrowth, let name = keys.loss, let loss {
            let factor = loss[growth.lastIndex] / max(loss[growth.minimumIndex], 1e-300)
            evidence.add("\(name) grew from its minimum \(format(loss[growth.minimumIndex])) at \(epoch(growth.minimumIndex)) to \(format(loss[growth.lastIndex])) at \(epoch(growth.lastIndex)) (×\(format(factor)), at least ×\(DiagnosticsFormat.factor(options.divergenceGrowthFactor))): the training loss itself is rising.",
                         [EvidenceClaim(quantity: .bestRow(metric: name), value: Double(growth.minimumIndex)),
                          EvidenceClaim(quantity: .value(metric: name, row: growth.minimumIndex), value: loss[growth.minimumIndex]),
                          EvidenceClaim(quantity: .value(metric: name, row: growth.lastIndex), value: loss[growth.lastIndex]),
                          EvidenceClaim(quantity: .ratio(metric: name, row: growth.lastIndex, denominator: name, denominatorRow: growth.minimumIndex),
                                        value: factor, relation: .atLeast, threshold: options.divergenceGrowthFactor, rule: .explosion)])
            evidence.append(accuracyStuckEvidence())
            return (.diverging, "Diverging: the training loss grows instead of falling, so the learning rate is too high.", evidence)
        }
        if let index = explosionIndex, let name = keys.loss, let loss {
            let settled = Self.tailMedian(loss)
            let limit = chance.map { options.explosionFactor * $0.loss } ?? min(options.explodedLossLevel, options.explosionFactor * max(settled, 1e-12))
            var sentence = "\(name) reached \(format(loss[index])) at \(epoch(index))"
            var claims = [EvidenceClaim(quantity: .maximum(metric: name, through: count - 1), value: loss[index]),
                          EvidenceClaim(quantity: .value(metric: name, row: index), value: loss[index], relation: .atLeast, threshold: limit)]
            if let chance {
                sentence += ", at least \(DiagnosticsFormat.factor(options.explosionFactor))× the chance loss \(format(chance.loss)) (\(chance.source)): the weights blew up."
                claims += [EvidenceClaim(quantity: .stated(name: "explosion factor"), value: options.explosionFactor, rule: .explosion)]
                claims += chanceClaims(chance)
            } else {
                sentence += ", at least \(format(limit)) (\(DiagnosticsFormat.factor(options.explosionFactor))× the settled loss \(format(settled)), at most \(format(options.explodedLossLevel))): the weights blew up."
                claims += [EvidenceClaim(quantity: .stated(name: "exploded loss level"), value: options.explodedLossLevel, rule: .explosion),
                           EvidenceClaim(quantity: .stated(name: "explosion factor"), value: options.explosionFactor, rule: .explosion),
                           EvidenceClaim(quantity: .tailMedian(metric: name, count: 3), value: settled)]
            }
            evidence.add(sentence, claims)
            evidence.append(accuracyStuckEvidence())
            if explodedAtEnd, let last = SeriesStatistics.lastFinite(loss) {
                evidence.add("\(name) is still \(format(last.value)) at \(epoch(last.index)), at least \(format(options.explodedLossLevel)): the log has an accuracy, so this is a classifier's loss, and no working classifier's cross-entropy comes near that; its accuracy moves, but on predictions with absurd confidence.",
                             [EvidenceClaim(quantity: .value(metric: name, row: last.index), value: last.value, relation: .atLeast,
                                            threshold: options.explodedLossLevel, rule: .explosion)])
                return (.diverging, "Diverging: the training loss is still exploded in the last epoch (the weights blew up), so the learning rate is too high or the inputs are not scaled.", evidence)
            }
            return (.diverging, "Diverging: the loss exploded and the model has not learned since, so the learning rate is too high.", evidence)
        }
        return nil
    }

    private func chanceClaims(_ chance: Chance) -> [EvidenceClaim] {
        var claims = [EvidenceClaim(quantity: .stated(name: "chance loss"), value: chance.loss),
                      EvidenceClaim(quantity: .stated(name: "chance accuracy"), value: chance.accuracy)]
        if let classes = model.classes { claims.append(EvidenceClaim(quantity: .stated(name: "classes"), value: Double(classes))) }
        if !chance.known, chance.accuracy <= 0.5 {
            claims.append(EvidenceClaim(quantity: .stated(name: "classes"), value: (1 / chance.accuracy).rounded()))
        }
        return claims
    }

    private func accuracyStuckEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let name = keys.accuracy, let accuracy, let firstIndex = accuracy.firstIndex(where: \.isFinite),
              let last = SeriesStatistics.lastFinite(accuracy) else { return evidence }
        let first = accuracy[firstIndex]
        var claims = [EvidenceClaim(quantity: .value(metric: name, row: firstIndex), value: first),
                      EvidenceClaim(quantity: .value(metric: name, row: last.index), value: last.value)]
        var sentence = "\(name) went from \(format(first)) at \(epoch(firstIndex)) to \(format(last.value)) at \(epoch(last.index))"
        if let chance, last.value <= chance.accuracy + options.chanceAccuracyTolerance {
            sentence += ", chance level (\(format(chance.accuracy)) for \(chance.source)): the model is not learning."
            claims += chanceClaims(chance)
        } else {
            sentence += "."
        }
        evidence.add(sentence, claims)
        return evidence
    }

    private func collapseEvidence() -> EvidenceWriter? {
        guard let chance, let accuracyName = keys.accuracy, let lossName = keys.loss, let accuracy, let loss,
              let lastAccuracy = SeriesStatistics.lastFinite(accuracy), let lastLoss = SeriesStatistics.lastFinite(loss),
              let firstIndex = loss.firstIndex(where: \.isFinite) else { return nil }
        var evidence = EvidenceWriter()
        let settled = Self.tailMedian(accuracy)
        var claims = [EvidenceClaim(quantity: .tailMedian(metric: accuracyName, count: 3), value: settled,
                                    relation: .atMost, threshold: chance.accuracy + options.chanceAccuracyTolerance),
                      EvidenceClaim(quantity: .value(metric: accuracyName, row: lastAccuracy.index), value: lastAccuracy.value),
                      EvidenceClaim(quantity: .stated(name: "tolerance"), value: options.chanceAccuracyTolerance, rule: .chance),
                      EvidenceClaim(quantity: .stated(name: "median window"), value: 3)]
        claims += chanceClaims(chance)
        var sentence = "\(accuracyName) is \(format(lastAccuracy.value)) at \(epoch(lastAccuracy.index)) (median of the last 3 epochs \(format(settled)))"
        if let name = keys.validationAccuracy, let values = log.values(name), let last = SeriesStatistics.lastFinite(values) {
            let validationSettled = Self.tailMedian(values)
            sentence += " and \(name) \(format(last.value)) (median \(format(validationSettled)))"
            claims += [EvidenceClaim(quantity: .value(metric: name, row: last.index), value: last.value),
                       EvidenceClaim(quantity: .tailMedian(metric: name, count: 3), value: validationSettled,
                                     relation: .atMost, threshold: chance.accuracy + options.chanceAccuracyTolerance)]
        }
        sentence += ": the chance accuracy is \(format(chance.accuracy)) (\(chance.source)), and the medians are within \(format(options.chanceAccuracyTolerance)) of it or below."
        evidence.add(sentence, claims)
        evidence.add("\(lossName) is \(format(lastLoss.value)) at \(epoch(lastLoss.index)) (it was \(format(loss[firstIndex])) at \(epoch(firstIndex))): the loss of predicting the class frequencies is \(format(chance.loss)), and the model is no better: its loss differs from that by \(percent(lastLoss.value / chance.loss - 1)).",
                     [EvidenceClaim(quantity: .value(metric: lossName, row: lastLoss.index), value: lastLoss.value,
                                    relation: .atLeast, threshold: options.chanceLossFraction * chance.loss),
                      EvidenceClaim(quantity: .value(metric: lossName, row: firstIndex), value: loss[firstIndex]),
                      EvidenceClaim(quantity: .stated(name: "chance loss"), value: chance.loss),
                      EvidenceClaim(quantity: .stated(name: "relative to chance"), value: lastLoss.value / chance.loss - 1)])
        return evidence
    }

    private func mismatchEvidence() -> EvidenceWriter? {
        guard let lossName = keys.loss, let validationLossName = keys.validationLoss, let loss, let validationLoss,
              let firstIndex = loss.firstIndex(where: \.isFinite), let last = SeriesStatistics.lastFinite(loss),
              let lowest = validationLoss.indices.filter({ validationLoss[$0].isFinite }).min(by: { validationLoss[$0] < validationLoss[$1] })
        else { return nil }
        guard let reference = mismatchReference else { return nil }
        var evidence = EvidenceWriter()
        let first = loss[firstIndex]
        let trainingRatio = last.value / first
        let validationRatio = validationLoss[lowest] / reference.level
        let fell = "\(lossName) fell from \(format(first)) at \(epoch(firstIndex)) to \(format(last.value)) at \(epoch(last.index)) (\(plainPercent(trainingRatio)) of it, below \(plainPercent(options.underTrainedLossFraction)))"
        var claims = [EvidenceClaim(quantity: .value(metric: lossName, row: firstIndex), value: first),
                      EvidenceClaim(quantity: .value(metric: lossName, row: last.index), value: last.value),
                      EvidenceClaim(quantity: .ratio(metric: lossName, row: last.index, denominator: lossName, denominatorRow: firstIndex), value: trainingRatio,
                                    relation: .below, threshold: options.underTrainedLossFraction, rule: .mismatch),
                      EvidenceClaim(quantity: .bestRow(metric: validationLossName), value: Double(lowest)),
                      EvidenceClaim(quantity: .value(metric: validationLossName, row: lowest), value: validationLoss[lowest])]
        if reference.fromChance, let chance {
            claims += chanceClaims(chance)
            claims.append(EvidenceClaim(quantity: .stated(name: "\(validationLossName) relative to the chance loss"), value: validationRatio,
                                        relation: .atLeast, threshold: reference.floor, rule: .mismatch))
            evidence.add("\(fell), but \(validationLossName) was never lower than \(format(validationLoss[lowest])) (\(epoch(lowest)), \(plainPercent(validationRatio)) of the chance loss \(format(chance.loss)) for \(chance.source), at least \(plainPercent(reference.floor))): on validation data the model never did better than untrained.", claims)
        } else {
            claims.append(EvidenceClaim(quantity: .ratio(metric: validationLossName, row: lowest, denominator: lossName, denominatorRow: firstIndex), value: validationRatio,
                                        relation: .atLeast, threshold: reference.floor, rule: .mismatch))
            evidence.add("\(fell), but \(validationLossName) was never lower than \(format(validationLoss[lowest])) (\(epoch(lowest)), \(plainPercent(validationRatio)) of that first training loss, at least \(plainPercent(reference.floor))): on validation data the model never did better than in its first epoch of training (without the number of classes, that epoch stands in for an untrained model).", claims)
        }
        if let trainName = keys.accuracy, let validationName = keys.validationAccuracy, let gap = accuracyGap, let row = SeriesStatistics.lastFinite(gap)?.index,
           let train = accuracy?[row], let validation = validationAccuracy?[row] {
            evidence.add("\(validationName) is \(format(validation)) at \(epoch(row)) while \(trainName) is \(format(train)): the model works in training mode and fails in inference mode.",
                         [EvidenceClaim(quantity: .value(metric: validationName, row: row), value: validation),
                          EvidenceClaim(quantity: .value(metric: trainName, row: row), value: train)])
        }
        if model.hasBatchNormalization == true {
            var sentence = "The model has BatchNormalization"
            var claims: [EvidenceClaim] = []
            if let steps = model.stepsPerEpoch {
                let momentum = model.batchNormalizationMomentum ?? 0.99
                let kept = pow(momentum, Double(steps))
                sentence += " and trains \(steps) steps per epoch: with momentum \(format(momentum)) its moving statistics still hold \(plainPercent(kept)) of their starting values after an epoch, so inference uses statistics the weights no longer match."
                claims = [EvidenceClaim(quantity: .stated(name: "steps per epoch"), value: Double(steps)),
                          EvidenceClaim(quantity: .stated(name: "momentum"), value: momentum),
                          EvidenceClaim(quantity: .stated(name: "kept"), value: kept)]
            } else {
                sentence += ": its moving statistics, used in inference, lag behind the batch statistics used in training when an epoch has few steps."
            }
            evidence.add(sentence, claims)
        } else {
            evidence.add("This is the pattern of BatchNormalization whose moving statistics have not converged (few steps per epoch, a momentum close to one), or of preprocessing applied in training but not at inference.")
        }
        return evidence
    }

    private func oscillationSentence(_ oscillation: Oscillation) -> String {
        let size = oscillation.isAccuracy
            ? "\(format(oscillation.amplitude)) (at least \(format(options.unstableAccuracyAmplitude)) counts)"
            : "\(plainPercent(oscillation.amplitude)) of its level (at least \(plainPercent(options.unstableRelativeAmplitude)) counts)"
        return "\(oscillation.metric) changed direction in \(plainPercent(oscillation.signChangeFraction)) of epochs (at least \(plainPercent(options.unstableSignChangeFraction)) counts), by a median of \(size) per epoch, far more than its overall trend."
    }

    private func oscillationClaims(_ oscillation: Oscillation) -> [EvidenceClaim] {
        [EvidenceClaim(quantity: .signChangeFraction(metric: oscillation.metric), value: oscillation.signChangeFraction,
                       relation: .atLeast, threshold: options.unstableSignChangeFraction, rule: .oscillation),
         EvidenceClaim(quantity: .medianChange(metric: oscillation.metric, relative: !oscillation.isAccuracy), value: oscillation.amplitude,
                       relation: .atLeast, threshold: oscillation.isAccuracy ? options.unstableAccuracyAmplitude : options.unstableRelativeAmplitude,
                       rule: .oscillation)]
    }

    // MARK: the monitored metric

    private func monitorEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let monitor, let best = bestIndex, let bestValue, let last = lastMonitor, let relative = relativeWorsening else { return evidence }
        let bestClaims = [EvidenceClaim(quantity: .bestRow(metric: monitor), value: Double(best)),
                          EvidenceClaim(quantity: .value(metric: monitor, row: best), value: bestValue)]
        if best == last.index {
            evidence.add("\(monitor) is at its best in the last epoch: \(format(bestValue)) at \(epoch(best)).", bestClaims)
            return evidence
        }
        let lastClaim = EvidenceClaim(quantity: .value(metric: monitor, row: last.index), value: last.value)
        let change = EvidenceClaim(quantity: .relativeChange(metric: monitor, from: best, to: last.index), value: orientation == .minimize ? relative : -relative)
        let head = "\(monitor) was best at \(epoch(best)) (\(format(bestValue))); at \(epoch(last.index)) it is \(format(last.value)) (\(percent(change.value)))"
        if sustainedWorsening, let smoothedBest {
            let verb = orientation == .minimize ? "rose" : "fell"
            let side = orientation == .minimize ? "above its lowest" : "below its highest"
            var sentence = "\(monitor) \(verb) from \(format(bestValue)) at \(epoch(best)) to \(format(last.value)) at \(epoch(last.index)) (\(percent(change.value))); its \(options.smoothingWidth)-epoch moving median has stayed at least \(plainPercent(options.minimumRelativeRise)) \(side) (\(format(smoothedBest.value))) for the last \(epochs(worseRun)) (at least \(options.riseWindow) count as overfitting)"
            var claims = bestClaims + [lastClaim, change,
                                       EvidenceClaim(quantity: .smoothedBest(metric: monitor), value: smoothedBest.value),
                                       EvidenceClaim(quantity: .finalRunWorse(metric: monitor), value: Double(worseRun), relation: .atLeast,
                                                     threshold: Double(options.riseWindow), rule: .overfittingRise),
                                       EvidenceClaim(quantity: .stated(name: "rise"), value: options.minimumRelativeRise, rule: .overfittingRise),
                                       EvidenceClaim(quantity: .stated(name: "smoothing"), value: Double(options.smoothingWidth))]
            let from = count - worseRun
            if let values = log.values(monitor), last.index - from >= 2 {
                let slope = SeriesStatistics.slope(Array(values[from...last.index]))
                let worsening = orientation.badness(slope) > 0
                sentence += worsening ? ", still worsening over them" : ", though improving again over them"
                claims.append(EvidenceClaim(quantity: .slope(metric: monitor, from: from, to: last.index), value: slope,
                                            relation: slope > 0 ? .above : .atMost, threshold: 0))
            }
            evidence.add(sentence + ".", claims)
            return evidence
        }
        let noise = EvidenceClaim(quantity: .stated(name: "noise"), value: options.minimumRelativeRise, rule: .withinNoise)
        if relative < options.minimumRelativeRise {
            evidence.add(head + ", within \(plainPercent(options.minimumRelativeRise)) of its best (noise).",
                         bestClaims + [lastClaim, change, noise,
                                       EvidenceClaim(quantity: .stated(name: "worsening"), value: relative, relation: .below,
                                                     threshold: options.minimumRelativeRise, rule: .withinNoise)])
        } else {
            let smoothedText = worseRun == 0
                ? "but its \(options.smoothingWidth)-epoch moving median is not (overfitting needs \(options.riseWindow) such epochs)"
                : "but its \(options.smoothingWidth)-epoch moving median only for the last \(epochs(worseRun)) (overfitting needs \(options.riseWindow))"
            evidence.add(head + ", more than \(plainPercent(options.minimumRelativeRise)) worse than its best, " + smoothedText + ".",
                         bestClaims + [lastClaim, change, noise,
                                       EvidenceClaim(quantity: .stated(name: "worsening"), value: relative, relation: .atLeast,
                                                     threshold: options.minimumRelativeRise, rule: .withinNoise),
                                       EvidenceClaim(quantity: .stated(name: "smoothing"), value: Double(options.smoothingWidth)),
                                       EvidenceClaim(quantity: .finalRunWorse(metric: monitor), value: Double(worseRun), relation: .below,
                                                     threshold: Double(options.riseWindow), rule: .overfittingRise)])
        }
        return evidence
    }

    /// The best epoch beyond noise was a single dip the moving median ignores: measured from the
    /// moving median's best, the last epoch is within the noise band.
    private func luckyDipEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let relative = relativeWorsening, relative >= options.minimumRelativeRise, let monitor, let smoothedBest,
              let last = lastMonitor else { return evidence }
        let fromSmoothed = orientation.badness(last.value - smoothedBest.value) / max(abs(smoothedBest.value), 1e-12)
        guard fromSmoothed < options.minimumRelativeRise else { return evidence }
        evidence.add("Its best epoch was a single dip: the \(options.smoothingWidth)-epoch moving median's best is \(format(smoothedBest.value)), and the last epoch is within \(plainPercent(options.minimumRelativeRise)) of that (\(percent(fromSmoothed))).",
                     [EvidenceClaim(quantity: .smoothedBest(metric: monitor), value: smoothedBest.value),
                      EvidenceClaim(quantity: .stated(name: "smoothing"), value: Double(options.smoothingWidth)),
                      EvidenceClaim(quantity: .stated(name: "worsening from the smoothed best"), value: fromSmoothed, relation: .below,
                                    threshold: options.minimumRelativeRise, rule: .withinNoise)])
        return evidence
    }

    /// The monitored metric jumped beyond noise at the end without a sustained rise or a steady climb.
    private func jumpEvidence() -> EvidenceWriter? {
        guard let relative = relativeWorsening, relative >= options.minimumRelativeRise, let monitor, let best = bestIndex,
              let values = log.values(monitor), best < count - 1 else { return nil }
        let after = Array(values[best...]).filter(\.isFinite)
        let steps = zip(after.dropFirst(), after).map { orientation.badness($0 - $1) }
        // A jump: back and forth after the best, or a single last epoch far above it.
        guard steps.contains(where: { $0 < 0 }) || steps.count == 1 else { return nil }
        var evidence = EvidenceWriter()
        evidence.add("After its best, \(monitor) went back and forth rather than rising steadily: a jump, not a trend.")
        return evidence
    }

    private func earlyStoppedEvidence(requireImprovingBeforeBest: Bool) -> EvidenceWriter? {
        guard let monitor, let best = bestIndex, let values = log.values(monitor), let since = epochsSinceBest,
              model.usesEarlyStopping != false,
              since >= 2, since <= options.earlyStoppedMaximumTail, best >= 1 || !requireImprovingBeforeBest else { return nil }
        var claims = [EvidenceClaim(quantity: .epochsSinceBest(metric: monitor), value: Double(since), relation: .atMost,
                                    threshold: Double(options.earlyStoppedMaximumTail), rule: .earlyStopped)]
        var sentence = "The run ended \(epochs(since)) after the best epoch of \(monitor) (at most \(options.earlyStoppedMaximumTail) count as early-stopped)"
        let from = max(0, best - options.tailWindow + 1)
        let before = Array(values[from...best]).map { orientation.badness($0) }
        let level = SeriesStatistics.median(before.map(abs))
        if best - from >= 2, level > 0 {
            let slope = SeriesStatistics.slope(before) / level
            if requireImprovingBeforeBest, -slope < options.stillLearningRelativeSlope { return nil }
            if -slope >= options.stillLearningRelativeSlope {
                sentence += ", right after improving \(plainPercent(-slope)) per epoch up to it"
                let minimizing = orientation == .minimize
                claims.append(EvidenceClaim(quantity: .relativeSlope(metric: monitor, from: from, to: best),
                                            value: minimizing ? slope : -slope, relation: minimizing ? .atMost : .atLeast,
                                            threshold: minimizing ? -options.stillLearningRelativeSlope : options.stillLearningRelativeSlope,
                                            rule: .stillLearning))
                claims.append(EvidenceClaim(quantity: .stated(name: "improvement"), value: -slope))
            }
        } else if requireImprovingBeforeBest {
            return nil
        }
        sentence += ": EarlyStopping(monitor: \"\(monitor)\", patience: \(since)) stops a run exactly there; if it did, restore_best_weights=True keeps the best epoch's weights, and if the run was meant to go on, these epochs are the start of overfitting."
        claims.append(EvidenceClaim(quantity: .stated(name: "patience"), value: Double(since)))
        var evidence = EvidenceWriter()
        evidence.add(sentence, claims)
        return evidence
    }

    // MARK: gaps

    private func gapEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let gap = accuracyGap, let trainName = keys.accuracy, let validationName = keys.validationAccuracy,
              let last = SeriesStatistics.lastFinite(gap),
              let train = log.values(trainName)?[last.index], let validation = log.values(validationName)?[last.index], last.value >= 0
        else { return evidence }
        let values = [EvidenceClaim(quantity: .value(metric: trainName, row: last.index), value: train),
                      EvidenceClaim(quantity: .value(metric: validationName, row: last.index), value: validation)]
        let name = "The accuracy gap (\(trainName) − \(validationName))"
        if last.value >= options.accuracyGapThreshold - 1e-9 {
            let run = EvidenceClaim(quantity: .finalRunAtLeast(minuend: trainName, subtrahend: validationName), value: Double(finalGapRunLength),
                                    relation: persistentGap ? .atLeast : .below, threshold: Double(options.gapWindow), rule: .accuracyGap)
            let atLeast = EvidenceClaim(quantity: .difference(minuend: trainName, subtrahend: validationName, row: last.index), value: last.value,
                                        relation: .atLeast, threshold: options.accuracyGapThreshold, rule: .accuracyGap)
            let tail = persistentGap ? "" : " (overfitting needs \(options.gapWindow))"
            evidence.add("\(name) is \(format(last.value)) at \(epoch(last.index)) (\(format(train)) vs \(format(validation))), at least \(format(options.accuracyGapThreshold)) for the last \(epochs(finalGapRunLength))\(tail).",
                         values + [atLeast, run])
        } else {
            evidence.add("\(name) is \(format(last.value)) at \(epoch(last.index)) (\(format(train)) vs \(format(validation))), below the \(format(options.accuracyGapThreshold)) threshold.",
                         values + [EvidenceClaim(quantity: .difference(minuend: trainName, subtrahend: validationName, row: last.index), value: last.value,
                                                 relation: .below, threshold: options.accuracyGapThreshold, rule: .accuracyGap)])
        }
        return evidence
    }

    /// Validation above training: explained by regularisation, or by epoch averaging, never called overfitting or underfitting.
    private func validationAboveEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard validationAboveRun >= 1, let trainName = keys.accuracy, let validationName = keys.validationAccuracy,
              let gap = accuracyGap, let last = SeriesStatistics.lastFinite(gap),
              let train = log.values(trainName)?[last.index], let validation = log.values(validationName)?[last.index] else { return evidence }
        let claims = [EvidenceClaim(quantity: .value(metric: trainName, row: last.index), value: train),
                      EvidenceClaim(quantity: .value(metric: validationName, row: last.index), value: validation),
                      EvidenceClaim(quantity: .difference(minuend: validationName, subtrahend: trainName, row: last.index), value: -last.value,
                                    relation: .atLeast, threshold: options.validationAboveTrainingMargin, rule: .validationAboveTraining)]
        let head = "\(validationName) (\(format(validation))) is above \(trainName) (\(format(train))) at \(epoch(last.index)) by \(format(-last.value))"
        let regularizers = model.trainingOnlyRegularizers(largeL2: options.largeL2)
        if !regularizers.isEmpty {
            evidence.add(head + ": expected with \(regularizers.joined(separator: " and ")), which act\(regularizers.count == 1 ? "s" : "") only in training, so the training metrics are measured with \(regularizers.count == 1 ? "it" : "them") on; this is neither overfitting nor underfitting.",
                         claims + (model.l2.map { [EvidenceClaim(quantity: .stated(name: "l2"), value: $0)] } ?? []))
        } else if model.knowsRegularization {
            evidence.add(head + ": the model has no Dropout or augmentation, so the cause is that training metrics average over an epoch in which the model keeps improving (\(averagingPhrase(trainName))); this is not overfitting.",
                         claims + [averagingClaim(trainName)])
        } else {
            evidence.add(head + ": usual with Dropout or data augmentation (they act only in training); without them, training metrics average over an epoch in which the model keeps improving (\(averagingPhrase(trainName))); this is not overfitting.",
                         claims + [averagingClaim(trainName)])
        }
        return evidence
    }

    /// The training accuracy's slope over the last 3 epochs, as measured (it may be negative: then epoch
    /// averaging explains no lead, and `epochAveragingAllowance` is 0).
    private var recentAccuracySlope: Double {
        SeriesStatistics.slope(Array((accuracy ?? []).suffix(3)))
    }

    private func averagingPhrase(_ trainName: String) -> String {
        recentAccuracySlope > 0 ? "\(trainName) rises \(format(recentAccuracySlope)) per epoch lately"
            : "though \(trainName) has not risen lately: \(format(recentAccuracySlope)) per epoch"
    }

    private func averagingClaim(_ trainName: String) -> EvidenceClaim {
        EvidenceClaim(quantity: .slope(metric: trainName, from: max(0, count - 3), to: count - 1), value: recentAccuracySlope)
    }

    private func leakageEvidence() -> EvidenceWriter? {
        guard model.trainingOnlyRegularizers(largeL2: options.largeL2).isEmpty, validationAboveRun >= options.gapWindow,
              let trainName = keys.accuracy, let validationName = keys.validationAccuracy, let gap = accuracyGap,
              let last = SeriesStatistics.lastFinite(gap) else { return nil }
        let excess = -last.value - epochAveragingAllowance
        guard excess >= options.leakageMargin - 1e-9 else { return nil }
        var evidence = EvidenceWriter()
        let unknown = model.knowsRegularization ? "" : " If the model has Dropout or augmentation, they may explain it instead."
        evidence.add("\(validationName) has been at least \(format(options.validationAboveTrainingMargin)) above \(trainName) for the last \(epochs(validationAboveRun)); at \(epoch(last.index)) it leads by \(format(-last.value)), \(format(excess)) more than the \(format(epochAveragingAllowance)) that epoch averaging explains (\(averagingPhrase(trainName)); at least \(format(options.leakageMargin)) more is suspicious).\(unknown)",
                     [EvidenceClaim(quantity: .finalRunAtLeast(minuend: validationName, subtrahend: trainName), value: Double(validationAboveRun),
                                    relation: .atLeast, threshold: Double(options.gapWindow), rule: .validationAboveTraining),
                      EvidenceClaim(quantity: .stated(name: "margin"), value: options.validationAboveTrainingMargin, rule: .validationAboveTraining),
                      EvidenceClaim(quantity: .difference(minuend: validationName, subtrahend: trainName, row: last.index), value: -last.value),
                      EvidenceClaim(quantity: .leadBeyondAveraging(training: trainName, validation: validationName, row: last.index), value: excess,
                                    relation: .atLeast, threshold: options.leakageMargin, rule: .leakage),
                      averagingClaim(trainName),
                      EvidenceClaim(quantity: .stated(name: "epoch-averaging allowance (the slope, at least 0)"), value: epochAveragingAllowance)])
        return evidence
    }

    private func lossGapEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let gap = lossGap, let lossName = keys.loss, let validationName = keys.validationLoss,
              let first = gap.firstIndex(where: { $0.isFinite }),
              let last = SeriesStatistics.lastFinite(gap), last.index > first, last.value > gap[first] else { return evidence }
        evidence.add("The loss gap (\(validationName) − \(lossName)) grew from \(format(gap[first])) at \(epoch(first)) to \(format(last.value)) at \(epoch(last.index)).",
                     [EvidenceClaim(quantity: .difference(minuend: validationName, subtrahend: lossName, row: first), value: gap[first]),
                      EvidenceClaim(quantity: .difference(minuend: validationName, subtrahend: lossName, row: last.index), value: last.value)])
        return evidence
    }

    // MARK: trends

    private func trainingTrendEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        let tail = min(options.tailWindow, count)
        let from = count - max(2, tail)
        if let slope = trainRelativeSlope, let name = keys.loss {
            let claim = EvidenceClaim(quantity: .relativeSlope(metric: name, from: from, to: count - 1), value: slope,
                                      relation: stillLearning ? .atMost : .above, threshold: -options.stillLearningRelativeSlope, rule: .stillLearning)
            let verb = stillLearning ? "is still falling" : (slope < 0 ? "falls only slowly" : "has levelled off")
            let bound = stillLearning ? "at least" : "less than"
            evidence.add("\(name) \(verb): \(percent(slope)) per epoch over the last \(epochs(max(2, tail))) (\(bound) \(plainPercent(options.stillLearningRelativeSlope)) of a fall per epoch is still learning).",
                         [claim, EvidenceClaim(quantity: .stated(name: "window"), value: Double(max(2, tail)))])
        }
        if let slope = validationRelativeSlope, let monitor, let best = bestIndex {
            let shown = orientation == .minimize ? slope : -slope
            let claim = EvidenceClaim(quantity: .relativeSlope(metric: monitor, from: from, to: count - 1), value: shown)
            let window = EvidenceClaim(quantity: .stated(name: "window"), value: Double(max(2, tail)))
            if validationStillImproving {
                evidence.add("\(monitor) is still improving: \(percent(shown)) per epoch over the last \(epochs(max(2, tail))).", [claim, window])
            } else {
                let since = count - 1 - best
                evidence.add("\(monitor) has levelled off: \(percent(shown)) per epoch over the last \(epochs(max(2, tail))), \(since == 0 ? "best in the last epoch" : "last improved \(epochs(since)) ago").",
                             [claim, window, EvidenceClaim(quantity: .epochsSinceBest(metric: monitor), value: Double(since))])
            }
        }
        return evidence
    }

    private func underTrainedEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let name = keys.loss, let loss, let firstIndex = loss.firstIndex(where: \.isFinite),
              let last = SeriesStatistics.lastFinite(loss) else { return evidence }
        let ratio = last.value / loss[firstIndex]
        var sentence = "\(name) went from \(format(loss[firstIndex])) at \(epoch(firstIndex)) to \(format(last.value)) at \(epoch(last.index)), still \(plainPercent(ratio)) of where it started (at least \(plainPercent(options.underTrainedLossFraction)) counts as under-trained), and it falls as fast at the end as on average: the learning rate is too low for the run's length."
        var claims = [EvidenceClaim(quantity: .value(metric: name, row: firstIndex), value: loss[firstIndex]),
                      EvidenceClaim(quantity: .value(metric: name, row: last.index), value: last.value),
                      EvidenceClaim(quantity: .ratio(metric: name, row: last.index, denominator: name, denominatorRow: firstIndex), value: ratio,
                                    relation: .atLeast, threshold: options.underTrainedLossFraction, rule: .underTrained)]
        if let rate = model.learningRate {
            sentence += " It trained with learning rate \(format(rate))."
            claims.append(EvidenceClaim(quantity: .stated(name: "learning rate"), value: rate))
        }
        evidence.add(sentence, claims)
        return evidence
    }

    /// The comparison with the best sibling run: clearly worse and unable to fit even its training data as
    /// well (underfitting), or not clearly worse (the level is what the data allows, as far as the siblings show).
    private func siblingEvidence(_ comparison: SiblingComparison) -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let monitor else { return evidence }
        let sizes = parameterCount == nil ? "" : " of at least this model's size"
        let siblings = "\(comparison.siblingCount) sibling run\(comparison.siblingCount == 1 ? "" : "s")\(sizes) on the same data"
        var claims = [EvidenceClaim(quantity: .stated(name: "best \(monitor) of this run"), value: comparison.ownBest),
                      EvidenceClaim(quantity: .stated(name: "best \(monitor) of \(comparison.bestSibling)"), value: comparison.siblingBest),
                      EvidenceClaim(quantity: .stated(name: "sibling runs compared"), value: Double(comparison.siblingCount)),
                      EvidenceClaim(quantity: .stated(name: "shortfall from the best sibling"), value: comparison.shortfall,
                                    relation: comparison.shortfall >= options.minimumRelativeRise ? .atLeast : .below,
                                    threshold: options.minimumRelativeRise, rule: .siblingShortfall)]
        guard comparison.shortfall >= options.minimumRelativeRise else {
            let standing = comparison.shortfall <= 0 ? "the best of \(siblings) (\(comparison.bestSibling) reaches \(format(comparison.siblingBest)))"
                : "within \(plainPercent(options.minimumRelativeRise)) of the best of \(siblings) (\(comparison.bestSibling), \(format(comparison.siblingBest)); this run is \(plainPercent(comparison.shortfall)) worse)"
            evidence.add("The best \(monitor) of this run, \(format(comparison.ownBest)), is \(standing): no model tried does clearly better, so a low accuracy here is what the data allows (noisy labels), not a lack of capacity.", claims)
            return evidence
        }
        var sentence = "The best \(monitor) of this run, \(format(comparison.ownBest)), is \(plainPercent(comparison.shortfall)) worse than \(comparison.bestSibling)'s \(format(comparison.siblingBest)) (at least \(plainPercent(options.minimumRelativeRise)) counts), the best of \(siblings)"
        if let trainingMetric = comparison.trainingMetric, let level = comparison.trainingLevel {
            claims.append(EvidenceClaim(quantity: .tailMedian(metric: trainingMetric, count: 3), value: level))
            let fitsWorse = orientation.badness(level) > orientation.badness(comparison.siblingBest)
            sentence += fitsWorse
                ? "; its \(trainingMetric) levels off at \(format(level)), worse than \(comparison.bestSibling) does on unseen data, so it does not fit even its training data: the training loss is high."
                : "; but its \(trainingMetric) levels off at \(format(level)), better than \(comparison.bestSibling) does on unseen data, so it fits its training data and the shortfall is in generalisation, not capacity."
        } else {
            sentence += "; the log has no training \(monitor.dropFirst(4)) to tell a lack of fit from a generalisation gap."
        }
        evidence.add(sentence, claims)
        return evidence
    }

    /// The weak single-run hint: a low accuracy, with the caveat that a fixed bar cannot see label noise.
    private func lowAccuracyEvidence() -> EvidenceWriter {
        var evidence = EvidenceWriter()
        guard let best = finalAccuracy else { return evidence }
        if best.value < options.lowTrainAccuracy {
            evidence.add("\(best.name) is only \(format(best.value)) at \(epoch(best.index)) (below \(format(options.lowTrainAccuracy))), the better of the training and validation accuracy: the model does not fit the data well, and it has stopped improving.",
                         [EvidenceClaim(quantity: .value(metric: best.name, row: best.index), value: best.value, relation: .below,
                                        threshold: options.lowTrainAccuracy, rule: .lowAccuracy)])
            evidence.add(weakHintCaveat)
        } else if let gap = accuracyGap.flatMap(SeriesStatistics.lastFinite), let trainName = keys.accuracy, let validationName = keys.validationAccuracy {
            evidence.add("\(best.name) is \(format(best.value)) at \(epoch(best.index)) (below \(format(options.mediocreAccuracy))) and \(trainName) is only \(format(gap.value)) above \(validationName) (less than \(format(options.validationAboveTrainingMargin))): the model fits its training data no better than unseen data, so its capacity is used up.",
                         [EvidenceClaim(quantity: .value(metric: best.name, row: best.index), value: best.value, relation: .below,
                                        threshold: options.mediocreAccuracy, rule: .lowAccuracy),
                          EvidenceClaim(quantity: .difference(minuend: trainName, subtrahend: validationName, row: gap.index), value: gap.value,
                                        relation: .below, threshold: options.validationAboveTrainingMargin, rule: .lowAccuracy)])
            evidence.add(weakHintCaveat)
        }
        return evidence
    }

    private var weakHintCaveat: String {
        "This is a weak hint: a fixed accuracy bar cannot tell a model that is too small from a task whose labels are noisy, where no model does better; diagnose it beside a larger model trained on the same data (kestrel compare) to decide."
    }
}
