import Kestrel

/// Everything that defines one training run except the seed and the data: the model spec, the
/// compile arguments and the `fit` options, as plain data (what `kestrel fit` parses from its
/// options and what `Doctor` changes to make a remedy).
public struct TrainingRecipe: Sendable, Equatable {
    /// The model, as a spec (the text grammar or a Keras Sequential config).
    public var specification: ModelSpecification
    /// Optimizer name (`Optimizer.validNames`).
    public var optimizer: String = "adam"
    /// Learning rate; nil keeps the optimizer's Keras default.
    public var learningRate: Double?
    /// Loss, by Keras name.
    public var loss: String = "sparse_categorical_crossentropy"
    /// Epochs to train.
    public var epochs: Int = 20
    /// Samples per gradient step.
    public var batchSize: Int = 32
    /// Fraction of the training images held out for validation (ignored when the data bring their own).
    public var validationSplit: Double = 0.2
    /// EarlyStopping / ReduceLROnPlateau.
    public var callbacks = CallbackSettings()
    /// Augmentation while training (`RandomAugmentation`'s text, e.g. `"flip,rotate:15"`), if any.
    public var augmentation: String?
    /// Gradient clipping by norm on the optimizer (Keras's `clipnorm`), if any.
    public var clipnorm: Double?

    /// A recipe training `specification` with the given options.
    public init(specification: ModelSpecification, optimizer: String = "adam", learningRate: Double? = nil,
                loss: String = "sparse_categorical_crossentropy", epochs: Int = 20, batchSize: Int = 32,
                validationSplit: Double = 0.2, callbacks: CallbackSettings = CallbackSettings(), augmentation: String? = nil) {
        self.specification = specification
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.loss = loss
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationSplit = validationSplit
        self.callbacks = callbacks
        self.augmentation = augmentation
    }

    /// The validation split actually used on `data` (0 when the data have their own validation images).
    public func effectiveValidationSplit(for data: TrainingData) -> Double {
        data.validation == nil ? validationSplit : 0
    }

    /// Whether runs on `data` log `val_*` keys.
    public func hasValidation(on data: TrainingData) -> Bool {
        data.validation != nil || validationSplit > 0
    }

    /// The metric names every epoch of a run on `data` logs.
    public func loggedMetrics(on data: TrainingData) -> [String] {
        ["loss", "accuracy"] + (hasValidation(on: data) ? ["val_loss", "val_accuracy"] : [])
    }

    /// A new, compiled model for `data`, with the augmentation (seeded) in front. The global seed
    /// should be set first (`Kestrel.setRandomSeed`) so weights are repeatable.
    public func makeModel(for data: TrainingData, seed: UInt64) throws -> Sequential {
        let leading: [Layer] = try augmentation.map { [try RandomAugmentation(parsing: $0, seed: seed)] } ?? []
        let network: Sequential
        do {
            network = try specification.makeModel(inputShape: data.sampleShape, leadingLayers: leading)
        } catch let error as ModelSpecificationError {
            throw TrainingRecipeError(message: error.description)
        } catch {
            throw TrainingRecipeError(message: "The model does not fit the data's \(data.sampleShape.map(String.init).joined(separator: "×")) images: \(error)")
        }
        let chosen = try Optimizer.named(optimizer)
        if let learningRate { try chosen.setLearningRate(Float(learningRate)) }
        if let clipnorm { try chosen.configure(weightDecay: chosen.weightDecay, clipnorm: Float(clipnorm), clipvalue: nil, globalClipnorm: nil) }
        let resolvedLoss = try Loss.named(loss)
        try network.compile(optimizer: chosen, loss: resolvedLoss, metrics: [try Metric.named("accuracy", loss: resolvedLoss)])
        return network
    }
}

/// A recipe that cannot be trained on the data (the model does not fit the images, …).
public struct TrainingRecipeError: Error, CustomStringConvertible, Sendable {
    /// One sentence naming the problem.
    public let message: String
    /// The error with `message`.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
