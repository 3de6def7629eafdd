/// One way in which two runs' recorded data visibly differ (`DataFingerprint`): another number of training
/// or validation samples, or other targets. Runs that differ so are not siblings: their values were
/// measured on different data, so comparing them says nothing about capacity.
struct DataDifference: Sendable, Equatable {
    /// What differs: "training samples", "validation samples", "training targets", "validation targets".
    var what: String
    /// This run's count for a sample-count difference; nil for the targets' hashes.
    var ownCount: Int?
    /// The other run's count for a sample-count difference; nil for the targets' hashes.
    var otherCount: Int?

    /// The phrase for a sentence: "1000 validation samples here, 500 there" or "other validation targets".
    var phrase: String { phrase(ownPlace: "here", otherPlace: "there") }

    /// The phrase naming both runs: "1000 validation samples in 'A', 500 in 'B'" or "other validation targets".
    func phrase(own: String, other: String) -> String { phrase(ownPlace: "in '\(own)'", otherPlace: "in '\(other)'") }

    private func phrase(ownPlace: String, otherPlace: String) -> String {
        guard let ownCount, let otherCount else { return "other \(what)" }
        return "\(ownCount) \(what) \(ownPlace), \(otherCount) \(otherPlace)"
    }

    /// Every difference both fingerprints record (a field either lacks cannot differ visibly).
    static func between(_ own: DataFingerprint?, _ other: DataFingerprint?) -> [DataDifference] {
        guard let own, let other else { return [] }
        var differences: [DataDifference] = []
        func counts(_ what: String, _ left: Int?, _ right: Int?) {
            if let left, let right, left != right { differences.append(DataDifference(what: what, ownCount: left, otherCount: right)) }
        }
        func hashes(_ what: String, _ left: String?, _ right: String?) {
            if let left, let right, left != right { differences.append(DataDifference(what: what)) }
        }
        counts("training samples", own.trainingSamples, other.trainingSamples)
        counts("validation samples", own.validationSamples, other.validationSamples)
        // Targets only matter when the counts agree (other counts already mean other targets).
        if own.trainingSamples == other.trainingSamples { hashes("training targets", own.trainingTargets, other.trainingTargets) }
        if own.validationSamples == other.validationSamples { hashes("validation targets", own.validationTargets, other.validationTargets) }
        return differences
    }

    /// The claims backing the counts a sentence quotes.
    var claims: [EvidenceClaim] {
        guard let ownCount, let otherCount else { return [] }
        return [EvidenceClaim(quantity: .stated(name: "\(what) of this run"), value: Double(ownCount)),
                EvidenceClaim(quantity: .stated(name: "\(what) of the sibling"), value: Double(otherCount))]
    }
}
