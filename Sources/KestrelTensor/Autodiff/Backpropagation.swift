/// Reverse-mode differentiation over the graph of `GradientNode`s.
enum Backpropagation {
    /// Gradients of `output` (seeded with `seed`) with respect to each of `targets`.
    /// `GradientReadiness.observer`, when set, is told each target's gradient as soon as it is final.
    static func gradients(of output: Tensor, seed: Tensor, targets: [GradientNode]) throws -> [Tensor] {
        let observer = GradientReadiness.observer
        // Each target's indices in `targets`, until the observer has been told of them.
        var unreported = observer == nil ? [:] : Dictionary(grouping: targets.indices) { ObjectIdentifier(targets[$0]) }
        guard let root = output.gradientNode else {
            return try reportingRest(targets.map { Tensor.filled($0.shape, value: 0, on: $0.device) }, unreported, observer)
        }
        let targetIDs = Set(targets.map(ObjectIdentifier.init))
        let order = postOrder(from: root, targets: targetIDs)
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        var results: [ObjectIdentifier: Tensor] = [:]
        for node in order.nodes.reversed() {
            let id = ObjectIdentifier(node)
            guard let incoming = gradients.removeValue(forKey: id) else { continue }
            if targetIDs.contains(id) {
                results[id] = incoming
                // Every user of this node came earlier in the reverse order, so its gradient is final.
                if let observer, let indices = unreported.removeValue(forKey: id) {
                    for index in indices { try observer.gradientIsReady(incoming, index: index, count: targets.count) }
                }
            }
            guard let backward = node.backward else { continue }
            let needed = node.inputs.map { input in input.map { order.relevant.contains(ObjectIdentifier($0)) } ?? false }
            guard needed.contains(true) else { continue }
            let inputGradients = try backward(incoming, needed)
            guard inputGradients.count == node.inputs.count else {
                throw KestrelError.invalidState(
                    "a gradient rule for an output of shape \(node.shape) returned \(inputGradients.count) gradients for \(node.inputs.count) inputs.")
            }
            for (index, input) in node.inputs.enumerated() where needed[index] {
                guard let input, let gradient = inputGradients[index] else { continue }
                guard gradient.shape == input.shape else {
                    throw KestrelError.shapeMismatch(
                        "a gradient rule for an output of shape \(node.shape) returned a gradient of shape \(gradient.shape) for input \(index) of shape \(input.shape).")
                }
                guard gradient.device == input.device else {
                    throw KestrelError.invalidArgument(
                        "a gradient rule for an output of shape \(node.shape) returned a gradient on \(gradient.device) for input \(index) on \(input.device); return it on the input's device (gradient.to(.\(input.device))).")
                }
                let inputID = ObjectIdentifier(input)
                if let existing = gradients[inputID] {
                    gradients[inputID] = try existing.adding(gradient)
                } else {
                    gradients[inputID] = gradient.detached
                }
            }
        }
        let final = targets.map { results[ObjectIdentifier($0)] ?? Tensor.filled($0.shape, value: 0, on: $0.device) }
        return try reportingRest(final, unreported, observer)
    }

    /// Tells `observer` of the targets not yet reported (those the output does not depend on), in index order.
    private static func reportingRest(_ final: [Tensor], _ unreported: [ObjectIdentifier: [Int]],
                                      _ observer: (any GradientReadyObserver)?) throws -> [Tensor] {
        guard let observer else { return final }
        for index in unreported.values.joined().sorted() {
            try observer.gradientIsReady(final[index], index: index, count: final.count)
        }
        return final
    }

    /// Nodes in post order (inputs before users) and the set of nodes from which a target is reachable.
    private static func postOrder(from root: GradientNode, targets: Set<ObjectIdentifier>)
        -> (nodes: [GradientNode], relevant: Set<ObjectIdentifier>) {
        var nodes: [GradientNode] = []
        var relevant: Set<ObjectIdentifier> = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var stack: [(node: GradientNode, nextInput: Int)] = [(root, 0)]
        while !stack.isEmpty {
            let (node, nextInput) = stack[stack.count - 1]
            if nextInput < node.inputs.count {
                stack[stack.count - 1].nextInput += 1
                if let input = node.inputs[nextInput], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
                continue
            }
            stack.removeLast()
            let id = ObjectIdentifier(node)
            if targets.contains(id) || node.inputs.contains(where: { $0.map { relevant.contains(ObjectIdentifier($0)) } ?? false }) {
                relevant.insert(id)
            }
            nodes.append(node)
        }
        return (nodes, relevant)
    }
}

/// Gradients of a scalar `output` with respect to `inputs`, which must have been made with
/// `requiringGradient()` (or be computed from such tensors).
///
/// Inputs that `output` does not depend on get a zero gradient.
public func gradient(of output: Tensor, wrt inputs: [Tensor]) throws -> [Tensor] {
    guard output.count == 1 else {
        throw KestrelError.shapeMismatch(
            "gradient(of:wrt:) needs a scalar output, got shape \(output.shape); reduce it first (e.g. with .mean()).")
    }
    return try gradient(of: output, wrt: inputs, outputGradient: Tensor.ones(like: output))
}

/// Gradients with respect to `inputs` of `sum(output · outputGradient)` — a vector-Jacobian product,
/// like TensorFlow's `tape.gradient(target, sources, output_gradients=...)`; `output` may have any
/// shape and `outputGradient` must have the same shape.
public func gradient(of output: Tensor, wrt inputs: [Tensor], outputGradient: Tensor) throws -> [Tensor] {
    guard outputGradient.shape == output.shape else {
        throw KestrelError.shapeMismatch(
            "gradient(of:wrt:outputGradient:): outputGradient shape \(outputGradient.shape) must equal the output shape \(output.shape).")
    }
    _ = try Tensor.backend(of: [output, outputGradient], operation: "gradient(of:wrt:outputGradient:)")
    var targets: [GradientNode] = []
    for (index, input) in inputs.enumerated() {
        guard let node = input.gradientNode else {
            throw KestrelError.invalidArgument(
                "gradient(of:wrt:): input \(index) (shape \(input.shape)) is not tracked; make it with .requiringGradient() before computing with it.")
        }
        targets.append(node)
    }
    return try Backpropagation.gradients(of: output, seed: outputGradient.detached, targets: targets)
}
