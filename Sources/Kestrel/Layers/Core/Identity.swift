/// Returns its input unchanged (Keras's `Identity`): a placeholder where a branch does nothing.
public final class Identity: Layer, @unchecked Sendable {
    /// The forward pass on a batch; `training` selects training-time behaviour.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor { input }
}

extension Identity: KerasSerializable {
    /// Keras's `Identity.from_config`.
    public convenience init(config reader: KerasConfigReader) throws {
        self.init(name: try reader.layerName())
    }
}
