/// Collects evidence sentences with the claims each one makes (internal): a claim added with a
/// sentence gets that sentence's index, so `DiagnosisChecker` can match numbers to sentences.
struct EvidenceWriter: Sendable {
    private(set) var sentences: [String] = []
    private(set) var claims: [EvidenceClaim] = []

    /// Appends `text` with the claims it makes.
    mutating func add(_ text: String, _ sentenceClaims: [EvidenceClaim] = []) {
        let index = sentences.count
        sentences.append(text)
        claims += sentenceClaims.map { claim in
            var claim = claim
            claim.sentence = index
            return claim
        }
    }

    /// Appends everything `other` holds after this writer's sentences.
    mutating func append(_ other: EvidenceWriter) {
        for index in other.sentences.indices {
            add(other.sentences[index], other.claims.filter { $0.sentence == index })
        }
    }

    var isEmpty: Bool { sentences.isEmpty }
}
