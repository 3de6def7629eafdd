/// Histogram buckets as TensorBoard's `tf.summary.histogram` makes them (plugins/histogram/summary_v2.py):
/// `bucketCount` equal-width buckets from the minimum to the maximum, the maximum counted in the last;
/// all values equal: every edge at that value and every count in the last bucket; no values: zeros.
/// NaN and infinite values (the weights of a run that diverged) are left out: they have no bucket.
enum HistogramBuckets {
    /// One bucket: [left, right] and how many values fell in it.
    struct Bucket: Equatable {
        var left: Double
        var right: Double
        var count: Double
    }

    /// The buckets of `values` (TensorBoard's default is 30).
    static func make(_ allValues: [Float], bucketCount: Int = 30) -> [Bucket] {
        guard bucketCount > 0 else { return [] }
        let values = allValues.allSatisfy(\.isFinite) ? allValues : allValues.filter(\.isFinite)
        guard let minimum = values.min().map(Double.init), let maximum = values.max().map(Double.init) else {
            return Array(repeating: Bucket(left: 0, right: 0, count: 0), count: bucketCount)
        }
        let range = maximum - minimum
        var counts = Array(repeating: 0.0, count: bucketCount)
        guard range > 0 else {
            counts[bucketCount - 1] = Double(values.count)
            return counts.map { Bucket(left: maximum, right: maximum, count: $0) }
        }
        let width = range / Double(bucketCount)
        for value in values {
            let index = Int(((Double(value) - minimum) / width).rounded(.down))
            counts[min(max(index, 0), bucketCount - 1)] += 1
        }
        let step = range / Double(bucketCount)
        var edges = (0...bucketCount).map { minimum + Double($0) * step }
        edges[bucketCount] = maximum
        return (0..<bucketCount).map { Bucket(left: edges[$0], right: edges[$0 + 1], count: counts[$0]) }
    }
}
