/// Small numeric helpers over metric series (internal).
enum SeriesStatistics {
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// Sample standard deviation (n − 1); 0 for fewer than two values.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let average = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Centred moving median of odd `width`; near the ends the window is shifted inwards,
    /// so a spike in the first or last epoch is removed too. NaN values are skipped.
    static func movingMedian(_ values: [Double], width: Int) -> [Double] {
        let width = max(1, width | 1)
        guard width > 1, values.count >= width else { return values }
        let half = width / 2
        return values.indices.map { index in
            let start = min(max(0, index - half), values.count - width)
            return median(Array(values[start..<(start + width)]))
        }
    }

    /// Least-squares slope of `values` against their index (per epoch); 0 for < 2 values.
    static func slope(_ values: [Double]) -> Double {
        let points = values.enumerated().filter { $0.element.isFinite }
        guard points.count > 1 else { return 0 }
        let xMean = mean(points.map { Double($0.offset) })
        let yMean = mean(points.map(\.element))
        var numerator = 0.0
        var denominator = 0.0
        for point in points {
            let dx = Double(point.offset) - xMean
            numerator += dx * (point.element - yMean)
            denominator += dx * dx
        }
        return denominator == 0 ? 0 : numerator / denominator
    }

    /// Index of the smallest finite value (first occurrence), nil when none is finite.
    static func indexOfMinimum(_ values: [Double]) -> Int? {
        var best: Int?
        for (index, value) in values.enumerated() where value.isFinite {
            if let current = best, value >= values[current] { continue }
            best = index
        }
        return best
    }

    /// The last finite value and its index.
    static func lastFinite(_ values: [Double]) -> (index: Int, value: Double)? {
        guard let index = values.lastIndex(where: { $0.isFinite }) else { return nil }
        return (index, values[index])
    }
}
