/// Sets a random fraction `rate` of inputs to zero during training and scales the rest by
/// 1 / (1 − rate); does nothing at inference (Keras's `Dropout`).
public final class Dropout: Layer, @unchecked Sendable {
    /// Fraction of inputs dropped, in [0, 1).
    public let rate: Float
    private var generator: RandomGenerator
    private let seed: UInt64?

    /// Makes a dropout layer; `seed` fixes its masks, otherwise they follow the global seed.
    public init(_ rate: Float, seed: UInt64? = nil, inputShape: [Int]? = nil, name: String? = nil) {
        self.rate = rate
        self.seed = seed
        self.generator = RandomGenerator(seed: seed ?? GlobalRandom.nextSeed())
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(rate >= 0 && rate < 1, "rate", mustBe: "in [0, 1)", got: rate)
    }

    /// The position of the mask / augmentation generator.
    public override var randomState: RandomGeneratorState? { generator.state }

    /// Continues the generator from a saved position.
    public override func restoreRandomState(_ state: RandomGeneratorState) throws {
        generator = try RandomGenerator(state: state)
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard training, rate > 0 else { return input }
        let mask = try Tensor.dropoutMask(input.shape, rate: rate, generator: &generator)
        return try input * mask
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["rate": KerasObjects.number(rate), "seed": seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null,
                              "noise_shape": .null]) { $1 }
    }
}

extension Dropout: KerasSerializable {
    /// Keras's `Dropout.from_config` (a rate in [0, 1), no noise shape).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireAbsent(["noise_shape"])
        let rate = try reader.float("rate")
        guard rate >= 0, rate < 1 else { throw reader.fail("\"rate\" must be in [0, 1), got \(rate)") }
        self.init(rate, seed: try reader.seed(), name: try reader.layerName())
    }
}
