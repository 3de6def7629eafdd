/// Shifts and scales inputs to mean 0 and standard deviation 1 per feature with statistics computed
/// beforehand (Keras's `Normalization`): `(input − mean) / max(√variance, 1e-7)`, or its inverse with
/// `invert`. The statistics come from `adapt(_:)` on the data (stored as the non-trainable weights
/// `mean`, `variance` and `count`, as Keras saves them) or are given as `mean:`/`variance:`.
///
/// ```swift
/// // normalizer = tf.keras.layers.Normalization(axis=-1); normalizer.adapt(np.array(train_features))
/// let normalizer = Normalization(axis: -1)
/// try normalizer.adapt(trainFeatures)
/// ```
public final class Normalization: Layer, @unchecked Sendable {
    /// The axes (of the batched input, so −1 is the last) that keep a mean and variance per index;
    /// empty for Keras's `axis=None` (one mean and variance over everything).
    public let axis: [Int]
    /// Whether the layer undoes a normalisation (`mean + input · √variance`).
    public let invert: Bool
    /// The mean given at construction (one value, or one per index of the kept axes), or nil when adapted.
    public let givenMean: [Float]?
    /// The variance given at construction, or nil when adapted.
    public let givenVariance: [Float]?
    /// Whether the given statistics were single numbers (Keras writes them back as numbers, not lists).
    let givenAreScalars: Bool
    /// The adapted mean (a non-trainable weight), once built without given statistics.
    public private(set) var adaptMean: Variable?
    /// The adapted variance (a non-trainable weight).
    public private(set) var adaptVariance: Variable?
    /// Keras's `count` weight, kept for its file layout (Keras 3 leaves it at 0).
    public private(set) var count: Variable?
    private static let epsilon: Float = 1e-7

    /// A normalisation layer over `axes` (Keras's tuple `axis`); `[]` is Keras's `axis=None`.
    public convenience init(axes: [Int], mean: [Float]? = nil, variance: [Float]? = nil, invert: Bool = false,
                            inputShape: [Int]? = nil, name: String? = nil) {
        self.init(axes: axes, mean: mean, variance: variance, givenAreScalars: false, invert: invert, inputShape: inputShape, name: name)
    }

    /// A normalisation layer per index of `axis` (default −1, the features); nil is Keras's `axis=None`.
    public convenience init(axis: Int? = -1, mean: [Float]? = nil, variance: [Float]? = nil, invert: Bool = false,
                            inputShape: [Int]? = nil, name: String? = nil) {
        self.init(axes: axis.map { [$0] } ?? [], mean: mean, variance: variance, givenAreScalars: false, invert: invert,
                  inputShape: inputShape, name: name)
    }

    /// A normalisation layer with one given mean and variance for every value (Keras's
    /// `Normalization(mean=3., variance=2.)`).
    public convenience init(axis: Int? = -1, mean: Float, variance: Float, invert: Bool = false, inputShape: [Int]? = nil,
                            name: String? = nil) {
        self.init(axes: axis.map { [$0] } ?? [], mean: [mean], variance: [variance], givenAreScalars: true, invert: invert,
                  inputShape: inputShape, name: name)
    }

    private init(axes: [Int], mean: [Float]?, variance: [Float]?, givenAreScalars: Bool, invert: Bool, inputShape: [Int]?,
                 name: String?) {
        self.axis = axes
        self.invert = invert
        self.givenMean = mean
        self.givenVariance = variance
        self.givenAreScalars = givenAreScalars
        super.init(name: name)
        inputShapeArgument = inputShape
        checkArguments()
    }

    private func checkArguments() {
        requireArgument((givenMean == nil) == (givenVariance == nil), "mean and variance", mustBe: "given together", got: "only one of them")
        requireArgument(givenMean?.count == givenVariance?.count, "mean and variance", mustBe: "of the same length",
                        got: "\(givenMean?.count ?? 0) and \(givenVariance?.count ?? 0) values")
        requireArgument((givenMean ?? []).allSatisfy(\.isFinite), "mean", mustBe: "finite numbers", got: givenMean ?? [])
        requireArgument((givenVariance ?? []).allSatisfy { $0.isFinite && $0 >= 0 }, "variance", mustBe: "finite numbers ≥ 0", got: givenVariance ?? [])
        requireArgument(Set(axis).count == axis.count, "axis", mustBe: "distinct axes", got: axis)
    }

    /// The kept axes of a batched input with `rank` axes, as non-negative numbers in order; throws when an
    /// axis is outside the input or is the batch axis.
    func keptAxes(rank: Int) throws -> [Int] {
        try axis.map { value in
            let normalized = value < 0 ? value + rank : value
            guard normalized >= 1, normalized < rank else {
                throw KestrelError.invalidArgument(
                    "Normalization '\(name)': axis \(value) does not fit inputs of rank \(rank) (with the batch axis); use an axis in 1..<\(rank) or −1.")
            }
            return normalized
        }.sorted()
    }

    /// The shape of the mean and variance for samples of `inputShape` (one size per kept axis).
    func statisticsShape(inputShape: [Int]) throws -> [Int] {
        try keptAxes(rank: inputShape.count + 1).map { inputShape[$0 - 1] }
    }

    /// Creates the `mean`, `variance` and `count` weights (when the statistics are not given), or checks
    /// that the given ones fit.
    public override func build(inputShape: [Int]) throws {
        let shape = try statisticsShape(inputShape: inputShape)
        let size = shape.reduce(1, *)
        if let givenMean {
            guard givenMean.count == 1 || givenMean.count == size else {
                throw KestrelError.shapeMismatch(
                    "Normalization '\(name)': \(givenMean.count) mean/variance values do not fit the \(size) indices of axis \(axis) for inputs \(LayerNaming.format(inputShape)); give one value or \(size).")
            }
            return
        }
        adaptMean = try addWeight(name: "mean", shape: shape, initializer: .zeros, trainable: false)
        adaptVariance = try addWeight(name: "variance", shape: shape, initializer: .ones, trainable: false)
        count = try addWeight(name: "count", shape: [], initializer: .zeros, trainable: false)
    }

    /// The mean and standard deviation shaped to broadcast against a batch of `inputShape`.
    private func broadcastStatistics(inputShape: [Int]) throws -> (mean: Tensor, deviation: Tensor) {
        let kept = try keptAxes(rank: inputShape.count + 1)
        let broadcastShape = [1] + inputShape.indices.map { kept.contains($0 + 1) ? inputShape[$0] : 1 }
        let mean: [Float], variance: [Float]
        if let givenMean, let givenVariance {
            let size = broadcastShape.reduce(1, *)
            mean = givenMean.count == 1 ? Array(repeating: givenMean[0], count: size) : givenMean
            variance = givenVariance.count == 1 ? Array(repeating: givenVariance[0], count: size) : givenVariance
        } else {
            guard let adaptMean, let adaptVariance else {
                throw KestrelError.invalidState("Normalization '\(name)' was called before it was built.")
            }
            mean = adaptMean.value.scalars
            variance = adaptVariance.value.scalars
        }
        let deviation = variance.map { Swift.max($0.squareRoot(), Self.epsilon) }
        return (try Tensor(shape: broadcastShape, scalars: mean), try Tensor(shape: broadcastShape, scalars: deviation))
    }

    /// The forward pass: `(input − mean) / max(√variance, 1e-7)`, or `mean + input · max(√variance, 1e-7)` with `invert`.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let (mean, deviation) = try broadcastStatistics(inputShape: Array(input.shape.dropFirst()))
        return invert ? try input * deviation + mean : try (input - mean) / deviation
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        func statistic(_ values: [Float]?) -> ConfigValue {
            guard let values else { return .null }
            if givenAreScalars { return KerasObjects.number(values[0]) }
            return .array(values.map(KerasObjects.number))
        }
        return super.config.merging([
            "axis": .array(axis.map(ConfigValue.int)), "invert": .bool(invert),
            "mean": statistic(givenMean), "variance": statistic(givenVariance),
        ]) { $1 }
    }
}
