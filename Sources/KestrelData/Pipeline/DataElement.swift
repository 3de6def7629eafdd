/// One element of a `Dataset`: an example, or (after `batch`) a batch of examples with a leading batch axis.
/// Features `x` and targets `y` are Float32, row-major in their shapes.
public struct DataElement: Sendable, Equatable {
    /// The features, row-major in `xShape`.
    public var x: [Float]
    /// The shape of `x`.
    public var xShape: [Int]
    /// The targets, row-major in `yShape`.
    public var y: [Float]
    /// The shape of `y`.
    public var yShape: [Int]

    /// An element with these features and targets.
    public init(x: [Float], xShape: [Int], y: [Float], yShape: [Int]) {
        self.x = x
        self.xShape = xShape
        self.y = y
        self.yShape = yShape
    }

    /// The size of the leading (batch) axis, or 1 for a scalar-shaped element.
    public var leadingCount: Int { xShape.first ?? 1 }

    /// Stacks equally shaped elements along a new leading axis.
    static func stack(_ elements: [DataElement]) -> DataElement {
        // Callers group only elements of one shape (see Dataset.batch).
        let first = elements[0]
        var x: [Float] = []
        var y: [Float] = []
        x.reserveCapacity(first.x.count * elements.count)
        y.reserveCapacity(first.y.count * elements.count)
        for element in elements {
            x += element.x
            y += element.y
        }
        return DataElement(x: x, xShape: [elements.count] + first.xShape, y: y, yShape: [elements.count] + first.yShape)
    }
}
