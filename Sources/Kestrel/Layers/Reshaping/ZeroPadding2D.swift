/// Adds rows and columns of zeros around NHWC images (Keras's `ZeroPadding2D`).
public final class ZeroPadding2D: Layer, @unchecked Sendable {
    /// Rows added above and below, columns added left and right.
    public let top: Int, bottom: Int, left: Int, right: Int

    /// Pads `padding.0` rows above and below and `padding.1` columns left and right (Keras's `(2, 3)`).
    public convenience init(padding: (Int, Int) = (1, 1), inputShape: [Int]? = nil, name: String? = nil) {
        self.init(padding: ((padding.0, padding.0), (padding.1, padding.1)), inputShape: inputShape, name: name)
    }

    /// Pads `padding` on every side.
    public convenience init(padding: Int, inputShape: [Int]? = nil, name: String? = nil) {
        self.init(padding: ((padding, padding), (padding, padding)), inputShape: inputShape, name: name)
    }

    /// Pads ((top, bottom), (left, right)). A negative amount is recorded as an argument problem and
    /// thrown when the layer is added to a model or built. `inputShape` declares the model's input when the layer
    /// comes first in a `Sequential` (Keras's `input_shape`).
    public init(padding: ((Int, Int), (Int, Int)), inputShape: [Int]? = nil, name: String? = nil) {
        (top, bottom, left, right) = (padding.0.0, padding.0.1, padding.1.0, padding.1.1)
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument([top, bottom, left, right].allSatisfy({ $0 >= 0 }), "padding",
                        mustBe: "≥ 0 rows and columns on every side (use Cropping2D to remove some)",
                        got: "((\(top), \(bottom)), (\(left), \(right)))")
    }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("ZeroPadding2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (height, heightOverflow) = inputShape[0].addingReportingOverflow(top)
        let (tall, tallOverflow) = height.addingReportingOverflow(bottom)
        let (width, widthOverflow) = inputShape[1].addingReportingOverflow(left)
        let (wide, wideOverflow) = width.addingReportingOverflow(right)
        guard !heightOverflow, !tallOverflow, !widthOverflow, !wideOverflow,
              Tensor.checkedElementCount([tall, wide, inputShape[2]]) != nil else {
            throw KestrelError.invalidArgument(
                "ZeroPadding2D '\(name)': padding ((\(top), \(bottom)), (\(left), \(right))) makes images too large to count; use a smaller padding.")
        }
        return [tall, wide, inputShape[2]]
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        var rows = [input]
        if top > 0 { rows.insert(try Tensor.zeros([batch, top, width, channels]), at: 0) }
        if bottom > 0 { rows.append(try Tensor.zeros([batch, bottom, width, channels])) }
        let tall = rows.count == 1 ? input : try Tensor.concatenate(rows, axis: 1)
        let paddedHeight = height + top + bottom
        var columns = [tall]
        if left > 0 { columns.insert(try Tensor.zeros([batch, paddedHeight, left, channels]), at: 0) }
        if right > 0 { columns.append(try Tensor.zeros([batch, paddedHeight, right, channels])) }
        return columns.count == 1 ? tall : try Tensor.concatenate(columns, axis: 2)
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["padding": .array([.ints([top, bottom]), .ints([left, right])]),
                              "data_format": .string("channels_last")]) { $1 }
    }
}

extension ZeroPadding2D: KerasSerializable {
    /// Keras's `ZeroPadding2D.from_config` (channels_last).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        self.init(padding: try reader.borders("padding", default: 1), name: try reader.layerName())
    }
}
