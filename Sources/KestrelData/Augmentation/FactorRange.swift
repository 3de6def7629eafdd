/// A Keras "factor": a single number `f` meaning the range [-f, f], or an explicit pair (sorted, as Keras does).
public struct FactorRange: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The smallest value drawn.
    public var lower: Double
    /// The largest value drawn.
    public var upper: Double

    /// The range between `lower` and `upper`, in either order.
    public init(_ lower: Double, _ upper: Double) {
        self.lower = Swift.min(lower, upper)
        self.upper = Swift.max(lower, upper)
    }

    /// The symmetric range [-|factor|, |factor|].
    public init(_ factor: Double) {
        self.init(-abs(factor), abs(factor))
    }

    /// A literal `f` means the range [-|f|, |f|].
    public init(floatLiteral value: Double) { self.init(value) }
    /// A literal `f` means the range [-|f|, |f|].
    public init(integerLiteral value: Int) { self.init(Double(value)) }

    func validated(_ name: String, within limit: ClosedRange<Double>? = nil) throws -> FactorRange {
        guard lower.isFinite, upper.isFinite else { throw DataError.invalidArgument(name, "(\(lower), \(upper)) must be finite") }
        if let limit, !(limit.contains(lower) && limit.contains(upper)) {
            throw DataError.invalidArgument(name, "(\(lower), \(upper)) must lie within \(limit.lowerBound)...\(limit.upperBound)")
        }
        return self
    }
}
