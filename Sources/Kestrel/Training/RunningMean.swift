/// A weighted running mean (the trainer's loss tracker: batch losses weighted by batch size).
struct RunningMean {
    private(set) var total: Double = 0
    private(set) var weight: Double = 0

    mutating func add(_ value: Double, weight: Double) {
        total += value * weight
        self.weight += weight
    }

    var value: Double { weight > 0 ? total / weight : 0 }

    mutating func reset() { self = RunningMean() }

    /// Continues from saved totals (a resumed epoch).
    mutating func restore(total: Double, weight: Double) {
        self.total = total
        self.weight = weight
    }
}
