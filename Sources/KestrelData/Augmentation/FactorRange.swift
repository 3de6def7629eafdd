/// A Keras "factor": a single number `f` meaning the range [-f, f], or an explicit pair (sorted, as Keras does).
public struct FactorRange: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public var lower: Double
    public var upper: Double

    public init(_ lower: Double, _ upper: Double) {
        self.lower = Swift.min(lower, upper)
        self.upper = Swift.max(lower, upper)
    }

    /// The symmetric range [-|factor|, |factor|].
    public init(_ factor: Double) {
        self.init(-abs(factor), abs(factor))
    }

    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Double(value)) }

    func validated(_ name: String, within limit: ClosedRange<Double>? = nil) throws -> FactorRange {
        guard lower.isFinite, upper.isFinite else { throw DataError.invalidArgument(name, "(\(lower), \(upper)) must be finite") }
        if let limit, !(limit.contains(lower) && limit.contains(upper)) {
            throw DataError.invalidArgument(name, "(\(lower), \(upper)) must lie within \(limit.lowerBound)...\(limit.upperBound)")
        }
        return self
    }
}
