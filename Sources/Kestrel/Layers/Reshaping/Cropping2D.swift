/// Removes rows and columns from the borders of NHWC images (Keras's `Cropping2D`).
public final class Cropping2D: Layer, @unchecked Sendable {
    /// Rows removed above and below, columns removed left and right.
    public let top: Int, bottom: Int, left: Int, right: Int

    /// Crops `cropping.0` rows above and below and `cropping.1` columns left and right.
    public convenience init(cropping: (Int, Int) = (0, 0), inputShape: [Int]? = nil, name: String? = nil) {
        self.init(cropping: ((cropping.0, cropping.0), (cropping.1, cropping.1)), inputShape: inputShape, name: name)
    }

    /// Crops `cropping` on every side.
    public convenience init(cropping: Int, inputShape: [Int]? = nil, name: String? = nil) {
        self.init(cropping: ((cropping, cropping), (cropping, cropping)), inputShape: inputShape, name: name)
    }

    /// Crops ((top, bottom), (left, right)). A negative amount is recorded as an argument problem and
    /// thrown when the layer is added to a model or built. `inputShape` declares the model's input when the layer
    /// comes first in a `Sequential` (Keras's `input_shape`).
    public init(cropping: ((Int, Int), (Int, Int)), inputShape: [Int]? = nil, name: String? = nil) {
        (top, bottom, left, right) = (cropping.0.0, cropping.0.1, cropping.1.0, cropping.1.1)
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument([top, bottom, left, right].allSatisfy({ $0 >= 0 }), "cropping",
                        mustBe: "≥ 0 rows and columns on every side (use ZeroPadding2D to add some)",
                        got: "((\(top), \(bottom)), (\(left), \(right)))")
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("Cropping2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        // Compared without subtracting, so huge croppings cannot overflow.
        let removesAll = top >= inputShape[0] || bottom >= inputShape[0] - top || left >= inputShape[1] || right >= inputShape[1] - left
        let (height, width) = removesAll ? (0, 0) : (inputShape[0] - top - bottom, inputShape[1] - left - right)
        guard height > 0, width > 0 else {
            throw KestrelError.shapeMismatch(
                "Cropping2D '\(name)': cropping ((\(top), \(bottom)), (\(left), \(right))) removes every row or column of images \(LayerNaming.format(inputShape)).")
        }
        return [height, width, inputShape[2]]
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let rows = try input.slice(axis: 1, range: top..<(input.shape[1] - bottom))
        return try rows.slice(axis: 2, range: left..<(input.shape[2] - right))
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["cropping": .array([.ints([top, bottom]), .ints([left, right])]),
                              "data_format": .string("channels_last")]) { $1 }
    }
}

extension Cropping2D: KerasSerializable {
    /// Keras's `Cropping2D.from_config` (channels_last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(cropping: try reader.borders("cropping", default: 0), name: try reader.layerName())
    }
}
