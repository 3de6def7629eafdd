/// Why a model spec (text or Keras JSON) could not be read; `description` is one sentence that
/// names the layer and token at fault and how to write it instead.
public enum ModelSpecificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The spec has no layers.
    case empty
    /// Layer `layer` (1-based, whose text is `layerText`) has a bad token `token` at 1-based
    /// position `position`; `problem` says what was expected.
    case badToken(layer: Int, layerText: String, position: Int, token: String, problem: String)
    /// Layer `layer` misses a required argument.
    case missingArgument(layer: Int, layerText: String, problem: String)
    /// The first word of layer `layer` names no known layer.
    case unknownLayer(layer: Int, name: String)
    /// A Keras config could not be used.
    case keras(String)
    /// The spec's `input` shape differs from the data's.
    case inputShapeMismatch(declared: [Int], data: [Int])

    /// The message, which names what is at fault and the fix.
    public var description: String {
        switch self {
        case .empty:
            return "The model spec has no layers; write e.g. \"flatten, dense 128 relu, dense 10 softmax\"."
        case let .badToken(layer, layerText, position, token, problem):
            return "Model spec layer \(layer) '\(layerText)': token \(position) '\(token)' \(problem)."
        case let .missingArgument(layer, layerText, problem):
            return "Model spec layer \(layer) '\(layerText)': \(problem)."
        case let .unknownLayer(layer, name):
            return "Model spec layer \(layer): unknown layer '\(name)'; known layers: \(ModelSpecificationParser.layerNames.joined(separator: ", "))."
        case let .keras(message):
            return message
        case let .inputShapeMismatch(declared, data):
            return "The model spec's input shape \(declared) differs from the data's sample shape \(data); fix the spec's input layer or leave it out."
        }
    }
}
