import Foundation
import Kestrel

/// A model spec in `kestrel fit --model`'s language with hyper-parameters in braces:
/// `dense {units:32..512 step=32} {activation:relu|tanh}, dropout {rate:0..0.5}, dense 10 softmax`.
/// Each `{NAME:VALUES}` is a `HyperParameter` (see its grammar); a name used again with the same
/// values is the same hyper-parameter (one value per trial, as Keras Tuner's `hp` by name).
///
/// The template is checked when read: every bound and every choice, with the others at their
/// defaults, must make a valid spec, so a trial cannot fail on a value the template allows.
public struct ModelTemplate: Sendable, Equatable {
    /// A piece of the template: literal spec text or a hyper-parameter's slot.
    enum Piece: Sendable, Equatable {
        case literal(String)
        case slot(String)
    }

    /// The template as written.
    public let text: String
    /// The hyper-parameters, in the order they first appear.
    public let hyperParameters: [HyperParameter]
    let pieces: [Piece]

    /// The longest template read (characters).
    public static let maximumLength = 65_536
    /// The most hyper-parameters one template may hold.
    public static let maximumHyperParameters = 64

    /// Reads and checks `text`; a `TunerError` names the slot and the fix.
    public init(parsing text: String) throws {
        guard text.count <= Self.maximumLength else {
            throw TunerError("The model template has \(text.count) characters; at most \(Self.maximumLength).")
        }
        var pieces: [Piece] = []
        var parameters: [HyperParameter] = []
        var literal = ""
        var slot: String?
        for character in text {
            switch (character, slot) {
            case ("{", nil):
                slot = ""
            case ("{", .some(let open)):
                throw TunerError("The model template opens a brace inside '{\(open)': close each {name:values} before the next.")
            case ("}", nil):
                throw TunerError("The model template has a '}' without its '{'; write hyper-parameters as {units:32..512}.")
            case ("}", .some(let content)):
                let parameter = try Self.readSlot(content)
                if let known = parameters.first(where: { $0.name == parameter.name }) {
                    guard known == parameter else {
                        throw TunerError("The model template gives '\(parameter.name)' two ranges ({\(parameter.name):\(known.text)} and {\(content)}); give the second another name.")
                    }
                } else {
                    parameters.append(parameter)
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.slot(parameter.name))
                slot = nil
            case (_, .some(let content)):
                slot = content + String(character)
            case (_, nil):
                literal.append(character)
            }
        }
        if let open = slot {
            throw TunerError("The model template leaves '{\(open)' open; close it with '}'.")
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        guard parameters.count <= Self.maximumHyperParameters else {
            throw TunerError("The model template has \(parameters.count) hyper-parameters; at most \(Self.maximumHyperParameters).")
        }
        self.text = text
        self.hyperParameters = parameters
        self.pieces = pieces
        try checkValues()
    }

    /// `name:values` inside braces.
    private static func readSlot(_ content: String) throws -> HyperParameter {
        guard let colon = content.firstIndex(of: ":") else {
            throw TunerError("The model template's '{\(content)}' has no name; write {name:values}, e.g. {units:32..512}.")
        }
        let name = content[..<colon].trimmingCharacters(in: .whitespaces)
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.count <= 64 else {
            throw TunerError("The model template's '{\(content)}' has the name '\(name)'; a name is a word of letters, digits and _ (e.g. units, dropout_rate).")
        }
        if name.hasPrefix("tuner") || name == "learning_rate" {
            throw TunerError("The model template uses the name '\(name)', which the tuner keeps for itself; choose another (tune the learning rate with --learning-rate).")
        }
        return try HyperParameter(parsing: String(content[content.index(after: colon)...]), name: name, context: "The model template's {\(content)}")
    }

    /// The default values (lower bounds, first choices).
    public var defaultValues: [String: HyperParameterValue] {
        Dictionary(uniqueKeysWithValues: hyperParameters.map { ($0.name, $0.defaultValue) })
    }

    /// The spec text with `values` in the slots (a missing value takes its default).
    public func text(for values: [String: HyperParameterValue]) -> String {
        pieces.map { piece in
            switch piece {
            case let .literal(text): return text
            case let .slot(name):
                return (values[name] ?? hyperParameters.first { $0.name == name }?.defaultValue)?.description ?? ""
            }
        }.joined()
    }

    /// The model spec with `values` in the slots.
    public func specification(for values: [String: HyperParameterValue]) throws -> ModelSpecification {
        let filled = text(for: values)
        do {
            return try ModelSpecification(parsing: filled)
        } catch {
            throw TunerError("The model template gives '\(filled)', which is not a valid model: \(error)")
        }
    }

    /// Every bound and choice, the others at their defaults, must give a valid spec.
    private func checkValues() throws {
        if hyperParameters.isEmpty { _ = try specification(for: [:]) }
        for parameter in hyperParameters {
            for value in parameter.checkedValues {
                var values = defaultValues
                values[parameter.name] = value
                do {
                    _ = try ModelSpecification(parsing: text(for: values))
                } catch {
                    throw TunerError("The model template's '\(parameter.name)' allows \(value), which makes an invalid model: \(error) Narrow {\(parameter.name):\(parameter.text)}.")
                }
            }
        }
    }
}
