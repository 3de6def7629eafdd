import Kestrel

extension ModelFacts {
    /// What a recipe and its data say about the run: regularisers and BatchNormalization from the
    /// layer spec (unknown where a layer comes from a Keras config or a saved model), classes and
    /// the majority share from the training labels, steps per epoch, optimizer and learning rate.
    public init(recipe: TrainingRecipe, data: TrainingData) {
        let layers = recipe.specification.layers
        let opaque = layers.contains { layer in
            switch layer {
            case .keras, .kerasModel, .savedModel: return true
            default: return false
            }
        }
        var dropout = false, batchNormalization = false, l2 = 0.0
        var momentum: Double?
        for layer in layers {
            switch layer {
            case .dropout: dropout = true
            case let .batchNormalization(value, _):
                batchNormalization = true
                momentum = Double(value)
            case let .dense(_, _, regularizer), let .conv2D(_, _, _, _, _, regularizer):
                l2 = max(l2, Double(regularizer?.l2 ?? 0))
            default: break
            }
        }
        let labels = data.train.labels
        let classes = max(data.train.classNames.count, (labels.max() ?? -1) + 1)
        var counts = [Int](repeating: 0, count: max(0, classes))
        for label in labels where label >= 0 && label < counts.count { counts[label] += 1 }
        let majority = labels.isEmpty ? nil : Double(counts.max() ?? 0) / Double(labels.count)
        let trainingCount = Double(labels.count) * (1 - recipe.effectiveValidationSplit(for: data))
        let steps = recipe.batchSize > 0 ? Int((trainingCount / Double(recipe.batchSize)).rounded(.up)) : nil
        self.init(hasDropout: dropout ? true : (opaque ? nil : false),
                  hasBatchNormalization: batchNormalization ? true : (opaque ? nil : false),
                  hasAugmentation: recipe.augmentation != nil,
                  l2: opaque && l2 == 0 ? nil : l2,
                  classes: classes >= 2 ? classes : nil,
                  // A majority share well above 1/classes marks imbalanced labels; balanced data keep 1/classes.
                  majorityClassShare: majority.flatMap { classes >= 2 && $0 > 1.5 / Double(classes) ? $0 : nil },
                  stepsPerEpoch: steps, batchNormalizationMomentum: momentum,
                  learningRate: RemedyCatalog.effectiveLearningRate(recipe), optimizer: recipe.optimizer,
                  usesEarlyStopping: recipe.callbacks.earlyStopping != nil)
    }
}
