@testable import Kestrel

/// A user's own layer for the custom-object tests: `scale * tanh(x * alpha)`, with one trainable weight
/// `alpha` per feature (starting at ones). Its Python twin, registered as "KestrelFixtures>ScaledTanh",
/// is in scripts/fixtures/make_keras_custom_layer_fixtures.py.
final class ScaledTanh: Layer, KerasSerializable, @unchecked Sendable {
    let scale: Float
    private(set) var alpha: Variable?

    init(scale: Float, name: String? = nil) {
        self.scale = scale
        super.init(name: name)
    }

    convenience init(config reader: KerasConfigReader) throws {
        self.init(scale: try reader.float("scale"), name: try reader.layerName())
    }

    override var config: LayerConfig { super.config.merging(["scale": KerasObjects.number(scale)]) { $1 } }

    override func build(inputShape: [Int]) throws {
        alpha = try addWeight(name: "alpha", shape: [inputShape.last ?? 1], initializer: .ones)
    }

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let alpha else { throw KestrelError.invalidState("ScaledTanh '\(name)' was called before it was built.") }
        return try (input * alpha.tensor).tanh() * scale
    }
}
