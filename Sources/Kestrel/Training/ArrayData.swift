/// Inputs, targets and per-sample weights held in tensors (one per model input and output), cut into
/// mini-batches by `fit`, `evaluate` and `predict`.
struct ArrayData {
    let inputs: [Tensor]
    let targets: [Tensor]
    let sampleWeight: Tensor?
    var inputNames: [String] = []
    var targetNames: [String] = []

    var count: Int { inputs.first?.shape.first ?? 0 }

    /// Checks sample counts and finiteness, naming the argument that is wrong. `inputNames` and
    /// `targetNames` name the arrays in messages when there are several.
    static func validated(inputs: [Tensor], targets: [Tensor], sampleWeight: Tensor?, context: String,
                          inputNames: [String] = [], targetNames: [String] = []) throws -> ArrayData {
        func label(_ base: String, _ names: [String], _ index: Int, of total: Int) -> String {
            total == 1 ? base : "\(base) '\(index < names.count ? names[index] : "#\(index)")'"
        }
        guard let first = inputs.first, first.rank >= 1, first.shape[0] > 0 else {
            throw KestrelError.invalidData("\(context): x is empty (shape \(inputs.first?.shape ?? [])); pass at least one sample.")
        }
        let count = first.shape[0]
        for (index, array) in inputs.enumerated() where array.shape.first != count {
            throw KestrelError.shapeMismatch(
                "\(context): \(label("x", inputNames, 0, of: inputs.count)) has \(count) samples but \(label("x", inputNames, index, of: inputs.count)) has \(array.shape.first ?? 0) (shape \(array.shape)); every input needs the same number of samples.")
        }
        for (index, array) in targets.enumerated() where array.shape.first != count {
            throw KestrelError.shapeMismatch(
                "\(context): x has \(count) samples but \(label("y", targetNames, index, of: targets.count)) has \(array.shape.first ?? 0) (shapes \(first.shape) and \(array.shape)); they must match.")
        }
        if let sampleWeight, sampleWeight.shape != [count] {
            throw KestrelError.shapeMismatch(
                "\(context): sampleWeight must have shape [\(count)] (one weight per sample), got \(sampleWeight.shape).")
        }
        for (index, array) in inputs.enumerated() { try checkFinite(array, name: label("x", inputNames, index, of: inputs.count), context: context) }
        for (index, array) in targets.enumerated() { try checkFinite(array, name: label("y", targetNames, index, of: targets.count), context: context) }
        if let sampleWeight { try checkFinite(sampleWeight, name: "sampleWeight", context: context) }
        return ArrayData(inputs: inputs, targets: targets, sampleWeight: sampleWeight, inputNames: inputNames, targetNames: targetNames)
    }

    private static func checkFinite(_ tensor: Tensor, name: String, context: String) throws {
        let rowSize = tensor.count / max(tensor.shape.first ?? 1, 1)
        if let found = tensor.firstNonFiniteIndex() {
            throw KestrelError.invalidData(
                "\(context): \(name) contains NaN or Inf (sample \(found / max(rowSize, 1))); clean or impute the data first.")
        }
    }

    /// The same arrays with other per-sample weights.
    func with(sampleWeight: Tensor?) -> ArrayData {
        ArrayData(inputs: inputs, targets: targets, sampleWeight: sampleWeight, inputNames: inputNames, targetNames: targetNames)
    }

    private func map(_ transform: (Tensor) throws -> Tensor) throws -> Batch {
        Batch(checkedInputs: try inputs.map(transform), targets: try targets.map(transform), sampleWeight: try sampleWeight.map(transform),
              inputNames: inputNames, targetNames: targetNames)
    }

    /// The batch of samples at `indices`.
    func batch(_ indices: [Int]) throws -> Batch {
        if let first = indices.first, let last = indices.last, last - first + 1 == indices.count,
           zip(indices, indices.dropFirst()).allSatisfy({ $1 == $0 + 1 }) {
            return try batch(first..<(last + 1))
        }
        return try map { try $0.gathering(rows: indices) }
    }

    /// The batch of the samples in `range`.
    func batch(_ range: Range<Int>) throws -> Batch { try map { try $0.slice(rows: range) } }

    /// Splits off the last `fraction` of samples (Keras's `validation_split`, taken before shuffling).
    func split(validationFraction fraction: Double) throws -> (train: ArrayData, validation: ArrayData) {
        let splitAt = Int((Double(count) * (1 - fraction)).rounded(.down))
        guard splitAt > 0, splitAt < count else {
            throw KestrelError.invalidArgument(
                "validationSplit \(fraction) leaves \(splitAt) training and \(count - splitAt) validation samples out of \(count); choose a fraction that keeps both non-empty.")
        }
        func part(_ range: Range<Int>) throws -> ArrayData {
            let rows = try batch(range)
            return ArrayData(inputs: rows.inputs, targets: rows.targets, sampleWeight: rows.sampleWeight,
                             inputNames: inputNames, targetNames: targetNames)
        }
        return (try part(0..<splitAt), try part(splitAt..<count))
    }
}
