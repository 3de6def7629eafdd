/// The base of Keras's random preprocessing layers (`RandomFlip`, `RandomRotation`…): applies a
/// KestrelData image transform to NHWC batches during training only; at inference the input passes
/// through unchanged. A `seed` fixes the sequence of random draws; otherwise it follows the global seed.
public class AugmentationLayer: Layer, @unchecked Sendable {
    let transform: ImageTransform
    private var generator: RandomGenerator

    init(transform: ImageTransform, seed: UInt64?, name: String?) {
        self.transform = transform
        self.generator = RandomGenerator(seed: seed ?? GlobalRandom.nextSeed())
        super.init(name: name)
    }

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

    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training else { return input }
        return try transform.apply(to: input.detached, generator: &generator)
    }
}
