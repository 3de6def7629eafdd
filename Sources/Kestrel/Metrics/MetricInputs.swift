/// Shape checks and small row kernels shared by the metrics.
enum MetricInputs {
    /// `tensor` as `batch` rows of `width` elements, checked as the losses check it.
    static func layout(_ tensor: Tensor, metric: String) throws -> (batch: Int, width: Int) {
        try FusedLossKernel.layout(tensor, loss: metric)
    }

    /// Per-sample weights as an array of `batch` values (nil when none were given).
    static func sampleWeights(_ weights: Tensor?, batch: Int, metric: String) throws -> [Float]? {
        guard let weights else { return nil }
        guard weights.count == batch else {
            throw KestrelError.shapeMismatch(
                "\(metric): sampleWeight of shape \(weights.shape) does not match the batch of \(batch) samples; give one weight per sample.")
        }
        return weights.scalars
    }

    /// Checks that targets and predictions hold the same number of values per sample.
    static func checkSameCount(_ yTrue: Tensor, _ yPred: Tensor, metric: String) throws {
        guard yTrue.count == yPred.count, yTrue.shape.first == yPred.shape.first else {
            throw KestrelError.shapeMismatch(
                "\(metric): targets of shape \(yTrue.shape) do not match predictions of shape \(yPred.shape).")
        }
    }

    /// Per sample, the mean of `f(target, prediction)` over its values (0 for samples without values),
    /// after checking that targets and predictions hold the same number of values.
    static func perSampleMeans(_ yTrue: Tensor, _ yPred: Tensor, metric: String,
                               _ f: (_ target: Float, _ prediction: Float) -> Float) throws -> [Float] {
        try checkSameCount(yTrue, yPred, metric: metric)
        let (batch, width) = try layout(yPred, metric: metric)
        let t = yTrue.scalars, p = yPred.scalars
        return (0..<batch).map { sample in
            var total: Float = 0
            for element in (sample * width)..<((sample + 1) * width) { total += f(t[element], p[element]) }
            return width == 0 ? 0 : total / Float(width)
        }
    }

    /// Per sample, the fraction of its `rows` values of `hits` (1 or 0 per prediction row, e.g. per
    /// pixel, counted by engine operations) that are 1.
    static func perSampleRowFractions(_ hits: Tensor, batch: Int, rows: Int) -> [Float] {
        let values = hits.scalars
        return (0..<batch).map { sample in
            var count = 0
            for row in (sample * rows)..<((sample + 1) * rows) where values[row] != 0 { count += 1 }
            return Float(count) / Float(rows)
        }
    }

    /// Calls `body(target, prediction, weight)` for every value, after checking the shapes. Weights
    /// broadcast as Keras's do: one per sample, or one per value when `sampleWeight` has as many values
    /// as the predictions; 1 without weights.
    static func forEachWeightedValue(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor?, metric: String,
                                     _ body: (_ target: Float, _ prediction: Float, _ weight: Double) -> Void) throws {
        try checkSameCount(yTrue, yPred, metric: metric)
        let (batch, width) = try layout(yPred, metric: metric)
        let perElement = sampleWeight.map { $0.count == yPred.count && width > 1 } ?? false
        let weights = perElement ? sampleWeight?.scalars : try sampleWeights(sampleWeight, batch: batch, metric: metric)
        let t = yTrue.scalars, p = yPred.scalars
        for sample in 0..<batch {
            for element in (sample * width)..<((sample + 1) * width) {
                body(t[element], p[element], Double(weights?[perElement ? element : sample] ?? 1))
            }
        }
    }

    /// Checks integer labels ([N], [N, 1], or one per prediction row) against [N, …, C] predictions;
    /// returns the number of classes.
    static func checkSparse(_ yTrue: Tensor, _ yPred: Tensor, metric: String) throws -> Int {
        guard yPred.rank >= 2, let classes = yPred.shape.last, classes > 0,
              yTrue.count * classes == yPred.count, yTrue.shape.first == yPred.shape.first else {
            throw KestrelError.shapeMismatch(
                "\(metric): labels of shape \(yTrue.shape) do not fit predictions of shape \(yPred.shape); expected integer class indices of shape \(Array(yPred.shape.dropLast())).")
        }
        return classes
    }
}
