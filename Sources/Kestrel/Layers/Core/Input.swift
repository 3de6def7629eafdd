/// Declares the shape of one sample (without the batch dimension), as `keras.Input(shape=…)`.
/// Placed first in a `Sequential`, it lets the model build at once, so `summary()` works before `fit`.
///
/// In a functional model it stands for the model's input tensor:
/// `let inputs = Input(shape: [28, 28, 1], name: "image"); let x = try Flatten()(inputs)`.
public final class Input: Layer, SymbolicTensorConvertible, @unchecked Sendable {
    /// The shape of one sample.
    public let shape: [Int]

    /// Declares inputs of `shape`, e.g. `[28, 28]` or `[32, 32, 3]`.
    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        super.init(name: name ?? LayerNaming.uniqueName(for: "input_layer"))
        requireArgument(shape.allSatisfy { $0 > 0 }, "shape", mustBe: "a list of positive dimensions", got: shape)
        requireArgument(Tensor.checkedElementCount(shape) != nil, "shape", mustBe: "a shape whose element count fits in Int", got: shape)
    }

    /// Keras's class name of this layer, as saved in `.keras` files.
    public override var className: String { "InputLayer" }

    /// The graph node of this input (made on first symbolic use, so a `Sequential`'s `Input` has none).
    lazy var inputNode: Node = {
        let node = Node(layer: self, inputs: [], outputShapes: [shape], training: nil)
        inboundNodes.append(node)
        builtInputShape = shape
        return node
    }()

    /// The symbolic tensor this input feeds into a functional model.
    public var symbolicTensor: SymbolicTensor { SymbolicTensor(node: inputNode, index: 0) }

    /// Checks that the data's samples have the declared shape; throws naming the input otherwise.
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
