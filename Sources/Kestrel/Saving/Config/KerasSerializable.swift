/// A type Kestrel saves in Keras 3's serialised form and reads back from it: Keras's `get_config()`
/// and `from_config()` in one place, beside the type. A layer that conforms is found by
/// `KerasLayerRegistry` for `.keras` files, `toJSON`/`modelFromJSON`, `kestrel fit --model config.json`
/// and the text spec alike; a user's own layer conforms and is then registered with
/// `KerasLayerRegistry.register(_:package:name:)`.
///
/// ```swift
/// final class Scale: Layer, KerasSerializable, @unchecked Sendable {
///     let factor: Float
///     init(factor: Float, name: String? = nil) { self.factor = factor; super.init(name: name) }
///     convenience init(config: KerasConfigReader) throws {
///         self.init(factor: try config.float("factor"), name: try config.layerName())
///     }
///     override var config: LayerConfig { super.config.merging(["factor": .double(Double(factor))]) { $1 } }
///     override func call(_ input: Tensor, training: Bool) throws -> Tensor { try input * factor }
/// }
/// try KerasLayerRegistry.register(Scale.self, package: "MyPackage")
/// ```
public protocol KerasSerializable {
    /// Keras's `class_name` ("Dense"); by default the Swift type's name.
    static var kerasClassName: String { get }
    /// Keras's `get_config()`: every argument needed to make the object again, in Keras's spelling.
    var config: LayerConfig { get }
    /// Keras's `from_config()`: the object made from a config that `config` wrote (or Keras did);
    /// throws `reader.fail(…)` naming the key for a missing or invalid setting.
    init(config reader: KerasConfigReader) throws
}

extension KerasSerializable {
    /// The Swift type's name, which is Keras's for every layer whose name Kestrel shares.
    public static var kerasClassName: String { String(describing: Self.self) }
}

/// A layer that Keras's format can hold: a `Layer` conforming to `KerasSerializable`.
public typealias KerasLayer = Layer & KerasSerializable
