import Foundation

/// The measurements behind a verdict (internal): trends, gaps, oscillation, chance level, breakdowns.
/// Every threshold comes from `options`; `CurveFacts+Verdict` turns these into a verdict with claims.
struct CurveFacts: Sendable {
    let log: TrainingLog
    let keys: MetricKeys
    let monitor: String?
    let options: DiagnosisOptions
    let model: ModelFacts
    /// Other models trained on the same data (empty: the log is read alone).
    let siblings: [SiblingRun]
    /// This run's number of parameters, when known (only siblings at least as large then count).
    let parameterCount: Int?

    /// The chance level of a classifier: the accuracy of guessing and the loss of predicting the prior.
    struct Chance: Sendable {
        var accuracy: Double
        var loss: Double
        /// Where it comes from, for sentences ("10 classes", "the majority share 0.700").
        var source: String
        /// Whether it was read from the model or data (true) or estimated from the log (false).
        var known: Bool
    }

    /// A series that swings back and forth (instability).
    struct Oscillation: Sendable {
        var metric: String
        var signChangeFraction: Double
        /// Median epoch-to-epoch change: relative to the level for a loss, absolute for an accuracy.
        var amplitude: Double
        var isAccuracy: Bool
    }

    var orientation: MetricOrientation = .minimize
    var bestIndex: Int?
    var bestValue: Double?
    var lastMonitor: (index: Int, value: Double)?
    /// Final epochs in which the smoothed monitor is at least `minimumRelativeRise` worse than its smoothed best.
    var worseRun = 0
    /// The smoothed monitor's best: its row and value (in the metric's units).
    var smoothedBest: (row: Int, value: Double)?
    var accuracyGap: [Double]?
    var lossGap: [Double]?
    var finalGapRunLength = 0
    /// Final epochs with validation accuracy at least `validationAboveTrainingMargin` above training accuracy.
    var validationAboveRun = 0
    /// How much validation may lead training accuracy because training metrics average over an improving epoch.
    var epochAveragingAllowance = 0.0
    var trainRelativeSlope: Double?
    var validationRelativeSlope: Double?
    var validationStillImproving = false
    var underTrained = false
    var chance: Chance?
    var collapsed = false
    var oscillation: Oscillation?
    var mismatch = false
    /// The first non-finite loss: which key and at which row.
    var nonFinite: (name: String, index: Int)?
    /// Training loss growing: (row of its minimum, row of the last epoch) when it grew by `divergenceGrowthFactor`.
    var lossGrowth: (minimumIndex: Int, lastIndex: Int)?
    /// The row of an exploded training loss (`explosionFactor` × the chance loss, or `explodedLossLevel`) with no learning after it.
    var explosionIndex: Int?
    /// Whether the explosion is a classifier's training loss still at least `explodedLossLevel` in the last epoch
    /// (its accuracy moved, so "no learning after it" does not hold).
    var explodedAtEnd = false
    var earlyStopping: EarlyStoppingSimulation?

    init(log: TrainingLog, keys: MetricKeys, monitor: String?, options: DiagnosisOptions, model: ModelFacts = .unknown,
         siblings: [SiblingRun] = [], parameterCount: Int? = nil) {
        self.log = log
        self.keys = keys
        self.monitor = monitor
        self.options = options
        self.model = model
        self.siblings = siblings
        self.parameterCount = parameterCount
    }

    var count: Int { log.count }
    var hasValidation: Bool { monitor != nil }
    var loss: [Double]? { keys.loss.flatMap(log.values) }
    var validationLoss: [Double]? { keys.validationLoss.flatMap(log.values) }
    var accuracy: [Double]? { keys.accuracy.flatMap(log.values) }
    var validationAccuracy: [Double]? { keys.validationAccuracy.flatMap(log.values) }
    var sustainedWorsening: Bool { worseRun >= options.riseWindow }
    var persistentGap: Bool { finalGapRunLength >= options.gapWindow }
    var stillLearning: Bool { -(trainRelativeSlope ?? 0) >= options.stillLearningRelativeSlope }
    var epochsSinceBest: Int? { bestIndex.map { count - 1 - $0 } }

    /// The monitor's relative distance from its best at the last epoch (positive = worse).
    var relativeWorsening: Double? {
        guard let best = bestValue, let last = lastMonitor else { return nil }
        return orientation.badness(last.value - best) / max(abs(best), 1e-12)
    }

    /// The better of the final training and validation accuracy (training accuracy is measured with
    /// Dropout and augmentation on, so alone it understates what the model can do).
    var finalAccuracy: (name: String, index: Int, value: Double)? {
        let candidates = [keys.accuracy, keys.validationAccuracy].compactMap { name -> (String, Int, Double)? in
            guard let name, let last = log.values(name).flatMap(SeriesStatistics.lastFinite) else { return nil }
            return (name, last.index, last.value)
        }
        return candidates.max { $0.2 < $1.2 }
    }

    /// The comparison with sibling runs on the same monitor (nil without siblings that logged it), among
    /// the siblings whose recorded data do not visibly differ from this run's (`siblingsOnOtherData`).
    var siblingComparison: SiblingComparison? {
        let comparable = siblings.filter { DataDifference.between(log.data, $0.log.data).isEmpty }
        guard let monitor, !comparable.isEmpty else { return nil }
        return SiblingComparison.measure(log: log, monitor: monitor, orientation: orientation, siblings: comparable,
                                         ownParameters: parameterCount)
    }

    /// The siblings left out of the comparison because their recorded data (`TrainingLog.data`) visibly
    /// differ from this run's, by name (several runs of one sibling once), with how.
    var siblingsOnOtherData: [(name: String, differences: [DataDifference])] {
        var seen = Set<String>()
        return siblings.compactMap { sibling in
            let differences = DataDifference.between(log.data, sibling.log.data)
            guard !differences.isEmpty, seen.insert(sibling.name).inserted else { return nil }
            return (sibling.name, differences)
        }
    }

    /// Whether the reading points to underfitting: with siblings, their comparison (`SiblingComparison`);
    /// alone, the weak hint of a low accuracy (`accuracyLow`).
    var underfittingSuspected: Bool {
        if let comparison = siblingComparison {
            return comparison.underfits(margin: options.minimumRelativeRise, orientation: orientation)
        }
        return accuracyLow
    }

    /// Low accuracy: below `lowTrainAccuracy`, or below `mediocreAccuracy` with training no better than
    /// validation. Only a weak hint of underfitting: a fixed bar cannot tell a model that lacks capacity
    /// from a task whose labels are noisy (HIGGS: no model does much better than 0.72), so it is used only
    /// when no sibling run is known, and the verdict says so.
    var accuracyLow: Bool {
        guard let best = finalAccuracy?.value else { return false }
        if best < options.lowTrainAccuracy { return true }
        guard best < options.mediocreAccuracy, let gap = accuracyGap.flatMap(SeriesStatistics.lastFinite) else { return false }
        return gap.value < options.validationAboveTrainingMargin
    }

    mutating func measure() {
        measureMonitor()
        measureChance()
        measureBreakdown()
        measureGaps()
        measureTrainingTrend()
        measureInstability()
        measureMismatch()
    }

    /// Median of the last `count` finite values.
    static func tailMedian(_ values: [Double], _ count: Int = 3) -> Double {
        SeriesStatistics.median(Array(values.filter(\.isFinite).suffix(count)))
    }

    private mutating func measureChance() {
        if let classes = model.classes, classes >= 2 {
            if let share = model.majorityClassShare, share > 0, share < 1 {
                chance = Chance(accuracy: share, loss: Self.binaryEntropy(share), source: "the majority class share \(DiagnosticsFormat.number(share))", known: true)
            } else {
                chance = Chance(accuracy: 1 / Double(classes), loss: Foundation.log(Double(classes)), source: "\(classes) classes", known: true)
            }
            measureCollapse()
            return
        }
        // From the log alone, only an accuracy that has settled can be read as a chance level: the
        // last half of the run within the tolerance of its median (the whole run for a majority share).
        guard let accuracy, count >= 2 else { return }
        let finite = accuracy.filter(\.isFinite)
        let train = Self.tailMedian(finite)
        func settled(_ values: ArraySlice<Double>) -> Bool {
            values.allSatisfy { abs($0 - train) <= options.chanceAccuracyTolerance }
        }
        guard train.isFinite, settled(finite.suffix(max(2, finite.count / 2))) else { return }
        let finalLoss = loss.map { Self.tailMedian($0) }
        func lossFits(_ level: Double) -> Bool { finalLoss.map { !$0.isFinite || $0 <= options.chanceLossUpperFactor * level } ?? true }
        let classes = Int((1 / max(train, 1e-9)).rounded())
        if classes >= 2, classes <= 100_000, abs(train - 1 / Double(classes)) <= options.chanceAccuracyTolerance,
           lossFits(Foundation.log(Double(classes))) {
            chance = Chance(accuracy: 1 / Double(classes), loss: Foundation.log(Double(classes)),
                            source: "\(classes) classes, read from the accuracy", known: false)
        } else if train > 0.5, train < 1, settled(finite.dropFirst()[...]), lossFits(Self.binaryEntropy(train)) {
            chance = Chance(accuracy: train, loss: Self.binaryEntropy(train),
                            source: "a majority class of share \(DiagnosticsFormat.number(train)), read from the accuracy", known: false)
        }
        measureCollapse()
    }

    /// Share of epoch-to-epoch changes of `values` over the last half of the run (at least 3 changes) that are decreases.
    static func descentFraction(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        let half = Array(finite.suffix(max(4, finite.count / 2 + 1)))
        guard half.count >= 4 else { return nil }
        let changes = zip(half.dropFirst(), half).map { $0 - $1 }
        return Double(changes.filter { $0 < 0 }.count) / Double(changes.count)
    }

    /// Whether the training loss falls steadily (most changes of the last half are decreases).
    var trainingLossFallsSteadily: Bool {
        (loss.flatMap(Self.descentFraction) ?? 0) >= options.steadyDescentFraction - 1e-12
    }

    static func binaryEntropy(_ share: Double) -> Double {
        -(share * Foundation.log(share) + (1 - share) * Foundation.log(1 - share))
    }

    /// Accuracy at chance, loss at the chance level, and neither improving.
    private mutating func measureCollapse() {
        guard let chance, let accuracy, let loss, count >= 2 else { return }
        let finalAccuracy = Self.tailMedian(accuracy)
        let finalLoss = Self.tailMedian(loss)
        let firstAccuracy = accuracy.first(where: \.isFinite) ?? finalAccuracy
        let atChance = finalAccuracy <= chance.accuracy + options.chanceAccuracyTolerance
        let validationAtChance = validationAccuracy.map { Self.tailMedian($0) <= chance.accuracy + options.chanceAccuracyTolerance } ?? true
        let lossAtChance = finalLoss >= options.chanceLossFraction * chance.loss
        let notImproving = finalAccuracy - firstAccuracy < options.accuracyGapThreshold
        collapsed = atChance && validationAtChance && lossAtChance && notImproving && !descendsLikeUnderTraining
    }

    private mutating func measureMonitor() {
        guard let monitor, let values = log.values(monitor) else { return }
        orientation = MetricOrientation.inferred(for: monitor)
        let badness = values.map { orientation.badness($0) }
        bestIndex = SeriesStatistics.indexOfMinimum(badness)
        bestValue = bestIndex.map { values[$0] }
        lastMonitor = SeriesStatistics.lastFinite(values)
        guard let best = bestIndex else { return }
        worseRun = Self.finalRunWorse(badness: badness, options: options)
        smoothedBest = Self.smoothedBest(badness: badness, options: options).map { ($0.row, orientation.badness($0.badness)) }
        // Unlogged epochs (NaN) keep their place: the slope skips them without shifting the others.
        let tail = Array(badness.suffix(max(2, min(options.tailWindow, badness.count))))
        let level = SeriesStatistics.median(tail.filter(\.isFinite).map(abs))
        if tail.filter(\.isFinite).count >= 2, level > 0 {
            validationRelativeSlope = SeriesStatistics.slope(tail) / level
        }
        // Still improving only while EarlyStopping with the suggested patience would not have
        // stopped, and clearly (at least `stillLearningRelativeSlope` of its level per epoch).
        validationStillImproving = count - 1 - best < max(1, options.earlyStoppingPatience)
            && best >= count - max(1, options.tailWindow)
            && -(validationRelativeSlope ?? 0) >= options.stillLearningRelativeSlope
        earlyStopping = EarlyStoppingSimulation.simulate(values: values, monitor: monitor, orientation: orientation,
                                                         patience: options.earlyStoppingPatience,
                                                         minDelta: options.earlyStoppingMinDelta)
    }

    /// The smoothed monitor's lowest point (as badness: larger is worse) and its row (the last of
    /// tied rows, since a moving median spreads one minimum over several epochs).
    static func smoothedBest(badness: [Double], options: DiagnosisOptions) -> (row: Int, badness: Double)? {
        let smoothed = SeriesStatistics.movingMedian(badness, width: options.smoothingWidth)
        guard let first = SeriesStatistics.indexOfMinimum(smoothed) else { return nil }
        return (smoothed.lastIndex(of: smoothed[first]) ?? first, smoothed[first])
    }

    /// Final rows, after the smoothed best, whose smoothed badness is at least `minimumRelativeRise`
    /// of the smoothed best above it; 0 when the raw last epoch is the raw best (no worsening).
    static func finalRunWorse(badness: [Double], options: DiagnosisOptions) -> Int {
        guard let best = smoothedBest(badness: badness, options: options), let rawBest = SeriesStatistics.indexOfMinimum(badness),
              let rawLast = SeriesStatistics.lastFinite(badness), rawLast.value > badness[rawBest] else { return 0 }
        let smoothed = SeriesStatistics.movingMedian(badness, width: options.smoothingWidth)
        let limit = best.badness + options.minimumRelativeRise * abs(best.badness)
        var run = 0
        for (index, value) in smoothed.enumerated().reversed() {
            guard index > best.row else { break }
            if value.isFinite, value >= limit - 1e-12 * max(1, abs(limit)) { run += 1 } else { break }
        }
        return run
    }

    /// Final rows where `a − b ≥ threshold` (with the same tolerance as the claims).
    static func finalRun(_ difference: [Double], atLeast threshold: Double) -> Int {
        var run = 0
        for value in difference.reversed() {
            if EvidenceClaim.holds(value, .atLeast, threshold) { run += 1 } else { break }
        }
        return run
    }

    private mutating func measureGaps() {
        if let train = accuracy, let validation = validationAccuracy {
            let gap = zip(train, validation).map { $0 - $1 }
            accuracyGap = gap
            finalGapRunLength = Self.finalRun(gap, atLeast: options.accuracyGapThreshold)
            validationAboveRun = Self.finalRun(gap.map { -$0 }, atLeast: options.validationAboveTrainingMargin)
            let tail = Array(train.suffix(3))
            epochAveragingAllowance = max(0, SeriesStatistics.slope(tail))
        }
        if let train = loss, let validation = validationLoss {
            lossGap = zip(train, validation).map { $1 - $0 }
        }
    }

    private mutating func measureTrainingTrend() {
        guard let loss else { return }
        let tail = Array(loss.suffix(max(2, min(options.tailWindow, loss.count))))
        let level = SeriesStatistics.median(tail.map(abs))
        guard tail.count >= 2, level > 0, level.isFinite else { return }
        let slope = SeriesStatistics.slope(tail)
        trainRelativeSlope = slope / level
        // Under-trained: falling steadily, validation at its best in the last epoch, and still near
        // where it started (a working learning rate drops the loss well below that).
        guard let first = loss.first(where: \.isFinite), let last = SeriesStatistics.lastFinite(loss), last.index >= 3, first > 0 else { return }
        // Not slowing down: the last half falls at least half as fast as the run on average.
        let half = Array(loss.suffix(max(3, loss.count / 2)))
        let averageDrop = (first - last.value) / Double(last.index)
        let steady = -SeriesStatistics.slope(half) >= 0.5 * averageDrop
        underTrained = count >= options.minimumEpochsForInstability && descendsLikeUnderTraining && steady
            && last.value >= options.underTrainedLossFraction * first
    }

    /// The training loss falls steadily and the monitored validation metric is at its best in the last epoch.
    var descendsLikeUnderTraining: Bool {
        trainingLossFallsSteadily && (bestIndex.map { $0 == count - 1 } ?? true)
    }

    /// NaN/infinite losses, a growing training loss, an exploded loss with no learning after it.
    private mutating func measureBreakdown() {
        // The analysis reads a value that was not logged (validation_freq > 1) as NaN too: in a
        // validation series only an infinity or NaN through to the last epoch is a breakdown.
        var firstBad: [(name: String, index: Int)] = []
        // The raw series: a training loss that is NaN (or missing, as Kestrel's JSON writes a NaN) in
        // every epoch still counts (values(_:) hides it).
        if let index = log.series["loss"]?.firstIndex(where: { !($0?.isFinite ?? false) }) {
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
        // Only the training loss: a rising validation loss is overfitting (or a mismatch), not divergence.
        guard let loss, let last = loss.indices.last else { return }
        if loss.count >= options.minimumEpochs, let minimum = SeriesStatistics.indexOfMinimum(loss), minimum < last {
            let tail = Array(loss.suffix(max(2, min(options.tailWindow, last - minimum + 1))))
            // The rise must also be large against the first epoch's loss, so a memorising model's
            // training loss wobbling between 0.001 and 0.003 is not mistaken for divergence.
            if loss[last] >= options.divergenceGrowthFactor * max(loss[minimum], 1e-12), SeriesStatistics.slope(tail) > 0,
               loss[last] - loss[minimum] >= 0.5 * abs(loss[0]) {
                lossGrowth = (minimum, last)
            }
        }
        guard let peak = loss.indices.filter({ loss[$0].isFinite }).max(by: { loss[$0] < loss[$1] }) else { return }
        // Without a chance level, the settled loss stands in for it (capped at `explodedLossLevel`).
        let limit = chance.map { options.explosionFactor * $0.loss }
            ?? min(options.explodedLossLevel, options.explosionFactor * max(Self.tailMedian(loss), 1e-12))
        guard loss[peak] >= limit else { return }
        // No learning after the explosion: the accuracy ends at chance, or (without a chance level) no better than where it was.
        if let accuracy, let final = SeriesStatistics.lastFinite(accuracy) {
            let stuck = chance.map { final.value <= $0.accuracy + options.chanceAccuracyTolerance }
                ?? (final.value < options.lowTrainAccuracy && final.value - (accuracy.first(where: \.isFinite) ?? final.value) < options.accuracyGapThreshold)
            if stuck { explosionIndex = peak }
            // A classifier (it logs an accuracy) whose training loss is still at least `explodedLossLevel` in the
            // last epoch has blown up whatever its noisy accuracy does: no working model's cross-entropy is near
            // that (a loss in a regression's own units can be, but a regression logs no accuracy).
            if !stuck, let last = SeriesStatistics.lastFinite(loss), last.value >= options.explodedLossLevel {
                explosionIndex = peak
                explodedAtEnd = true
            }
        }
    }

    private mutating func measureInstability() {
        guard nonFinite == nil, count >= options.minimumEpochsForInstability else { return }
        var found: [Oscillation] = []
        for (name, isAccuracy) in [(keys.loss, false), (keys.validationLoss, false), (keys.validationAccuracy, true)] {
            guard let name, let values = log.values(name)?.filter(\.isFinite), values.count >= options.minimumEpochsForInstability else { continue }
            // The first epoch's average includes the steep start of training: leave it out.
            let series = Array(values.dropFirst())
            let changes = zip(series.dropFirst(), series).map { $0 - $1 }
            let flips = zip(changes.dropFirst(), changes).filter { $0 * $1 < 0 }.count
            let fraction = Double(flips) / Double(max(1, changes.count - 1))
            let median = SeriesStatistics.median(changes.map(abs))
            let level = SeriesStatistics.median(series.map(abs))
            let amplitude = isAccuracy ? median : (level > 0 ? median / level : 0)
            let trend = abs(SeriesStatistics.slope(series))
            let threshold = isAccuracy ? options.unstableAccuracyAmplitude : options.unstableRelativeAmplitude
            if fraction >= options.unstableSignChangeFraction, amplitude >= threshold, median >= options.unstableAmplitudeToTrend * trend {
                found.append(Oscillation(metric: name, signChangeFraction: fraction, amplitude: amplitude, isAccuracy: isAccuracy))
            }
        }
        // A training loss still falling clearly while the monitor set its best only a few epochs ago
        // means the model learns: the swings are a noisy validation set, not a too-high learning rate.
        if keys.loss != nil, stillLearningForInstability, (epochsSinceBest ?? Int.max) <= options.earlyStoppedMaximumTail { return }
        // Only the training loss swings while the monitor is at its best in the last epoch: the epoch averages of a
        // small training set (few steps per epoch, Dropout on) are noisy, but the model the validation data see
        // keeps improving, which a too-high learning rate does not give.
        if hasValidation, !found.isEmpty, found.allSatisfy({ $0.metric == keys.loss }), epochsSinceBest == 0 { return }
        oscillation = found.first
    }

    /// Whether the training loss still falls clearly over the last half of the run (at least `tailWindow` epochs).
    private var stillLearningForInstability: Bool {
        guard let loss else { return false }
        let tail = Array(loss.suffix(max(options.tailWindow, loss.count / 2)))
        let level = SeriesStatistics.median(tail.map(abs))
        return level > 0 && -SeriesStatistics.slope(tail) / level >= options.stillLearningRelativeSlope
    }

    /// What "an untrained model" means for the mismatch rule, and how close validation must stay to it:
    /// the chance loss (ln(classes), or the binary entropy of the majority share) where it is known, with
    /// `mismatchValidationFloor`; else the first epoch's training loss, with `mismatchFirstEpochFloor`. The
    /// first epoch's training loss is only a stand-in: a model that learns much in its first epoch (a wide
    /// MLP) averages well below the untrained level, so a validation loss near it is already learning.
    var mismatchReference: (level: Double, floor: Double, fromChance: Bool)? {
        if let chance, chance.loss > 0, chance.loss.isFinite { return (chance.loss, options.mismatchValidationFloor, true) }
        guard let first = loss?.first(where: \.isFinite), first > 0 else { return nil }
        return (first, options.mismatchFirstEpochFloor, false)
    }

    /// Training learns while validation is never better than an untrained model (`mismatchReference`): the
    /// model behaves differently in inference mode (BatchNormalization statistics, preprocessing).
    private mutating func measureMismatch() {
        guard model.hasBatchNormalization != false, let loss, let validationLoss, count >= options.minimumEpochs,
              let first = loss.first(where: \.isFinite), first > 0, let last = SeriesStatistics.lastFinite(loss),
              let lowestValidation = validationLoss.filter(\.isFinite).min(), let reference = mismatchReference else { return }
        let trainingLearns = last.value < options.underTrainedLossFraction * first
        let validationNeverBetter = lowestValidation >= reference.floor * reference.level
        let accuracyBelow = accuracyGap.flatMap(SeriesStatistics.lastFinite).map { $0.value >= options.accuracyGapThreshold - 1e-9 } ?? true
        mismatch = trainingLearns && validationNeverBetter && accuracyBelow
    }
}
