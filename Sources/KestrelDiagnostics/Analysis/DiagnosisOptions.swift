/// Every threshold of the curve analysis, each with a documented default, in one place: the
/// evidence sentences, the claims they carry, the report's footer and the terminal's rules line all
/// read them from here (through `DiagnosisRule`), so a sentence and the footer cannot disagree.
///
/// Defaults follow the textbook rules: overfitting is a validation loss (smoothed with a 3-epoch
/// moving median) at least 5 % worse than its best for at least 3 epochs, or a train − validation
/// accuracy gap of at least 0.05 for at least 3 consecutive epochs.
public struct DiagnosisOptions: Sendable, Equatable, Codable {
    /// The metric that defines the best epoch and that EarlyStopping watches. Default `"val_loss"`;
    /// when the log lacks it, the validation accuracy is used.
    public var monitor: String = "val_loss"
    /// Width of the moving median applied before trends are judged (odd; 1 disables). Default 3.
    public var smoothingWidth: Int = 3
    /// Epochs the smoothed monitor must stay worse than its best (by `minimumRelativeRise`) for overfitting. Default 3.
    public var riseWindow: Int = 3
    /// How far the monitored metric may be from its best, relative to the best, and still be
    /// "within noise of its best"; the smoothed metric that far or further for `riseWindow` epochs is
    /// overfitting. Default 0.05 (5 %).
    public var minimumRelativeRise: Double = 0.05
    /// Train − validation accuracy gap that counts as overfitting. Default 0.05.
    public var accuracyGapThreshold: Double = 0.05
    /// Consecutive final epochs the accuracy gap must hold for. Default 3.
    public var gapWindow: Int = 3
    /// The last epochs looked at for "still learning". Default 5.
    public var tailWindow: Int = 5
    /// A loss falling by at least this fraction of its level per epoch over the tail is "still
    /// learning". Default 0.01 (1 % per epoch).
    public var stillLearningRelativeSlope: Double = 0.01
    /// Final accuracy (the better of training and validation) below this, levelled off, counts as underfitting. Default 0.6.
    public var lowTrainAccuracy: Double = 0.6
    /// Final accuracy below this, levelled off, with training accuracy less than
    /// `validationAboveTrainingMargin` above validation accuracy (no generalisation gap: the capacity
    /// is used up) also counts as underfitting. Default 0.75.
    public var mediocreAccuracy: Double = 0.75
    /// Fewest epochs for any verdict but "cannot judge". Default 3.
    public var minimumEpochs: Int = 3
    /// Fewest epochs before a curve's shape is judged: oscillation, or the straight slow descent of an
    /// under-trained run. Default 6.
    public var minimumEpochsForInstability: Int = 6
    /// Fraction of epoch-to-epoch changes that flip sign needed for "unstable". Default 0.5.
    public var unstableSignChangeFraction: Double = 0.5
    /// Median epoch-to-epoch change of a loss, relative to its median level, needed for "unstable". Default 0.1.
    public var unstableRelativeAmplitude: Double = 0.1
    /// Median epoch-to-epoch change of an accuracy (absolute) needed for "unstable". Default 0.03.
    public var unstableAccuracyAmplitude: Double = 0.03
    /// Median epoch-to-epoch change must also exceed the trend per epoch by this factor. Default 2.
    public var unstableAmplitudeToTrend: Double = 2
    /// Training loss growing to at least this multiple of its minimum (and of its first epoch),
    /// still rising at the end, means *diverging*. Default 2.
    public var divergenceGrowthFactor: Double = 2
    /// A training loss at least this multiple of the chance loss (ln of the classes) in some epoch,
    /// with the model not learning afterwards, means *diverging* (the weights blew up). Default 100:
    /// a cross-entropy is ln(classes) untrained and an epoch average of a few tens after a too-large
    /// first step is a collapse, not yet an explosion.
    public var explosionFactor: Double = 100
    /// Without a chance level (no accuracy metric), a training loss at least this large with the
    /// accuracy stuck means *diverging*. Default 1000.
    public var explodedLossLevel: Double = 1000
    /// An accuracy within this (absolute) of the chance accuracy counts as chance. Default 0.03.
    public var chanceAccuracyTolerance: Double = 0.03
    /// A loss at least this fraction of the chance loss counts as chance level. Default 0.9.
    public var chanceLossFraction: Double = 0.9
    /// Without the number of classes, a chance level is read from a settled accuracy (1/classes, or a
    /// majority share) only when the loss is at most this multiple of that level's loss too, so an
    /// accuracy of 0.33 with a loss far above ln 3 is not mistaken for three-class chance. Default 1.25.
    public var chanceLossUpperFactor: Double = 1.25
    /// Validation accuracy above training accuracy by at least this (for `gapWindow` epochs) is
    /// "validation better than training". Default 0.02.
    public var validationAboveTrainingMargin: Double = 0.02
    /// Validation accuracy above training accuracy by at least this much more than the epoch
    /// averaging explains, without regularisation, is a data-leakage suspicion. Default 0.1.
    public var leakageMargin: Double = 0.1
    /// An L2 factor at least this large counts as a strong regulariser. Default 0.001.
    public var largeL2: Double = 0.001
    /// Validation loss never below this fraction of the chance loss (ln(classes), or the binary entropy of
    /// the majority share: never better than an untrained model) while the training loss falls below
    /// `underTrainedLossFraction` of its first epoch's and validation accuracy stays below training
    /// accuracy: a train/inference mismatch. Default 0.9.
    public var mismatchValidationFloor: Double = 0.9
    /// The same rule where the chance loss is unknown (a log read alone, without the classes): validation
    /// loss never below this fraction of the first epoch's training loss, which stands in for an untrained
    /// model's but is already lower than it when the model learns within its first epoch, so the whole
    /// of it is asked for. Default 1.0.
    public var mismatchFirstEpochFloor: Double = 1.0
    /// Share of epoch-to-epoch changes of the training loss, over the last half of the run, that must
    /// be decreases for it to be "falling steadily" (under-trained, never collapsed). Default 0.8.
    public var steadyDescentFraction: Double = 0.8
    /// A still-falling training loss still at least this fraction of its first epoch's, falling
    /// no slower at the end than on average, is *under-trained* (learning rate too low). Default 0.6.
    public var underTrainedLossFraction: Double = 0.6
    /// Most epochs after the best for *early-stopped* (EarlyStopping's usual patience is 2–5); a longer
    /// tail is overfitting or a plateau. 0 turns the reading off (a live run has not stopped). Default 5.
    public var earlyStoppedMaximumTail: Int = 5
    /// Patience of the suggested EarlyStopping (simulated on the log). Default 3.
    public var earlyStoppingPatience: Int = 3
    /// `min_delta` of the suggested EarlyStopping. Default 0.
    public var earlyStoppingMinDelta: Double = 0
    /// Test and validation loss agree when within this relative difference. Default 0.1 (10 %).
    public var holdoutLossTolerance: Double = 0.1
    /// Test and validation accuracy agree when within this absolute difference. Default 0.03.
    public var holdoutAccuracyTolerance: Double = 0.03
    /// Runs that must agree before a multi-run verdict is "confirmed". Default 3.
    public var minimumRunsToConfirm: Int = 3

    /// The defaults above.
    public init() {}

    /// These options for a run still training: it has not stopped, so the early-stopped reading is off
    /// (`earlyStoppedMaximumTail = 0`) and a rise after the best epoch reads as overfitting.
    public var whileTraining: DiagnosisOptions {
        var live = self
        live.earlyStoppedMaximumTail = 0
        return live
    }

    /// Every rule as one sentence with its thresholds (the report's footer, the terminal's rules line).
    public var ruleStatements: [String] { DiagnosisRule.allCases.map { $0.statement(self) } }
}
