/// The base of Keras's random preprocessing layers (`RandomFlip`, `RandomRotation`…): applies a
/// KestrelData image transform to NHWC batches during training only; at inference the input passes
/// through unchanged. A `seed` fixes the sequence of random draws; otherwise it follows the global seed.
public class AugmentationLayer: Layer, @unchecked Sendable {
    let transform: ImageTransform
    private var generator: RandomGenerator
    /// The seed the layer was made with (Keras's `seed`), nil when it follows the global seed.
    public let seed: UInt64?

    init(transform: ImageTransform, seed: UInt64?, name: String?) {
        self.transform = transform
        self.seed = seed
        self.generator = RandomGenerator(seed: seed ?? GlobalRandom.nextSeed())
        super.init(name: name)
    }

    /// Keras's base config of an image preprocessing layer: name, trainable, dtype, seed, data_format.
    public override var config: LayerConfig {
        super.config.merging(["seed": seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null, "data_format": .string("channels_last")]) { $1 }
    }

    /// A factor range as Keras's config holds it: `[lower, upper]`.
    static func factor(_ range: FactorRange) -> ConfigValue { .array([.double(range.lower), .double(range.upper)]) }

    /// The fill and interpolation arguments of the geometric layers.
    static func geometry(_ transform: some GeometricImageTransform) -> LayerConfig {
        ["fill_mode": .string(transform.fillMode.rawValue), "fill_value": KerasObjects.number(transform.fillValue),
         "interpolation": .string(transform.interpolation.rawValue)]
    }

    /// Checks that samples of `inputShape` are images, (height, width, channels) or (height, width); throws naming the layer otherwise.
    public override func build(inputShape: [Int]) throws {
        guard inputShape.count == 3 || inputShape.count == 2 else {
            throw KestrelError.shapeMismatch(
                "\(className) '\(name)' needs images of shape (height, width, channels) or (height, width), got \(LayerNaming.format(inputShape)).")
        }
    }

    /// The position of the mask / augmentation generator.
    public override var randomState: RandomGeneratorState? { generator.state }

    /// Continues the generator from a saved position.
    public override func restoreRandomState(_ state: RandomGeneratorState) throws {
        generator = try RandomGenerator(state: state)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training else { return input }
        return try transform.apply(to: input.detached, generator: &generator)
    }
}
