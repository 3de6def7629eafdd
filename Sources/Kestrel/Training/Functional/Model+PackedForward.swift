extension Model {
    /// The forward pass of a multi-output model in packed mode with each output's activation fused into
    /// its loss where the pattern allows (a softmax output under a cross-entropy, a sigmoid under binary
    /// cross-entropy), as the Sequential path does for its last layer. The packed `logits` hold the
    /// pre-activation values of fused outputs and the outputs themselves elsewhere; `logitsLoss` takes
    /// each in its form. Nil when no output can be fused (the plain pass is then used).
    func packedForward(_ graph: FunctionalGraph, _ packedIO: PackedIO, _ input: Tensor, training: Bool,
                       loss: MultiOutputLoss) throws -> ForwardResult? {
        guard loss.losses.count == graph.outputs.count else { return nil }
        let nodes: [Node?] = graph.outputs.indices.map { index in
            guard let activation = loss.losses[index].fusableActivation, loss.losses[index].logitsEquivalent != nil else { return nil }
            return graph.fusableNode(ofOutput: index, activation: activation)
        }
        let fused = nodes.compactMap { $0 }
        guard !fused.isEmpty else { return nil }
        try packedIO.checkPackedInput(Array(input.shape.dropFirst()), modelName: name)
        let values = try graph.run(try packedIO.inputs.unpack(input), training: training, modelName: name, beforeActivationOf: fused)
        var outputs: [Tensor] = []
        for (value, node) in zip(values, nodes) {
            if let node, let activation = node.layer.fusableOutputActivation {
                outputs.append(try activation.apply(value.detached))
            } else {
                outputs.append(value)
            }
        }
        return ForwardResult(output: try packedIO.outputs.pack(outputs), logits: try packedIO.outputs.pack(values),
                             logitsLoss: loss.fusing(nodes.map { $0 != nil }))
    }
}
