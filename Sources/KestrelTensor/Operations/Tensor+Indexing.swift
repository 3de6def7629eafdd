/// NumPy-style indexing along the first axis, as Keras programs index arrays: `x[0]`, `x[-1]`, `x[0..<5]`,
/// `x[..<5]`, `x[-10000...]`. An integer index drops the axis (`predictions[0]` is one row; a 1-D tensor's
/// element is a rank-0 tensor); a range keeps it. As in NumPy, negative positions count from the end and a
/// range is clipped to the axis (`x[..<100000]` of 60,000 rows is all of them); an integer index outside
/// the axis throws, naming the index and the shape (NumPy's `IndexError`).
extension Tensor {
    /// The sub-tensor at `index` along the first axis (negative counts from the end).
    public subscript(index: Int) -> Tensor {
        get throws {
            guard rank >= 1 else { throw KestrelError.invalidArgument("index \(index): a scalar tensor cannot be indexed.") }
            let rows = shape[0]
            let position = index < 0 ? rows + index : index
            guard position >= 0, position < rows else {
                throw KestrelError.invalidArgument("index \(index) is out of bounds for axis 0 with size \(rows) (shape \(shape)).")
            }
            return try slice(rows: position..<(position + 1)).reshaped(Array(shape.dropFirst()))
        }
    }

    /// Rows `range` (NumPy's `x[a:b]`; negative bounds count from the end, out-of-range bounds are clipped).
    public subscript(range: Range<Int>) -> Tensor {
        get throws { try rows(from: range.lowerBound, to: range.upperBound) }
    }

    /// Rows `range`, both ends included (`x[a...b]`).
    public subscript(range: ClosedRange<Int>) -> Tensor {
        get throws {
            let upper = range.upperBound == -1 ? nil : (range.upperBound == Int.max ? Int.max : range.upperBound + 1)
            return try rows(from: range.lowerBound, to: upper)
        }
    }

    /// Rows from `range.lowerBound` to the end (NumPy's `x[a:]`, `x[-10000:]`).
    public subscript(range: PartialRangeFrom<Int>) -> Tensor {
        get throws { try rows(from: range.lowerBound, to: nil) }
    }

    /// Rows before `range.upperBound` (NumPy's `x[:b]`, `x[:-1]`).
    public subscript(range: PartialRangeUpTo<Int>) -> Tensor {
        get throws { try rows(from: 0, to: range.upperBound) }
    }

    /// Rows up to and including `range.upperBound` (`x[...b]`).
    public subscript(range: PartialRangeThrough<Int>) -> Tensor {
        get throws { try self[0...range.upperBound] }
    }

    /// NumPy's `x[start:stop]` along the first axis: negative bounds count from the end, bounds are
    /// clipped to the axis, an empty or reversed range gives zero rows; `stop == nil` means the end.
    func rows(from start: Int, to stop: Int?) throws -> Tensor {
        guard rank >= 1 else { throw KestrelError.invalidArgument("a scalar tensor cannot be sliced.") }
        let rows = shape[0]
        func clipped(_ bound: Int) -> Int {
            let position = bound < 0 ? (bound < -rows ? 0 : rows + bound) : bound
            return Swift.min(Swift.max(position, 0), rows)
        }
        let lower = clipped(start)
        let upper = Swift.max(stop.map(clipped) ?? rows, lower)
        return try slice(rows: lower..<upper)
    }

    /// The tensor with a new axis of size 1 at `axis` (NumPy's / Keras's `expand_dims`; negative counts
    /// from the end of the result, so -1 appends): `image.expandingDims(axis: 0)` makes a batch of one.
    public func expandingDims(axis: Int = 0) throws -> Tensor {
        let position = axis < 0 ? rank + 1 + axis : axis
        guard position >= 0, position <= rank else {
            throw KestrelError.invalidArgument("expandDims: axis \(axis) is outside -\(rank + 1)...\(rank) for shape \(shape).")
        }
        var newShape = shape
        newShape.insert(1, at: position)
        return try reshaped(newShape)
    }
}
