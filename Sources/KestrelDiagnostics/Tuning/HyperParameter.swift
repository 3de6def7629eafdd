import Foundation
import Kestrel

/// One hyper-parameter of a search, as Keras Tuner's `hp.Int`, `hp.Float` and `hp.Choice`: an
/// integer range with a step or log sampling, a real range (linear or log, optionally stepped), or a
/// list of choices.
///
/// Written inside a model template's braces after the name, or as `--learning-rate`'s value:
/// `32..512` (step 1), `32..512 step=32`, `16..1024 log` (log-uniform, rounded), `8..512 log step=2`
/// (8, 16, 32, …), `0..0.5` (uniform), `0..0.5 step=0.1`, `1e-4..1e-2 log`, `relu|tanh|elu`.
/// A range is an integer range when both bounds (and the step) are whole numbers without a point.
public struct HyperParameter: Sendable, Equatable {
    /// The values a hyper-parameter ranges over.
    public enum Kind: Sendable, Equatable {
        /// Whole numbers from `min` to `max`: every `step`-th (linear), or log-uniform (`log`, then
        /// `step`, if given, multiplies: min, min·step, min·step², …).
        case int(min: Int, max: Int, step: Int?, log: Bool)
        /// Real numbers from `min` to `max`, uniform or log-uniform, on a grid when `step` is given.
        case float(min: Double, max: Double, step: Double?, log: Bool)
        /// One of the values, as written.
        case choice([String])
    }

    /// The name the trials and reports show (`units`, `learning_rate`).
    public let name: String
    /// What it ranges over.
    public let kind: Kind

    /// The most values a choice or a stepped real range may have.
    public static let maximumGridSize = 1_000_000

    /// A checked hyper-parameter; throws a `TunerError` for an empty or inverted range, a step
    /// that does not fit it, log sampling of a range that reaches 0, or an empty choice.
    public init(name: String, kind: Kind) throws {
        self.name = name
        self.kind = kind
        try check()
    }

    /// Reads `text` (`32..512 step=32`, `0..0.5`, `1e-4..1e-2 log`, `relu|tanh`) as the
    /// hyper-parameter `name`; `context` starts every error (e.g. "--learning-rate" or "{units:…}").
    public init(parsing text: String, name: String, context: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw TunerError("\(context): '\(name)' has no values; write a range such as 32..512 or choices such as relu|tanh.")
        }
        if trimmed.contains("|") {
            let values = trimmed.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.contains(where: \.isEmpty) else {
                throw TunerError("\(context): the choices '\(trimmed)' of '\(name)' have an empty value; write them as a|b|c.")
            }
            if let bad = values.first(where: { $0.contains(where: { $0.isWhitespace || ",;{}".contains($0) }) }) {
                throw TunerError("\(context): the choice '\(bad)' of '\(name)' holds a space or one of , ; { }; write single words such as relu|tanh.")
            }
            try self.init(name: name, kind: .choice(values), context: context)
            return
        }
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        let bounds = words[0].components(separatedBy: "..")
        guard bounds.count == 2, !bounds[0].isEmpty, !bounds[1].isEmpty else {
            throw TunerError("\(context): '\(trimmed)' is neither a range MIN..MAX (e.g. 32..512 step=32, 1e-4..1e-2 log) nor choices a|b (e.g. relu|tanh).")
        }
        var log = false
        var stepText: String?
        for word in words.dropFirst() {
            let lowered = word.lowercased()
            if lowered == "log" { log = true } else if lowered == "linear" { log = false } else if lowered.hasPrefix("step=") {
                stepText = String(word.dropFirst("step=".count))
            } else {
                throw TunerError("\(context): '\(word)' in '\(trimmed)' is not 'step=S', 'log' or 'linear'.")
            }
        }
        if let low = Int(bounds[0]), let high = Int(bounds[1]), stepText.map({ Int($0) != nil }) ?? true {
            try self.init(name: name, kind: .int(min: low, max: high, step: stepText.flatMap { Int($0) }, log: log), context: context)
            return
        }
        guard let low = Double(bounds[0]), let high = Double(bounds[1]), low.isFinite, high.isFinite else {
            throw TunerError("\(context): the bounds of '\(trimmed)' are not numbers; write e.g. 32..512 or 0..0.5.")
        }
        var step: Double?
        if let stepText {
            guard let value = Double(stepText), value.isFinite else {
                throw TunerError("\(context): the step '\(stepText)' of '\(name)' is not a number; write e.g. step=0.1.")
            }
            step = value
        }
        try self.init(name: name, kind: .float(min: low, max: high, step: step, log: log), context: context)
    }

    private init(name: String, kind: Kind, context: String) throws {
        do {
            try self.init(name: name, kind: kind)
        } catch let error as TunerError {
            throw TunerError("\(context): \(error.message)")
        }
    }

    private func check() throws {
        switch kind {
        case let .int(low, high, step, log):
            guard low <= high else { throw TunerError("the range \(low)..\(high) of '\(name)' is empty; write the smaller bound first.") }
            guard Swift.max(low.magnitude, high.magnitude) <= 1 << 53 else {
                throw TunerError("the range \(low)..\(high) of '\(name)' is out of bounds; whole numbers up to 2^53 only.")
            }
            if log, low <= 0 { throw TunerError("log sampling of '\(name)' needs a range above 0, got \(low)..\(high); start it at 1 or more.") }
            if let step {
                if log, step < 2 { throw TunerError("with log sampling the step of '\(name)' multiplies; it must be at least 2, got \(step).") }
                if !log, step < 1 { throw TunerError("the step of '\(name)' must be at least 1, got \(step).") }
            }
        case let .float(low, high, step, log):
            guard low <= high else { throw TunerError("the range \(low)..\(high) of '\(name)' is empty; write the smaller bound first.") }
            if log, low <= 0 { throw TunerError("log sampling of '\(name)' needs a range above 0, got \(low)..\(high); e.g. 1e-4..1e-2 log.") }
            if let step {
                if log, !(step > 1) { throw TunerError("with log sampling the step of '\(name)' multiplies; it must be above 1, got \(step).") }
                if !log, !(step > 0) { throw TunerError("the step of '\(name)' must be above 0, got \(step).") }
            }
        case let .choice(values):
            guard !values.isEmpty else { throw TunerError("'\(name)' has no choices; write them as a|b|c.") }
            guard values.count <= Self.maximumGridSize else { throw TunerError("'\(name)' has \(values.count) choices; at most \(Self.maximumGridSize).") }
            if Set(values).count != values.count { throw TunerError("the choices of '\(name)' repeat a value; list each once.") }
        }
        if case .float(_, _, .some, false) = kind, let size = gridSize, size > Self.maximumGridSize {
            throw TunerError("the step of '\(name)' makes more than \(Self.maximumGridSize) values; use a larger step, or none for a continuous range.")
        }
    }

    /// The number of values on a stepped range or a choice; nil for a continuous range.
    var gridSize: Int? {
        switch kind {
        case let .int(low, high, step, log):
            if log {
                guard let step else { return nil }
                return Self.multiplicativeCount(low: Double(low), high: Double(high), step: Double(step))
            }
            return (high - low) / (step ?? 1) + 1
        case let .float(low, high, step, log):
            guard let step else { return nil }
            if log { return Self.multiplicativeCount(low: low, high: high, step: step) }
            return Int(min(((high - low) / step + 1e-9).rounded(.down), Double(Self.maximumGridSize) * 2)) + 1
        case let .choice(values):
            return values.count
        }
    }

    private static func multiplicativeCount(low: Double, high: Double, step: Double) -> Int {
        Int(min((Foundation.log(high / low) / Foundation.log(step) + 1e-9).rounded(.down), Double(maximumGridSize) * 2)) + 1
    }

    /// Keras Tuner's default: the lower bound, or the first choice.
    public var defaultValue: HyperParameterValue {
        switch kind {
        case let .int(low, _, _, _): return .int(low)
        case let .float(low, _, _, _): return .float(low)
        case let .choice(values): return .text(values[0])
        }
    }

    /// The values a template is checked with: both bounds, or every choice.
    var checkedValues: [HyperParameterValue] {
        switch kind {
        case let .int(low, high, _, _): return [.int(low), .int(high)]
        case let .float(low, high, _, _): return [.float(low), .float(high)]
        case let .choice(values): return values.map { .text($0) }
        }
    }

    /// One value drawn with `generator` (uniform over a grid or a choice; uniform or
    /// log-uniform over a continuous range, rounded for integers).
    public func sample(using generator: inout RandomGenerator) -> HyperParameterValue {
        let unit = Double(generator.next() >> 11) * 0x1p-53
        func gridIndex(_ count: Int) -> Int { Int(generator.next() % UInt64(max(1, count))) }
        switch kind {
        case let .int(low, high, step, log):
            if log {
                if let step {
                    return .int(Swift.min(high, Int(Double(low) * pow(Double(step), Double(gridIndex(gridSize ?? 1))))))
                }
                let value = exp(Foundation.log(Double(low)) + unit * (Foundation.log(Double(high)) - Foundation.log(Double(low))))
                return .int(Swift.min(high, Swift.max(low, Int(value.rounded()))))
            }
            return .int(low + gridIndex(gridSize ?? 1) * (step ?? 1))
        case let .float(low, high, step, log):
            if let step {
                let index = Double(gridIndex(gridSize ?? 1))
                return .float(log ? low * pow(step, index) : low + index * step)
            }
            if log { return .float(exp(Foundation.log(low) + unit * (Foundation.log(high) - Foundation.log(low)))) }
            return .float(low + unit * (high - low))
        case let .choice(values):
            return .text(values[gridIndex(values.count)])
        }
    }

    /// The hyper-parameter as written (`32..512 step=32`, `relu|tanh`).
    public var text: String {
        switch kind {
        case let .int(low, high, step, log):
            return "\(low)..\(high)" + (step.map { " step=\($0)" } ?? "") + (log ? " log" : "")
        case let .float(low, high, step, log):
            return "\(low)..\(high)" + (step.map { " step=\($0)" } ?? "") + (log ? " log" : "")
        case let .choice(values):
            return values.joined(separator: "|")
        }
    }
}
