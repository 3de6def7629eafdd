/// The measurements behind a verdict (internal): trends, gaps, oscillation, early stopping.
struct CurveFacts: Sendable {
    let log: TrainingLog
    let keys: MetricKeys
    let monitor: String?
    let options: DiagnosisOptions

    var orientation: MetricOrientation = .minimize
    var bestIndex: Int?
    var bestValue: Double?
    /// Worsening of the smoothed monitor from its minimum to the last epoch (original units, ≥ 0 when worse).
    var smoothedClimb: Double = 0
    var smoothedMinimumIndex: Int?
    var sustainedWorsening = false
    var accuracyGap: [Double]?
    var lossGap: [Double]?
    var finalGapRunLength = 0
    var persistentGap = false
    var trainRelativeSlope: Double?
    var stillLearning = false
    var validationStillImproving = false
    var trainAccuracyLow = false
    var signChangeFraction: Double?
    var relativeAmplitude: Double?
    var oscillating = false
    var divergedIndex: Int?
    var earlyStopping: EarlyStoppingSimulation?

    init(log: TrainingLog, keys: MetricKeys, monitor: String?, options: DiagnosisOptions) {
        self.log = log
        self.keys = keys
        self.monitor = monitor
        self.options = options
    }

    var count: Int { log.count }
    var hasValidation: Bool { monitor != nil }

    mutating func measure() {
        measureMonitor()
        measureGaps()
        measureTrainingTrend()
        measureInstability()
    }

    private mutating func measureMonitor() {
        guard let monitor, let values = log.values(monitor) else { return }
        orientation = MetricOrientation.inferred(for: monitor)
        let badness = values.map { orientation.badness($0) }
        bestIndex = SeriesStatistics.indexOfMinimum(badness)
        bestValue = bestIndex.map { values[$0] }
        let smoothed = SeriesStatistics.movingMedian(badness, width: options.smoothingWidth)
        guard let firstMinimum = SeriesStatistics.indexOfMinimum(smoothed),
              let last = SeriesStatistics.lastFinite(smoothed) else { return }
        // A median plateau spreads one minimum over several epochs: take the last of the tied
        // epochs, then the raw minimum next to it, so the onset is the first really worse epoch.
        let tiedEnd = smoothed.lastIndex(of: smoothed[firstMinimum]) ?? firstMinimum
        let half = max(1, options.smoothingWidth) / 2
        let neighbourhood = max(0, tiedEnd - half)...min(badness.count - 1, tiedEnd + half)
        let minimum = neighbourhood.filter { badness[$0].isFinite }.min { badness[$0] < badness[$1] } ?? tiedEnd
        smoothedMinimumIndex = minimum
        let reference = smoothed[firstMinimum]
        smoothedClimb = last.value - reference
        let window = Array(smoothed[minimum...])
        let scale = max(abs(reference), 1e-8)
        sustainedWorsening = last.index - minimum >= options.riseWindow
            && SeriesStatistics.slope(window) > 0
            && smoothedClimb >= options.minimumRelativeRise * scale
        if let best = bestIndex {
            validationStillImproving = best >= count - max(1, options.tailWindow)
        }
        earlyStopping = EarlyStoppingSimulation.simulate(values: values, monitor: monitor, orientation: orientation,
                                                         patience: options.earlyStoppingPatience,
                                                         minDelta: options.earlyStoppingMinDelta)
    }

    private mutating func measureGaps() {
        if let train = keys.accuracy.flatMap(log.values), let validation = keys.validationAccuracy.flatMap(log.values) {
            let gap = zip(train, validation).map { $0 - $1 }
            accuracyGap = gap
            var run = 0
            for value in gap.reversed() {
                // A tiny tolerance, so 0.82 − 0.77 counts as the 0.05 it is despite binary rounding.
                if value >= options.accuracyGapThreshold - 1e-9 { run += 1 } else { break }
            }
            finalGapRunLength = run
            persistentGap = run >= options.gapWindow
        }
        if let train = keys.loss.flatMap(log.values), let validation = keys.validationLoss.flatMap(log.values) {
            lossGap = zip(train, validation).map { $1 - $0 }
        }
    }

    private mutating func measureTrainingTrend() {
        if let loss = keys.loss.flatMap(log.values) {
            let tail = Array(loss.suffix(max(2, min(options.tailWindow, loss.count))))
            let level = SeriesStatistics.median(tail.map(abs))
            if tail.count >= 2, level > 0, level.isFinite {
                let relative = SeriesStatistics.slope(tail) / level
                trainRelativeSlope = relative
                stillLearning = -relative >= options.stillLearningRelativeSlope
            }
        }
        if let accuracy = keys.accuracy.flatMap(log.values), let last = SeriesStatistics.lastFinite(accuracy) {
            trainAccuracyLow = last.value < options.lowTrainAccuracy
        }
    }

    private mutating func measureInstability() {
        guard let name = keys.loss ?? keys.validationLoss, let loss = log.values(name) else { return }
        if let firstFinite = loss.firstIndex(where: { $0.isFinite }),
           let bad = loss[firstFinite...].firstIndex(where: { !$0.isFinite }) {
            divergedIndex = bad
            return
        }
        guard loss.count >= options.minimumEpochsForInstability else { return }
        let changes = zip(loss.dropFirst(), loss).map { $0 - $1 }
        let flips = zip(changes.dropFirst(), changes).filter { $0 * $1 < 0 }.count
        let fraction = Double(flips) / Double(max(1, changes.count - 1))
        let amplitude = SeriesStatistics.median(changes.map(abs))
        let level = SeriesStatistics.median(loss.map(abs))
        let trend = abs(SeriesStatistics.slope(loss))
        signChangeFraction = fraction
        relativeAmplitude = level > 0 ? amplitude / level : 0
        oscillating = fraction >= options.unstableSignChangeFraction
            && (relativeAmplitude ?? 0) >= options.unstableRelativeAmplitude
            && amplitude >= options.unstableAmplitudeToTrend * trend
    }
}
