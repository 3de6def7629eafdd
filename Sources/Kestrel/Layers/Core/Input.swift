/// Declares the shape of one sample (without the batch dimension), as `keras.Input(shape=…)`.
/// Placed first in a `Sequential`, it lets the model build at once, so `summary()` works before `fit`.
public final class Input: Layer, @unchecked Sendable {
    /// The shape of one sample.
    public let shape: [Int]

    /// Declares inputs of `shape`, e.g. `[28, 28]` or `[32, 32, 3]`.
    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        super.init(name: name ?? LayerNaming.uniqueName(for: "input_layer"))
    }

    public override var className: String { "InputLayer" }

    public override func build(inputShape: [Int]) throws {
        guard inputShape == shape else {
            throw KestrelError.shapeMismatch(
                "Input '\(name)' expects samples of shape \(LayerNaming.format(shape)) but got \(LayerNaming.format(inputShape)); reshape the data or change Input(shape:).")
        }
    }

    /// Keras's InputLayer config: `batch_shape` with a null batch size, and no trainable flag.
    public override var config: LayerConfig {
        ["batch_shape": .array([.null] + shape.map(ConfigValue.int)), "dtype": .string("float32"), "sparse": .bool(false),
         "ragged": .bool(false), "name": .string(name), "optional": .bool(false)]
    }
}
