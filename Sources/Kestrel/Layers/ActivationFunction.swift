/// An elementwise activation, by Keras name (`activation: .relu` or `"relu"`).
public enum ActivationFunction: String, Sendable, CaseIterable, ExpressibleByStringLiteral {
    case linear, relu, sigmoid, tanh, softmax, softplus, swish, elu
    case leakyRelu = "leaky_relu"

    /// Keras's spelling; unknown names become `.linear` here — use `named(_:)` to get an error instead.
    public init(stringLiteral value: String) {
        self = ActivationFunction(rawValue: value) ?? .linear
    }

    /// Parses a Keras activation name, throwing for unknown ones.
    public static func named(_ name: String) throws -> ActivationFunction {
        guard let function = ActivationFunction(rawValue: name == "silu" ? "swish" : name) else {
            throw KestrelError.invalidArgument(
                "Unknown activation '\(name)'; use one of \(allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return function
    }

    /// Applies the activation (softmax over the last axis).
    public func apply(_ x: Tensor) throws -> Tensor {
        switch self {
        case .linear: return x
        case .relu: return x.relu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .softmax: return try x.softmax(axis: -1)
        case .softplus:
            // log(1 + e^x) = relu(x) + log(1 + e^-|x|), stable for large |x|.
            return try x.relu() + (x.abs().negated().exp() + 1).log()
        case .swish: return try x * x.sigmoid()
        case .elu:
            let negative = try x.minimum(Tensor(scalar: 0))
            return try x.relu() + negative.exp() - 1
        case .leakyRelu:
            return try x.maximum(x * 0.2)
        }
    }
}
