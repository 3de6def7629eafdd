import Kestrel

extension ConfusionMatrix {
    /// The confusion matrix of `model`'s predictions on `x` against the class labels `y`
    /// (sparse [N] or one-hot [N, C]).
    public init(model: Model, x: Tensor, y: Tensor, classNames: [String]? = nil, batchSize: Int = 256) throws {
        let predicted = try model.predictClasses(x, batchSize: batchSize)
        let truth: [Int] = y.rank >= 2 && (y.shape.last ?? 1) > 1 ? try y.argmaxIndices() : try checkedClassIndices(y.scalars, argument: "y")
        try self.init(trueLabels: truth, predictedLabels: predicted, classNames: classNames)
    }
}
