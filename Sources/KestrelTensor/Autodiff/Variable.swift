/// A named, mutable tensor that holds a model's state (weights, biases, moving statistics).
///
/// Inside `valueWithGradients(for:_:)` reading `tensor` records the variable as a leaf of
/// differentiation (when `trainable`); outside, it is a plain tensor. Optimizers replace the value with
/// the step's values (`update(by:gradient:slots:)`), rewriting the storage in place only while nothing
/// else holds it, so a `value` read earlier keeps its numbers. The value stays on the device it was made on.
public final class Variable: @unchecked Sendable {
    /// The weight's name as Keras prints it (`kernel`, `bias`, `gamma`…).
    public let name: String
    /// Whether optimizers update this variable.
    public var trainable: Bool
    /// The current value.
    public private(set) var value: Tensor
    let leafNode: GradientNode

    /// Makes a variable holding a copy of `initialValue`, on its device (its own storage, never shared
    /// with the tensor it came from, e.g. a row slice of a dataset).
    public init(_ initialValue: Tensor, name: String, trainable: Bool = true) {
        self.name = name
        self.trainable = trainable
        self.value = initialValue.copy()
        self.leafNode = GradientNode(leafShape: initialValue.shape, device: initialValue.device)
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// The value for computing with: tracked for differentiation while a gradient tape records.
    public var tensor: Tensor {
        guard trainable, GradientTape.isRecording else { return value }
        var tracked = value
        tracked.gradientNode = leafNode
        return tracked
    }

    /// The device the value lives on.
    public var device: Device { value.device }

    /// Replaces the value with a copy of `newValue` moved to this variable's device; the shape must
    /// stay the same.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape else {
            throw KestrelError.shapeMismatch(
                "Variable '\(name)': cannot assign a value of shape \(newValue.shape) to a variable of shape \(value.shape).")
        }
        value = newValue.device == device ? newValue.copy() : newValue.detached.to(device)
    }

    /// Replaces the value with a tensor nothing else will change (an optimizer's freshly computed
    /// update, on this variable's device), without copying it. The shape must stay the same; callers in
    /// the package check it.
    package func replaceValue(with newValue: Tensor) {
        value = newValue.detached
    }

    /// Applies one optimizer step of `rule` to the value (`Tensor.update(by:gradient:slots:)`): in place
    /// where the value's storage and the slots' are held by nothing else (a `value` read earlier and
    /// still held keeps its numbers: the step then makes new storage). Throws before changing anything
    /// when the gradient or a slot does not match the value's shape.
    package func update(by rule: UpdateRule, gradient: Tensor, slots: inout [Tensor]) throws {
        try value.update(by: rule, gradient: gradient, slots: &slots)
    }
}

/// Controls whether reading `Variable.tensor` records the variable for differentiation.
public enum GradientTape {
    /// True inside `valueWithGradients(for:_:)`.
    @TaskLocal public static var isRecording = false
}

/// Runs `body` while recording, then returns its scalar result and its gradients with respect to
/// `variables` (zero for variables it did not use). This is the API for custom training loops.
public func valueWithGradients(for variables: [Variable], _ body: () throws -> Tensor) throws
    -> (value: Tensor, gradients: [Tensor]) {
    let value = try GradientTape.$isRecording.withValue(true) { try body() }
    guard value.count == 1 else {
        throw KestrelError.shapeMismatch(
            "valueWithGradients(for:_:) needs the body to return a scalar loss, got shape \(value.shape); reduce it (e.g. .mean()).")
    }
    let gradients = try Backpropagation.gradients(of: value, seed: Tensor.ones(like: value),
                                                 targets: variables.map(\.leafNode))
    return (value.detached, gradients)
}
