import Foundation

/// Checks a diagnosis against the log it reads: every claim's quantity is recomputed from the log
/// and compared with the value the sentence quotes; every comparison the sentence states must hold;
/// every threshold must be its rule's own (the one the footer states); every number a sentence
/// quotes must be backed by one of its claims; and the verdict must follow from its rule.
public enum DiagnosisChecker {
    /// The contradictions found (empty when the diagnosis is consistent), each naming the sentence.
    public static func contradictions(in diagnosis: Diagnosis, log: TrainingLog, options: DiagnosisOptions = DiagnosisOptions()) -> [String] {
        var problems: [String] = []
        for claim in diagnosis.claims {
            let where_ = claim.sentence.map { $0 < diagnosis.evidence.count ? "'\(diagnosis.evidence[$0])'" : "sentence \($0)" } ?? "the headline"
            if let recomputed = recompute(claim, log: log, options: options), !agrees(recomputed, claim.value) {
                problems.append("\(where_) quotes \(claim.value) for \(claim.quantity), but the log gives \(recomputed).")
            }
            if !claim.comparisonHolds, let relation = claim.relation, let threshold = claim.threshold {
                problems.append("\(where_) claims \(claim.value) is \(relation.rawValue) \(threshold), which is false.")
            }
            if let rule = claim.rule {
                let allowed = rule.thresholds(options)
                let quoted = claim.threshold ?? claim.value
                if !allowed.contains(where: { abs($0 - quoted) <= 1e-12 * max(1, abs($0)) }),
                   claim.threshold != nil || claim.quantity.isStated {
                    problems.append("\(where_) uses \(quoted) for the \(rule.rawValue) rule, whose thresholds are \(allowed).")
                }
            }
        }
        for (index, sentence) in diagnosis.evidence.enumerated() {
            let claims = diagnosis.claims.filter { $0.sentence == index }
            for number in unbackedNumbers(in: sentence, claims: claims, log: log) {
                problems.append("'\(sentence)' quotes \(number), which none of its claims backs.")
            }
        }
        problems += verdictProblems(diagnosis, options: options)
        return problems
    }

    /// The verdict must rest on a claim of its rule that holds.
    private static func verdictProblems(_ diagnosis: Diagnosis, options: DiagnosisOptions) -> [String] {
        func has(_ rule: DiagnosisRule, _ relations: [EvidenceClaim.Relation]) -> Bool {
            diagnosis.claims.contains { $0.rule == rule && $0.relation.map(relations.contains) == true && $0.comparisonHolds }
        }
        let risen = has(.overfittingRise, [.atLeast])
        let gapped = diagnosis.claims.contains { claim in
            if case .finalRunAtLeast = claim.quantity, claim.rule == .accuracyGap, claim.relation == .atLeast { return claim.comparisonHolds }
            return false
        }
        switch diagnosis.verdict {
        case .overfitting where !(risen || gapped):
            return ["The verdict is overfitting, but no claim shows the monitor worse for \(options.riseWindow) epochs or a gap for \(options.gapWindow)."]
        case .goodFit where risen || gapped:
            return ["The verdict is a good fit, but a claim shows overfitting."]
        case .goodFit:
            // Still learning may bounce above its best for one epoch; a converged run may not.
            if diagnosis.claims.contains(where: { $0.rule == .withinNoise && $0.relation == .atLeast }),
               !diagnosis.claims.contains(where: { $0.rule == .withinNoise && $0.relation == .below }) {
                return ["The verdict is \(diagnosis.verdict.rawValue), but a sentence says the monitor is beyond the noise band."]
            }
            return []
        case .collapsed where !has(.chance, []) && !diagnosis.claims.contains(where: { $0.rule == .chance }):
            return ["The verdict is collapsed, but no claim compares with chance."]
        case .unstable where !has(.oscillation, [.atLeast]) && !diagnosis.claims.contains(where: { $0.rule == .withinNoise && $0.relation == .atLeast }):
            return ["The verdict is unstable, but no claim shows oscillation or a jump."]
        default:
            return []
        }
    }

    private static func agrees(_ computed: Double, _ quoted: Double) -> Bool {
        if computed.isNaN { return quoted.isNaN }
        if computed.isInfinite { return computed == quoted }
        return abs(computed - quoted) <= 1e-6 * max(1, abs(computed))
    }

    /// The quantity recomputed from the log; nil for facts from outside it.
    static func recompute(_ claim: EvidenceClaim, log: TrainingLog, options: DiagnosisOptions) -> Double? {
        func series(_ name: String) -> [Double] { log.values(name) ?? [] }
        func at(_ name: String, _ row: Int) -> Double { row >= 0 && row < series(name).count ? series(name)[row] : .nan }
        switch claim.quantity {
        case let .value(metric, row): return at(metric, row)
        case let .difference(minuend, subtrahend, row): return at(minuend, row) - at(subtrahend, row)
        case let .relativeChange(metric, from, to): return (at(metric, to) - at(metric, from)) / max(abs(at(metric, from)), 1e-12)
        case let .ratio(metric, row, denominator, denominatorRow): return at(metric, row) / max(at(denominator, denominatorRow), 1e-300)
        case let .relativeSlope(metric, from, to):
            let window = rows(series(metric), from, to)
            let level = SeriesStatistics.median(window.filter(\.isFinite).map(abs))
            return level > 0 ? SeriesStatistics.slope(window) / level : 0
        case let .slope(metric, from, to): return SeriesStatistics.slope(rows(series(metric), from, to))
        case let .bestRow(metric):
            let orientation = MetricOrientation.inferred(for: metric)
            return SeriesStatistics.indexOfMinimum(series(metric).map { orientation.badness($0) }).map(Double.init) ?? .nan
        case let .maximum(metric, through):
            return rows(series(metric), 0, through).filter(\.isFinite).max() ?? .nan
        case let .finalRunAtLeast(minuend, subtrahend):
            let threshold = claim.rule == .validationAboveTraining ? options.validationAboveTrainingMargin : options.accuracyGapThreshold
            return Double(CurveFacts.finalRun(zip(series(minuend), series(subtrahend)).map { $0 - $1 }, atLeast: threshold))
        case let .finalRunWorse(metric):
            let orientation = MetricOrientation.inferred(for: metric)
            return Double(CurveFacts.finalRunWorse(badness: series(metric).map { orientation.badness($0) }, options: options))
        case let .smoothedBest(metric):
            let orientation = MetricOrientation.inferred(for: metric)
            return CurveFacts.smoothedBest(badness: series(metric).map { orientation.badness($0) }, options: options)
                .map { orientation.badness($0.badness) } ?? .nan
        case let .signChangeFraction(metric):
            let values = Array(series(metric).filter(\.isFinite).dropFirst())
            let changes = zip(values.dropFirst(), values).map { $0 - $1 }
            let flips = zip(changes.dropFirst(), changes).filter { $0 * $1 < 0 }.count
            return Double(flips) / Double(max(1, changes.count - 1))
        case let .medianChange(metric, relative):
            let values = Array(series(metric).filter(\.isFinite).dropFirst())
            let median = SeriesStatistics.median(zip(values.dropFirst(), values).map { abs($0 - $1) })
            guard relative else { return median }
            let level = SeriesStatistics.median(values.map(abs))
            return level > 0 ? median / level : 0
        case let .epochsSinceBest(metric):
            let orientation = MetricOrientation.inferred(for: metric)
            return SeriesStatistics.indexOfMinimum(series(metric).map { orientation.badness($0) }).map { Double(log.count - 1 - $0) } ?? .nan
        case let .leadBeyondAveraging(training, validation, row):
            let allowance = max(0, SeriesStatistics.slope(Array(series(training).suffix(3))))
            return at(validation, row) - at(training, row) - allowance
        case let .descentFraction(metric):
            return CurveFacts.descentFraction(series(metric)) ?? .nan
        case let .tailMedian(metric, count):
            return CurveFacts.tailMedian(series(metric), count)
        case .stated:
            return nil
        }
    }

    private static func rows(_ values: [Double], _ from: Int, _ to: Int) -> [Double] {
        let start = max(0, from), end = min(values.count - 1, to)
        return start <= end ? Array(values[start...end]) : []
    }

    /// Numbers in `sentence` that no claim backs: each must be a claim's value or threshold (as a
    /// number, a percentage or a whole count) or the number of an epoch a claim refers to.
    static func unbackedNumbers(in sentence: String, claims: [EvidenceClaim], log: TrainingLog) -> [String] {
        var text = sentence
        // Metric names may hold digits (top_5_accuracy, dense_1): take them out first, longest first.
        for name in log.metricNames.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: name, with: "«metric»") }
        var allowed = Set<String>()
        for claim in claims {
            for value in [claim.value, claim.threshold].compactMap({ $0 }) {
                allowed.insert(DiagnosticsFormat.number(value))
                allowed.insert(DiagnosticsFormat.percent(value))
                allowed.insert(DiagnosticsFormat.plainPercent(value))
                allowed.insert(DiagnosticsFormat.plainPercent(-value))
                allowed.insert(DiagnosticsFormat.number(-value))
                allowed.insert(DiagnosticsFormat.factor(value))
                if value == value.rounded(), abs(value) < 1e9 { allowed.insert(String(Int(value))) }
            }
            for row in claim.quantity.rows where row >= 0 && row < log.epochs.count {
                allowed.insert("epoch \(log.epochs[row] + 1)")
            }
            if case .bestRow = claim.quantity, claim.value >= 0, Int(claim.value) < log.epochs.count {
                allowed.insert("epoch \(log.epochs[Int(claim.value)] + 1)")
            }
        }
        // Digits glued to a letter belong to a name (a sibling run "L2", a layer "dense_1"), not a number.
        let pattern = try? NSRegularExpression(pattern: "(epoch [0-9]+)|(?<![A-Za-z_])[-+]?[0-9]+(\\.[0-9]+)?(e[-+]?[0-9]+)?%?")
        let range = NSRange(text.startIndex..., in: text)
        var unbacked: [String] = []
        for match in pattern?.matches(in: text, range: range) ?? [] {
            guard let matchRange = Range(match.range, in: text) else { continue }
            let token = String(text[matchRange])
            if allowed.contains(token) { continue }
            // "×2.000" / "3.000×" and "(+25%)" forms: the bare number must still be backed.
            unbacked.append(token)
        }
        return unbacked
    }
}

extension EvidenceClaim.Quantity {
    /// Whether this is a fact from outside the log.
    var isStated: Bool {
        if case .stated = self { return true }
        return false
    }

    /// The log rows the quantity refers to.
    var rows: [Int] {
        switch self {
        case let .value(_, row), let .difference(_, _, row), let .leadBeyondAveraging(_, _, row): return [row]
        case let .relativeChange(_, from, to), let .relativeSlope(_, from, to), let .slope(_, from, to): return [from, to]
        case let .ratio(_, row, _, denominatorRow): return [row, denominatorRow]
        case let .maximum(_, through): return [through]
        case .bestRow, .smoothedBest, .tailMedian, .descentFraction, .finalRunAtLeast, .finalRunWorse, .signChangeFraction, .medianChange, .epochsSinceBest, .stated: return []
        }
    }
}
