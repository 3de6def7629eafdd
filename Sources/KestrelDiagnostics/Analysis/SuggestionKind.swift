/// What kind of change a suggestion proposes (machine-readable; the text is for people).
public enum SuggestionKind: String, Sendable, Codable, Equatable, CaseIterable {
    case earlyStopping
    case dropout
    case dataAugmentation
    case l2Regularization
    case smallerModel
    case moreData
    case reduceLearningRateOnPlateau
    case lowerLearningRate
    case moreEpochs
    case biggerModel
    case addValidationData
    case keepSettings
    case gradientClipping
    case checkData
    case terminateOnNaN
    case batchNormalization
    case higherLearningRate
    case largerBatch
    case lessRegularization
    case differentInitializer
    case fewerBatchNormalization
    case batchNormalizationMomentum
    case moreStepsPerEpoch
}
