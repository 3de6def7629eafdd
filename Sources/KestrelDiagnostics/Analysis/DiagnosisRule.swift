/// One rule of the analysis, with its threshold from `DiagnosisOptions`: a sentence's claim names
/// the rule it applies, the footer states every rule, and `DiagnosisChecker` verifies that the
/// threshold a claim quotes is the rule's own, so no sentence can state a rule the footer contradicts.
public enum DiagnosisRule: String, Sendable, Codable, Equatable, CaseIterable {
    /// The monitored metric within `minimumRelativeRise` of its best is "within noise".
    case withinNoise
    /// The smoothed monitor at least `minimumRelativeRise` worse than its best for `riseWindow` epochs.
    case overfittingRise
    /// Train − validation accuracy at least `accuracyGapThreshold` for `gapWindow` epochs.
    case accuracyGap
    /// A loss falling by at least `stillLearningRelativeSlope` of its level per epoch.
    case stillLearning
    /// A final accuracy below `lowTrainAccuracy` (or `mediocreAccuracy`): a weak underfitting hint, used only without siblings.
    case lowAccuracy
    /// The best monitored value at least `minimumRelativeRise` worse than a sibling run's on the same data.
    case siblingShortfall
    /// Accuracy within `chanceAccuracyTolerance` of chance, loss at least `chanceLossFraction` of ln(classes).
    case chance
    /// A training loss `explosionFactor` times the chance loss, or growing `divergenceGrowthFactor`-fold.
    case explosion
    /// Sign flips and amplitude of epoch-to-epoch changes.
    case oscillation
    /// Validation accuracy above training accuracy by `validationAboveTrainingMargin`.
    case validationAboveTraining
    /// Validation above training by `leakageMargin` more than epoch averaging explains.
    case leakage
    /// Validation never better than an untrained model while training learns.
    case mismatch
    /// Still falling, still at least `underTrainedLossFraction` of the first epoch's loss.
    case underTrained
    /// The run ended at most `earlyStoppedMaximumTail` epochs after its best, shortly after improving.
    case earlyStopped

    /// The thresholds the rule compares with (a claim naming the rule must quote one of them).
    public func thresholds(_ options: DiagnosisOptions) -> [Double] {
        switch self {
        case .withinNoise: return [options.minimumRelativeRise]
        case .overfittingRise: return [options.minimumRelativeRise, Double(options.riseWindow)]
        case .accuracyGap: return [options.accuracyGapThreshold, Double(options.gapWindow)]
        case .stillLearning: return [options.stillLearningRelativeSlope, -options.stillLearningRelativeSlope]
        case .lowAccuracy: return [options.lowTrainAccuracy, options.mediocreAccuracy, options.validationAboveTrainingMargin]
        case .siblingShortfall: return [options.minimumRelativeRise]
        case .chance: return [options.chanceAccuracyTolerance, options.chanceLossFraction, options.chanceLossUpperFactor]
        case .explosion: return [options.explosionFactor, options.explodedLossLevel, options.divergenceGrowthFactor]
        case .oscillation: return [options.unstableSignChangeFraction, options.unstableRelativeAmplitude, options.unstableAccuracyAmplitude]
        case .validationAboveTraining: return [options.validationAboveTrainingMargin, Double(options.gapWindow)]
        case .leakage: return [options.leakageMargin]
        case .mismatch: return [options.mismatchValidationFloor, options.mismatchFirstEpochFloor, options.underTrainedLossFraction]
        case .underTrained: return [options.underTrainedLossFraction, options.steadyDescentFraction]
        case .earlyStopped: return [Double(options.earlyStoppedMaximumTail)]
        }
    }

    /// The rule in one sentence, with its thresholds.
    public func statement(_ options: DiagnosisOptions) -> String {
        let number = DiagnosticsFormat.number
        let factor = DiagnosticsFormat.factor
        let percent = DiagnosticsFormat.plainPercent
        switch self {
        case .withinNoise:
            return "within noise: \(options.monitor) less than \(percent(options.minimumRelativeRise)) worse than its best"
        case .overfittingRise:
            return "overfitting: \(options.monitor) (\(options.smoothingWidth)-epoch moving median) at least \(percent(options.minimumRelativeRise)) worse than its best for at least \(options.riseWindow) epochs"
        case .accuracyGap:
            return "or training − validation accuracy at least \(number(options.accuracyGapThreshold)) for at least \(options.gapWindow) epochs"
        case .stillLearning:
            return "still learning: a loss falling at least \(percent(options.stillLearningRelativeSlope)) of its level per epoch over the last \(options.tailWindow) epochs"
        case .lowAccuracy:
            return "possibly underfitting (a weak hint, only for a run without siblings): the better final accuracy below \(number(options.lowTrainAccuracy)), or below \(number(options.mediocreAccuracy)) with training accuracy less than \(number(options.validationAboveTrainingMargin)) above validation accuracy, levelled off"
        case .siblingShortfall:
            return "underfitting (beside sibling runs on the same data): the best \(options.monitor) at least \(percent(options.minimumRelativeRise)) worse than a sibling's of at least the same size, and the training value worse than that sibling's validation value, levelled off"
        case .chance:
            return "collapsed to chance: accuracy within \(number(options.chanceAccuracyTolerance)) of 1/classes (or the majority share) and loss at least \(percent(options.chanceLossFraction)) of ln(classes), not improving (without the classes, read from a settled accuracy whose loss is at most \(factor(options.chanceLossUpperFactor))× that level's)"
        case .explosion:
            return "diverging: training loss at least \(factor(options.explosionFactor))× ln(classes) in some epoch without learning after it, or growing \(factor(options.divergenceGrowthFactor))× from its minimum, or a classifier's still at least \(number(options.explodedLossLevel)) in the last epoch"
        case .oscillation:
            return "unstable: at least \(percent(options.unstableSignChangeFraction)) of epoch-to-epoch changes flip sign, by a median of at least \(percent(options.unstableRelativeAmplitude)) of a loss (\(number(options.unstableAccuracyAmplitude)) of an accuracy), while the training loss makes no clear progress; or the monitor ends beyond the noise band without a sustained rise"
        case .validationAboveTraining:
            return "validation above training: validation accuracy at least \(number(options.validationAboveTrainingMargin)) above training accuracy"
        case .leakage:
            return "leakage suspicion: validation accuracy above training by at least \(number(options.leakageMargin)) more than epoch averaging explains, without Dropout or augmentation"
        case .mismatch:
            return "train/inference mismatch: training loss below \(percent(options.underTrainedLossFraction)) of its first epoch's while validation loss never goes below \(percent(options.mismatchValidationFloor)) of the chance loss, ln(classes) (never better than untrained; without the classes, never below \(percent(options.mismatchFirstEpochFloor)) of the first epoch's training loss), and validation accuracy stays below training accuracy"
        case .earlyStopped:
            return "early-stopped: the run ended 2 to \(options.earlyStoppedMaximumTail) epochs after its best, right after improving or with overfitting setting in"
        case .underTrained:
            return "under-trained: training loss falling in at least \(percent(options.steadyDescentFraction)) of the epochs of the last half, validation at its best in the last epoch, and still at least \(percent(options.underTrainedLossFraction)) of its first epoch's"
        }
    }
}
