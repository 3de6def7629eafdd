/// What is known about the model and data behind a log, when they are at hand (from `kestrel fit`,
/// a `TrainingRecipe`, a `Model`, or flags of `kestrel diagnose`). Every field is optional: the
/// analysis reads the log alone where a fact is missing, and says so.
public struct ModelFacts: Sendable, Codable, Equatable {
    /// Whether the model has Dropout layers (active only in training, so they inflate the training loss).
    public var hasDropout: Bool?
    /// Whether the model has BatchNormalization layers.
    public var hasBatchNormalization: Bool?
    /// Whether training-time augmentation is applied (RandomFlip, RandomRotation, …).
    public var hasAugmentation: Bool?
    /// The largest L2 factor on a kernel (0 when none).
    public var l2: Double?
    /// The number of classes of a classifier.
    public var classes: Int?
    /// The share of the most frequent class in the training labels (the accuracy of always guessing it).
    public var majorityClassShare: Double?
    /// Gradient steps per epoch (training samples ÷ batch size, rounded up).
    public var stepsPerEpoch: Int?
    /// The BatchNormalization momentum (Keras default 0.99), when the model has such layers.
    public var batchNormalizationMomentum: Double?
    /// The learning rate trained with.
    public var learningRate: Double?
    /// The optimizer's Keras name ("adam", "sgd", …).
    public var optimizer: String?
    /// Whether the run used EarlyStopping (false: it ran its full length, so it cannot read as early-stopped).
    public var usesEarlyStopping: Bool?

    /// Facts with every field given or left unknown.
    public init(hasDropout: Bool? = nil, hasBatchNormalization: Bool? = nil, hasAugmentation: Bool? = nil, l2: Double? = nil,
                classes: Int? = nil, majorityClassShare: Double? = nil, stepsPerEpoch: Int? = nil,
                batchNormalizationMomentum: Double? = nil, learningRate: Double? = nil, optimizer: String? = nil,
                usesEarlyStopping: Bool? = nil) {
        self.hasDropout = hasDropout
        self.hasBatchNormalization = hasBatchNormalization
        self.hasAugmentation = hasAugmentation
        self.l2 = l2
        self.classes = classes
        self.majorityClassShare = majorityClassShare
        self.stepsPerEpoch = stepsPerEpoch
        self.batchNormalizationMomentum = batchNormalizationMomentum
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.usesEarlyStopping = usesEarlyStopping
    }

    /// Nothing known: the log alone is read.
    public static let unknown = ModelFacts()

    /// Whether anything about the model's regularisation is known.
    var knowsRegularization: Bool { hasDropout != nil || hasAugmentation != nil || l2 != nil }

    /// The regularisers that act only while training (Dropout, augmentation, a large L2), named; empty when none or unknown.
    func trainingOnlyRegularizers(largeL2: Double) -> [String] {
        var names: [String] = []
        if hasDropout == true { names.append("Dropout") }
        if hasAugmentation == true { names.append("data augmentation") }
        if let l2, l2 >= largeL2 { names.append("L2 \(DiagnosticsFormat.number(l2))") }
        return names
    }
}
