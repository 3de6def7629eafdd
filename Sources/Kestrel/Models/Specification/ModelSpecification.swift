import Foundation

/// A Sequential model described as data — from a short text spec (which may start from a saved
/// `.keras` base) or from Keras's Sequential or Functional `config.json` — that builds a fresh
/// `Sequential` on demand (used by `kestrel fit`; a functional graph becomes its one layer).
///
/// ```swift
/// let spec = try ModelSpecification(parsing: "flatten, dense 128 relu, dropout 0.5, dense 10 softmax")
/// let model = try spec.makeModel(inputShape: [28, 28])
/// ```
/// The text grammar is documented on `ModelSpecificationParser`; the JSON layout on `KerasSequentialConfig`.
public struct ModelSpecification: Sendable, Equatable {
    /// The layers in order (an `.input` layer, if any, comes first).
    public var layers: [LayerSpecification]
    /// The model's name (Keras's `name`), if the source gave one.
    public var name: String?

    /// A specification of `layers`.
    public init(layers: [LayerSpecification], name: String? = nil) {
        self.layers = layers
        self.name = name
    }

    /// Parses the text spec (`"conv2d 32 3 relu, maxpool, flatten, dense 10 softmax"`).
    public init(parsing text: String) throws {
        self = try ModelSpecificationParser.parse(text)
    }

    /// Reads Keras's Sequential or Functional config (`model.to_json()`, or `config.json` inside a `.keras` file).
    public init(kerasJSON data: Data) throws {
        self = try KerasSequentialConfig.parse(data)
    }

    /// The input shape the spec declares (its leading `input` layer), if any.
    public var inputShape: [Int]? {
        if case let .input(shape)? = layers.first { return shape }
        return nil
    }

    /// A new, built `Sequential`. `inputShape` (one sample, no batch dimension) is used when the
    /// spec declares none; when both exist they must agree. `leadingLayers` (e.g. an
    /// `RandomAugmentation`) go right after the input.
    public func makeModel(inputShape dataShape: [Int]? = nil, leadingLayers: [Layer] = []) throws -> Sequential {
        guard layers.contains(where: { if case .input = $0 { return false } else { return true } }) else {
            throw ModelSpecificationError.empty
        }
        var layerObjects = try layers.enumerated().map { try $0.element.makeLayer(number: $0.offset + 1) }
        layerObjects.insert(contentsOf: leadingLayers, at: inputShape == nil ? 0 : 1)
        if inputShape == nil, let dataShape, needsChannelAxis(dataShape: dataShape, leadingLayers: leadingLayers) {
            // Grey H×W images before convolution, pooling or augmentation get a channel axis, as Keras's
            // image_dataset_from_directory gives grey images (H, W, 1).
            layerObjects.insert(Reshape(dataShape + [1]), at: 0)
        }
        let shape: [Int]?
        if let declared = inputShape {
            if let dataShape, dataShape != declared {
                throw ModelSpecificationError.inputShapeMismatch(declared: declared, data: dataShape)
            }
            shape = declared
        } else {
            shape = dataShape
            if let dataShape { layerObjects.insert(Input(shape: dataShape), at: 0) }
        }
        let model = try Sequential(layerObjects, name: name)
        if let shape { _ = try model.outputShape(forInput: shape) }
        return model
    }

    /// Whether data of `dataShape` (one sample) are grey H×W images that the first layer — a convolution or
    /// pooling layer, or an augmentation layer in front — needs as H×W×1.
    func needsChannelAxis(dataShape: [Int], leadingLayers: [Layer]) -> Bool {
        guard dataShape.count == 2 else { return false }
        if !leadingLayers.isEmpty { return true }
        switch layers.first(where: { if case .input = $0 { return false } else { return true } }) {
        case .conv2D?, .depthwiseConv2D?, .separableConv2D?, .maxPooling2D?, .averagePooling2D?, .globalAveragePooling2D?: return true
        default: return false
        }
    }
}
