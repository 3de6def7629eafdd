/// The thresholds of the curve analysis, each with a documented default.
///
/// Defaults follow the textbook rules: overfitting is a validation loss that keeps rising
/// for at least 3 epochs after its minimum, or a train−validation accuracy gap of at least
/// 0.05 for at least 3 consecutive epochs. Curves are smoothed with a 3-epoch moving median
/// first, so one noisy epoch never decides a verdict.
public struct DiagnosisOptions: Sendable, Equatable, Codable {
    /// The metric that defines the best epoch and that EarlyStopping watches. Default `"val_loss"`;
    /// when the log lacks it, the validation accuracy is used.
    public var monitor: String = "val_loss"
    /// Width of the moving median applied before trends are judged (odd; 1 disables). Default 3.
    public var smoothingWidth: Int = 3
    /// Epochs of sustained worsening after the validation minimum needed for overfitting. Default 3.
    public var riseWindow: Int = 3
    /// How far the smoothed monitored metric must have worsened from its minimum, relative to
    /// the minimum's size, to count as a rise. Default 0.05 (5 %).
    public var minimumRelativeRise: Double = 0.05
    /// Train − validation accuracy gap that counts as overfitting. Default 0.05.
    public var accuracyGapThreshold: Double = 0.05
    /// Consecutive final epochs the accuracy gap must hold for. Default 3.
    public var gapWindow: Int = 3
    /// The last epochs looked at for "still learning". Default 5.
    public var tailWindow: Int = 5
    /// Training loss falling by at least this fraction of its level per epoch over the tail
    /// means "still learning". Default 0.01 (1 % per epoch).
    public var stillLearningRelativeSlope: Double = 0.01
    /// Final training accuracy below this counts as underfitting. Default 0.6.
    public var lowTrainAccuracy: Double = 0.6
    /// Fewest epochs for any verdict but "cannot judge". Default 3.
    public var minimumEpochs: Int = 3
    /// Fewest epochs before oscillation is judged. Default 6.
    public var minimumEpochsForInstability: Int = 6
    /// Fraction of epoch-to-epoch changes that flip sign needed for "unstable". Default 0.5.
    public var unstableSignChangeFraction: Double = 0.5
    /// Median epoch-to-epoch change, relative to the median loss, needed for "unstable". Default 0.1.
    public var unstableRelativeAmplitude: Double = 0.1
    /// Median epoch-to-epoch change must also exceed the trend per epoch by this factor. Default 2.
    public var unstableAmplitudeToTrend: Double = 2
    /// Training loss growing to at least this multiple of its minimum (and of its first epoch),
    /// still rising at the end, means *diverging*. Default 2.
    public var divergenceGrowthFactor: Double = 2
    /// A training loss at least this large while the accuracy stays below `lowTrainAccuracy`
    /// without improving means *diverging* (a cross-entropy is about ln(classes) untrained and
    /// at most ~16 with Keras's clipping; MSE on normalised targets is around 1). Default 1000.
    public var explodedLossLevel: Double = 1000
    /// Patience of the suggested EarlyStopping (simulated on the log). Default 3.
    public var earlyStoppingPatience: Int = 3
    /// `min_delta` of the suggested EarlyStopping. Default 0.
    public var earlyStoppingMinDelta: Double = 0
    /// Test and validation loss agree when within this relative difference. Default 0.1 (10 %).
    public var holdoutLossTolerance: Double = 0.1
    /// Test and validation accuracy agree when within this absolute difference. Default 0.03.
    public var holdoutAccuracyTolerance: Double = 0.03

    /// The defaults above.
    public init() {}
}
