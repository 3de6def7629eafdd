/// Repeats each row and column of NHWC images (Keras's `UpSampling2D`, nearest-neighbour interpolation).
public final class UpSampling2D: Layer, @unchecked Sendable {
    /// How many times each row and each column is repeated.
    public let size: (Int, Int)

    /// Repeats rows `size.0` times and columns `size.1` times (Keras's default (2, 2)). A size below 1 is
    /// recorded as an argument problem and thrown when the layer is added to a model or built. `inputShape`
    /// declares the model's input when the layer comes first in a `Sequential` (Keras's `input_shape`).
    public init(size: (Int, Int) = (2, 2), inputShape: [Int]? = nil, name: String? = nil) {
        self.size = size
        super.init(name: name)
        inputShapeArgument = inputShape
        requireArgument(size.0 >= 1 && size.1 >= 1, "size", mustBe: "at least (1, 1) (1 keeps an axis as it is)", got: "(\(size.0), \(size.1))")
    }

    /// Repeats rows and columns `size` times.
    public convenience init(size: Int, inputShape: [Int]? = nil, name: String? = nil) { self.init(size: (size, size), inputShape: inputShape, name: name) }

    /// The output shape for samples of `inputShape` (batch axis excluded); throws naming the layer when the input does not fit.
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw KestrelError.shapeMismatch("UpSampling2D '\(name)' needs images of shape (height, width, channels), got \(LayerNaming.format(inputShape)).")
        }
        let (height, heightOverflow) = inputShape[0].multipliedReportingOverflow(by: size.0)
        let (width, widthOverflow) = inputShape[1].multipliedReportingOverflow(by: size.1)
        guard !heightOverflow, !widthOverflow, Tensor.checkedElementCount([height, width, inputShape[2]]) != nil else {
            throw KestrelError.invalidArgument(
                "UpSampling2D '\(name)': size (\(size.0), \(size.1)) makes images of \(LayerNaming.format(inputShape)) too large to count; use a smaller size.")
        }
        return [height, width, inputShape[2]]
    }

    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let spread = try input.reshaped([batch, height, 1, width, 1, channels]) * (try Tensor.ones([1, 1, size.0, 1, size.1, 1]))
        return try spread.reshaped([batch, height * size.0, width * size.1, channels])
    }

    /// Keras's config of this layer (`get_config()`), as saved in `.keras` files.
    public override var config: LayerConfig {
        super.config.merging(["size": .ints([size.0, size.1]), "interpolation": .string("nearest"),
                              "data_format": .string("channels_last")]) { $1 }
    }
}

extension UpSampling2D: KerasSerializable {
    /// Keras's `UpSampling2D.from_config` (channels_last, nearest).
    public convenience init(config reader: KerasConfigReader) throws {
        try reader.requireChannelsLast()
        let interpolation = try reader.string("interpolation", default: "nearest")
        guard interpolation == "nearest" else { throw reader.fail("interpolation '\(interpolation)' is not supported (only \"nearest\")") }
        let size = try reader.window("size") ?? 2
        self.init(size: (size.height, size.width), name: try reader.layerName())
    }
}
