/// Declares the shape of one sample (without the batch dimension), as `keras.Input(shape=…)`.
/// Placed first in a `Sequential`, it lets the model build at once, so `summary()` works before `fit`.
public final class Input: Layer, @unchecked Sendable {
    /// The shape of one sample.
    public let shape: [Int]

    /// Declares inputs of `shape`, e.g. `[28, 28]` or `[32, 32, 3]`.
    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        super.init(name: name ?? LayerNaming.uniqueName(for: "input_layer"))
        requireArgument(shape.allSatisfy { $0 > 0 }, "shape", mustBe: "a list of positive dimensions", got: shape)
        requireArgument(Tensor.checkedElementCount(shape) != nil, "shape", mustBe: "a shape whose element count fits in Int", got: shape)
    }

    public override var className: String { "InputLayer" }

    public override func build(inputShape: [Int]) throws {
        guard inputShape == shape else {
            throw KestrelError.shapeMismatch(
                "Input '\(name)' expects samples of shape \(LayerNaming.format(shape)) but got \(LayerNaming.format(inputShape)); reshape the data or change Input(shape:).")
        }
    }

    public override var config: LayerConfig { super.config.merging(["batch_shape": .ints(shape)]) { $1 } }
}
