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
    /// Slope of the monitored metric over the tail, relative to its level, signed so negative = improving.
    var validationRelativeSlope: Double?
    var trainAccuracyLow = false
    var signChangeFraction: Double?
    var relativeAmplitude: Double?
    var oscillating = false
    /// The first non-finite loss: which key and at which row.
    var nonFinite: (name: String, index: Int)?
    /// Training loss growing: (row of its minimum, row of the last epoch) when it grew by `divergenceGrowthFactor`.
    var lossGrowth: (minimumIndex: Int, lastIndex: Int)?
    /// Training loss at or above `explodedLossLevel` with the accuracy stuck low (row of the last epoch).
    var explodedLossIndex: Int?
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
        measureBreakdown()
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
        // The smoothed curve rose, and so did the raw one: a last epoch at (or tying) the best is
        // no worsening, whatever the moving median of the epochs before it says.
        let rawLast = SeriesStatistics.lastFinite(badness)
        sustainedWorsening = last.index - minimum >= options.riseWindow
            && SeriesStatistics.slope(window) > 0
            && smoothedClimb >= options.minimumRelativeRise * scale
            && (bestIndex.flatMap { best in rawLast.map { $0.value > badness[best] } } ?? false)
        if let best = bestIndex {
            // Still improving only while EarlyStopping with the suggested patience would not have
            // stopped: a run whose best is `patience` or more epochs back has stopped improving.
            // It must also still be improving clearly: at least `stillLearningRelativeSlope` of its
            // level per epoch over the tail, else it has levelled off (converged) even if its last
            // value happens to be its best.
            let epochsSinceBest = values.count - 1 - best
            let tail = Array(badness.suffix(max(2, min(options.tailWindow, badness.count)))).filter(\.isFinite)
            let level = SeriesStatistics.median(tail.map(abs))
            if tail.count >= 2, level > 0 {
                validationRelativeSlope = SeriesStatistics.slope(tail) / level
            }
            validationStillImproving = epochsSinceBest < max(1, options.earlyStoppingPatience)
                && best >= count - max(1, options.tailWindow)
                && -(validationRelativeSlope ?? 0) >= options.stillLearningRelativeSlope
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

    /// NaN/infinite losses, a growing training loss, an exploded loss with stuck accuracy.
    private mutating func measureBreakdown() {
        // NaN also marks a value that was not logged (validation_freq > 1): in a validation
        // series only an infinity or NaN through to the last epoch is a breakdown.
        var firstBad: [(name: String, index: Int)] = []
        // The raw series: a training loss that is NaN in every epoch still counts (values(_:) hides it).
        if let index = log.series["loss"]?.firstIndex(where: { !$0.isFinite }) {
            firstBad.append(("loss", index))
        }
        if let name = keys.validationLoss, let values = log.values(name) {
            let trailingNaN = values.last?.isNaN == true
                ? (values.lastIndex { !$0.isNaN }).map { $0 + 1 } ?? 0 : nil
            if let index = [values.firstIndex { $0.isInfinite }, trailingNaN].compactMap({ $0 }).min() {
                firstBad.append((name, index))
            }
        }
        if let first = firstBad.min(by: { $0.index < $1.index }) {
            nonFinite = first
            return
        }
        // Only the training loss: a rising validation loss is overfitting, not divergence.
        guard let name = keys.loss, let loss = log.values(name), let last = loss.indices.last else { return }
        if loss.count >= options.minimumEpochs, let minimum = SeriesStatistics.indexOfMinimum(loss), minimum < last {
            let tail = Array(loss.suffix(max(2, min(options.tailWindow, last - minimum + 1))))
            // The rise must also be large against the first epoch's loss, so a memorising model's
            // training loss wobbling between 0.001 and 0.003 is not mistaken for divergence.
            if loss[last] >= options.divergenceGrowthFactor * max(loss[minimum], 1e-12), SeriesStatistics.slope(tail) > 0,
               loss[last] - loss[minimum] >= 0.5 * abs(loss[0]) {
                lossGrowth = (minimum, last)
            }
        }
        if loss[last] >= options.explodedLossLevel, let accuracyName = keys.accuracy, let accuracy = log.values(accuracyName),
           let finalAccuracy = SeriesStatistics.lastFinite(accuracy)?.value, finalAccuracy < options.lowTrainAccuracy,
           let firstAccuracy = accuracy.first(where: { $0.isFinite }), finalAccuracy - firstAccuracy < 0.05 {
            explodedLossIndex = last
        }
    }

    private mutating func measureInstability() {
        guard nonFinite == nil, let name = keys.loss ?? keys.validationLoss, let loss = log.values(name) else { return }
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
