/// Inputs, targets and per-sample weights held in tensors, cut into mini-batches by `fit`,
/// `evaluate` and `predict`.
struct ArrayData {
    let x: Tensor
    let y: Tensor?
    let sampleWeight: Tensor?

    var count: Int { x.shape.first ?? 0 }

    /// Checks sample counts and finiteness, naming the argument that is wrong.
    static func validated(x: Tensor, y: Tensor?, sampleWeight: Tensor?, context: String) throws -> ArrayData {
        guard x.rank >= 1, x.shape[0] > 0 else {
            throw KestrelError.invalidData("\(context): x is empty (shape \(x.shape)); pass at least one sample.")
        }
        if let y, y.shape.first != x.shape[0] {
            throw KestrelError.shapeMismatch(
                "\(context): x has \(x.shape[0]) samples but y has \(y.shape.first ?? 0) (shapes \(x.shape) and \(y.shape)); they must match.")
        }
        if let sampleWeight, sampleWeight.shape != [x.shape[0]] {
            throw KestrelError.shapeMismatch(
                "\(context): sampleWeight must have shape [\(x.shape[0])] (one weight per sample), got \(sampleWeight.shape).")
        }
        try checkFinite(x, name: "x", context: context)
        if let y { try checkFinite(y, name: "y", context: context) }
        if let sampleWeight { try checkFinite(sampleWeight, name: "sampleWeight", context: context) }
        return ArrayData(x: x, y: y, sampleWeight: sampleWeight)
    }

    private static func checkFinite(_ tensor: Tensor, name: String, context: String) throws {
        let rowSize = tensor.count / max(tensor.shape.first ?? 1, 1)
        if let found = tensor.firstNonFiniteIndex() {
            throw KestrelError.invalidData(
                "\(context): \(name) contains NaN or Inf (sample \(found / max(rowSize, 1))); clean or impute the data first.")
        }
    }

    /// The batch of samples at `indices`.
    func batch(_ indices: [Int]) throws -> (x: Tensor, y: Tensor?, sampleWeight: Tensor?) {
        if let first = indices.first, let last = indices.last, last - first + 1 == indices.count,
           zip(indices, indices.dropFirst()).allSatisfy({ $1 == $0 + 1 }) {
            let range = first..<(last + 1)
            return (try x.slice(rows: range), try y?.slice(rows: range), try sampleWeight?.slice(rows: range))
        }
        return (try x.gathering(rows: indices), try y?.gathering(rows: indices), try sampleWeight?.gathering(rows: indices))
    }

    /// Splits off the last `fraction` of samples (Keras's `validation_split`, taken before shuffling).
    func split(validationFraction fraction: Double) throws -> (train: ArrayData, validation: ArrayData) {
        let splitAt = Int((Double(count) * (1 - fraction)).rounded(.down))
        guard splitAt > 0, splitAt < count else {
            throw KestrelError.invalidArgument(
                "validationSplit \(fraction) leaves \(splitAt) training and \(count - splitAt) validation samples out of \(count); choose a fraction that keeps both non-empty.")
        }
        func part(_ range: Range<Int>) throws -> ArrayData {
            ArrayData(x: try x.slice(rows: range), y: try y?.slice(rows: range), sampleWeight: try sampleWeight?.slice(rows: range))
        }
        return (try part(0..<splitAt), try part(splitAt..<count))
    }
}
