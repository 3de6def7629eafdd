/// One change `Doctor` can make to a `TrainingRecipe`, as plain data: a remedy is one or more of
/// them applied in order to the baseline (`RemedyCatalog.apply`), which is also how a worker
/// process rebuilds the recipe of a run it is sent.
public enum RemedyChange: Sendable, Equatable, Hashable, Codable {
    /// Dropout at `rate` after the large hidden Dense layers.
    case dropout(rate: Float)
    /// L2 with `factor` on every kernel.
    case l2(factor: Float)
    /// BatchNormalization after every hidden Dense layer.
    case batchNormalization
    /// EarlyStopping(monitor: "val_loss", patience:, restoreBestWeights: true).
    case earlyStopping(patience: Int)
    /// ReduceLROnPlateau(monitor: "val_loss", factor:, patience:).
    case reduceLROnPlateau(factor: Double, patience: Int)
    /// Training-time augmentation (`RandomAugmentation`'s text).
    case augmentation(String)
    /// Hidden Dense units divided by `divisor`.
    case smallerModel(divisor: Int)
    /// Hidden Dense units multiplied by `factor`.
    case largerModel(factor: Int)
    /// Epochs multiplied by `factor`.
    case moreEpochs(factor: Int)
    /// The learning rate multiplied by `factor`.
    case learningRate(factor: Double)
    /// The batch size multiplied by `factor`.
    case largerBatch(factor: Int)
    /// Dropout, L1/L2 and augmentation removed.
    case lessRegularization
    /// Every gradient clipped to this L2 norm (the optimizer's `clipnorm`).
    case gradientClipping(clipnorm: Double)
    /// Every BatchNormalization layer's momentum set to this (Keras's default is 0.99).
    case batchNormalizationMomentum(Double)
    /// BatchNormalization layers removed but the first (the only one removed when there is one).
    case fewerBatchNormalization
    /// The batch size divided by `factor`: that many times more steps per epoch on the same data.
    case moreStepsPerEpoch(factor: Int)
}
