/// Returns its input unchanged (Keras's `Identity`, `Layer`'s own `call`): a placeholder where a branch does nothing.
public final class Identity: Layer, @unchecked Sendable {}

extension Identity: KerasSerializable {
    /// Keras's `Identity.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(name: try reader.layerName())
    }
}
