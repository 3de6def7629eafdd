/// One recorded step of a differentiated computation: which tensors it read and how to send a
/// gradient back to them.
///
/// Nodes form a graph that lives as long as the tensors holding them; dropping the result of a
/// computation frees its graph.
public final class GradientNode: @unchecked Sendable {
    /// Gradient rule: given the gradient of the output and, per input, whether that input needs a
    /// gradient, returns one gradient per input (nil where not needed).
    typealias Backward = (Tensor, [Bool]) throws -> [Tensor?]

    let shape: [Int]
    /// The device of the tensor this node belongs to (its gradient lives there too).
    let device: Device
    let inputs: [GradientNode?]
    let backward: Backward?

    /// A leaf: a tensor or variable that gradients are taken with respect to.
    init(leafShape: [Int], device: Device) {
        self.shape = leafShape
        self.device = device
        self.inputs = []
        self.backward = nil
    }

    init(shape: [Int], device: Device, inputs: [GradientNode?], backward: @escaping Backward) {
        self.shape = shape
        self.device = device
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Makes `output` differentiable with a hand-written gradient rule (like TensorFlow's
    /// `custom_gradient`): `backward` receives the output's gradient and, per input, whether that input
    /// needs a gradient, and returns one gradient per input (nil where not needed). Fused kernels
    /// (losses, layers) use this to compute a result and its gradient in one pass.
    public static func differentiable(_ output: Tensor, inputs: [Tensor],
                                      backward: @escaping (Tensor, [Bool]) throws -> [Tensor?]) -> Tensor {
        record(output, inputs: inputs, backward: backward)
    }

    /// Attaches a gradient rule to `output` when any of `inputs` takes part in differentiation.
    static func record(_ output: Tensor, inputs: [Tensor],
                       backward: @escaping (Tensor, [Bool]) throws -> [Tensor?]) -> Tensor {
        guard inputs.contains(where: { $0.gradientNode != nil }) else { return output }
        var tracked = output
        tracked.gradientNode = GradientNode(shape: output.shape, device: output.device, inputs: inputs.map(\.gradientNode), backward: backward)
        return tracked
    }
}
