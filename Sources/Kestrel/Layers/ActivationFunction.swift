/// An elementwise activation, by Keras name (`activation: .relu` or `"relu"`).
///
/// A string that names no activation becomes `.unknown(name)`; a layer made with it reports the name
/// and the valid ones when it is added to a model or built, instead of silently training a linear layer.
public enum ActivationFunction: Sendable, Hashable, CaseIterable, ExpressibleByStringLiteral, RawRepresentable {
    case linear, relu, sigmoid, tanh, softmax, softplus, swish, elu, leakyRelu
    /// A name Keras does not know; using it throws an error that lists the valid names.
    case unknown(String)

    /// The activations Kestrel implements.
    public static let allCases: [ActivationFunction] = [.linear, .relu, .sigmoid, .tanh, .softmax, .softplus, .swish, .elu, .leakyRelu]

    /// Keras's name ("relu", "leaky_relu"); for `.unknown` the name as given.
    public var rawValue: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .softplus: return "softplus"
        case .swish: return "swish"
        case .elu: return "elu"
        case .leakyRelu: return "leaky_relu"
        case .unknown(let name): return name
        }
    }

    /// The activation Keras calls `rawValue` ("silu" is Keras's other name for swish); nil for unknown names.
    public init?(rawValue: String) {
        let name = rawValue == "silu" ? "swish" : rawValue
        guard let function = ActivationFunction.allCases.first(where: { $0.rawValue == name }) else { return nil }
        self = function
    }

    /// Keras's spelling; an unknown name becomes `.unknown(name)`, reported when the layer is added or built.
    public init(stringLiteral value: String) {
        self = ActivationFunction(rawValue: value) ?? .unknown(value)
    }

    /// Parses a Keras activation name, throwing for unknown ones.
    public static func named(_ name: String) throws -> ActivationFunction {
        guard let function = ActivationFunction(rawValue: name) else {
            throw KestrelError.invalidArgument("Unknown activation '\(name)'; use one of \(validNamesText).")
        }
        return function
    }

    /// The valid names, comma-separated, for messages.
    public static var validNamesText: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether this is a known activation.
    public var isKnown: Bool { if case .unknown = self { return false } else { return true } }

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
        case .unknown(let name):
            throw KestrelError.invalidArgument("Unknown activation '\(name)'; use one of \(ActivationFunction.validNamesText).")
        }
    }
}
