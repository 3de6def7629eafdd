/// Looks up a trainable vector for each integer index (Keras's `Embedding`): [batch, …] indices →
/// [batch, …, outputDim]. Indices arrive as the whole numbers of a Float tensor (as `TextVectorization`
/// outputs them); one outside 0..<inputDim, or not whole, is a thrown error naming the layer.
///
/// With `maskZero`, index 0 is padding: `computeMask` gives the positions that are not 0, and a
/// `Sequential` hands that mask to the next layers that use one (`GlobalAveragePooling1D` averages
/// over the unmasked positions only; `Dropout` passes it on; other layers drop it), as Keras does.
public final class Embedding: Layer, @unchecked Sendable {
    /// The number of distinct indices (the vocabulary size).
    public let inputDim: Int
    /// The length of each vector.
    public let outputDim: Int
    /// How the vectors start (Keras's default: uniform in [−0.05, 0.05]).
    public let embeddingsInitializer: Initializer
    /// The penalty on the vectors, if any.
    public let embeddingsRegularizer: Regularizer?
    /// Whether index 0 is padding, masked out of later layers.
    public let maskZero: Bool
    /// The table of vectors, [inputDim, outputDim], once built.
    public private(set) var embeddings: Variable?

    /// Makes the layer with Keras's defaults.
    public init(_ inputDim: Int, _ outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(minimum: -0.05, maximum: 0.05),
                embeddingsRegularizer: Regularizer? = nil, maskZero: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.embeddingsInitializer = embeddingsInitializer
        self.embeddingsRegularizer = embeddingsRegularizer
        self.maskZero = maskZero
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(inputDim > 0, "inputDim", mustBe: "a positive integer", got: inputDim)
        requireArgument(outputDim > 0, "outputDim", mustBe: "a positive integer", got: outputDim)
    }

    /// Makes the table of vectors.
    public override func build(inputShape: [Int]) throws {
        embeddings = try addWeight(name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
                                   regularizer: embeddingsRegularizer)
    }

    /// The input shape with `outputDim` appended.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] { inputShape + [outputDim] }

    /// The vectors of the indices in `input`.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let embeddings else { throw KestrelError.invalidState("Embedding '\(name)' is not built.") }
        let rows = try indices(of: input)
        return try embeddings.tensor.gathering(rows: rows).reshaped(input.shape + [outputDim])
    }

    /// The whole-number indices of `input`, checked against `inputDim`.
    func indices(of input: Tensor) throws -> [Int] {
        let limit = Float(inputDim)
        return try input.scalars.map { value in
            guard value >= 0, value < limit, value == value.rounded(.towardZero) else {
                throw KestrelError.invalidArgument("Embedding '\(name)': index \(value) is not a whole number in 0..<\(inputDim) (inputDim); make inputDim at least the vocabulary size (TextVectorization's vocabularySize()).")
            }
            return Int(value)
        }
    }

    /// Keras's `compute_mask`: 1 where the index is not 0, as a Float tensor of the input's shape; nil without `maskZero`.
    public func computeMask(_ input: Tensor) throws -> Tensor? {
        guard maskZero else { return nil }
        return try input.notEqual(Tensor(shape: [], scalars: [0]))
    }

    /// Keras's config (`get_config()`).
    public override var config: LayerConfig {
        super.config.merging([
            "input_dim": .int(inputDim), "output_dim": .int(outputDim),
            "embeddings_initializer": KerasObjects.serialize(embeddingsInitializer),
            "embeddings_regularizer": KerasObjects.serialize(embeddingsRegularizer),
            "activity_regularizer": .null, "embeddings_constraint": .null, "mask_zero": .bool(maskZero),
        ]) { $1 }
    }
}

extension Embedding: KerasSerializable {
    /// Keras's `Embedding.from_config` (`input_dim`, `output_dim`, initializer, regularizer, `mask_zero`).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireAbsent(["embeddings_constraint", "activity_regularizer", "lora_rank", "quantization_config"])
        if reader.has("input_length") { _ = try reader.int("input_length") }
        self.init(try reader.int("input_dim"), try reader.int("output_dim"),
                         embeddingsInitializer: try reader.initializer("embeddings_initializer", default: .randomUniform(minimum: -0.05, maximum: 0.05)),
                         embeddingsRegularizer: try reader.regularizer("embeddings_regularizer"),
                         maskZero: try reader.bool("mask_zero", default: false), name: try reader.layerName())
    }
}
