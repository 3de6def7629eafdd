/// Matches one spec layer's argument tokens against the slots the layer takes (positional in
/// order, or `key=value`), remembering each token's position for error messages.
struct ArgumentReader {
    /// What one argument slot accepts.
    enum Slot {
        case count(String, required: Bool)
        case number(String, required: Bool, keyed: Bool = false)
        case shape(String, required: Bool)
        case window(String, keyed: Bool = false)
        case activation
        case activationRequired
        case padding

        var name: String {
            switch self {
            case let .count(name, _), let .number(name, _, _), let .shape(name, _), let .window(name, _): return name
            case .activation, .activationRequired: return "activation"
            case .padding: return "padding"
            }
        }
        var required: Bool {
            switch self {
            case let .count(_, required), let .number(_, required, _), let .shape(_, required): return required
            case .activationRequired: return true
            default: return false
            }
        }
        var keyedOnly: Bool {
            switch self {
            case let .number(_, _, keyed), let .window(_, keyed): return keyed
            default: return false
            }
        }
        var expectation: String {
            switch self {
            case let .count(name, _): return "\(name), a whole number ≥ 1"
            case let .number(name, _, _): return "\(name), a number (such as 0.5 or 1/255)"
            case let .shape(name, _): return "\(name), sizes joined by 'x' (such as 28x28x1)"
            case let .window(name, _): return "\(name), a size such as 3 or 3x5"
            case .activation, .activationRequired:
                return "an activation (\(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", ")))"
            case .padding: return "a padding, 'same' or 'valid'"
            }
        }
    }

    /// The values read, by slot name.
    struct Values {
        var counts: [String: Int] = [:]
        var numbers: [String: Double] = [:]
        var shapes: [String: [Int]] = [:]
        var windows: [String: WindowSize] = [:]
        var activation: ActivationFunction?
        var padding: Padding?
        var positions: [String: Int] = [:]

        var regularizer: Regularizer? {
            let l1 = numbers["l1"] ?? 0, l2 = numbers["l2"] ?? 0
            return l1 == 0 && l2 == 0 ? nil : Regularizer(l1: Float(l1), l2: Float(l2))
        }
    }

    let tokens: [String]
    let layer: Int
    let layerText: String

    private func fail(_ position: Int, _ problem: String) -> ModelSpecificationError {
        .badToken(layer: layer, layerText: layerText, position: position, token: tokens[position - 1], problem: problem)
    }

    private func usage(_ slots: [Slot]) -> String {
        let parts = slots.map { slot -> String in
            let text = slot.keyedOnly ? "\(slot.name)=…" : slot.name.uppercased()
            return slot.required ? text : "[\(text)]"
        }
        return ([tokens[0]] + parts).joined(separator: " ")
    }

    /// Reads every token after the layer name into `slots`; throws for a token no slot accepts
    /// or a required slot left empty.
    mutating func read(_ slots: [Slot]) throws -> Values {
        var values = Values()
        var filled = Set<String>()
        var next = 0
        for position in 2...max(2, tokens.count) where position <= tokens.count {
            let token = tokens[position - 1]
            if let equals = token.firstIndex(of: "=") {
                let key = String(token[..<equals]).lowercased()
                let value = String(token[token.index(after: equals)...])
                let canonical = key == "stride" ? "strides" : (key == "kernel_size" || key == "kernelsize" ? "kernel" : (key == "pool_size" ? "size" : key))
                guard let slot = slots.first(where: { $0.name == canonical }) else {
                    throw fail(position, "is not an option of \(tokens[0]); it takes: \(usage(slots))")
                }
                guard accept(slot, value, position: position, into: &values) else {
                    throw fail(position, "has a bad value; expected \(slot.expectation)")
                }
                filled.insert(slot.name)
                continue
            }
            var matched = false
            while next < slots.count {
                let slot = slots[next]
                next += 1
                if slot.keyedOnly || filled.contains(slot.name) { continue }
                if accept(slot, token, position: position, into: &values) {
                    filled.insert(slot.name)
                    matched = true
                    break
                }
                if slot.required { throw fail(position, "is not a valid \(slot.expectation)") }
            }
            if !matched {
                throw fail(position, slots.isEmpty ? "is not expected; \(tokens[0]) takes no arguments"
                                                   : "is not understood; write: \(usage(slots))")
            }
        }
        if let missing = slots.first(where: { $0.required && !filled.contains($0.name) }) {
            throw ModelSpecificationError.missingArgument(layer: layer, layerText: layerText,
                                                          problem: "missing \(missing.expectation); write: \(usage(slots))")
        }
        return values
    }

    private func accept(_ slot: Slot, _ token: String, position: Int, into values: inout Values) -> Bool {
        switch slot {
        case let .count(name, _):
            guard let value = Int(token), value >= 1 else { return false }
            values.counts[name] = value
        case let .number(name, _, _):
            guard let value = Self.number(token) else { return false }
            values.numbers[name] = value
        case let .shape(name, _):
            let parts = token.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return false }
            values.shapes[name] = parts.map { $0! }
        case let .window(name, _):
            let parts = token.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return false }
            values.windows[name] = WindowSize(parts[0]!, parts.count == 2 ? parts[1]! : parts[0]!)
        case .activation, .activationRequired:
            let name = token.lowercased() == "silu" ? "swish" : token.lowercased()
            guard let function = ActivationFunction(rawValue: name) else { return false }
            values.activation = function
        case .padding:
            guard let padding = Padding(rawValue: token.lowercased()) else { return false }
            values.padding = padding
        }
        values.positions[slot.name] = position
        return true
    }

    /// A finite decimal number or a fraction such as `1/255`.
    static func number(_ token: String) -> Double? {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]), denominator != 0 {
            return numerator / denominator
        }
        guard parts.count == 1, let value = Double(token), value.isFinite else { return nil }
        return value
    }
}
