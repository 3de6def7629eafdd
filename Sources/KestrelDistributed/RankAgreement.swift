import Foundation

/// Checks that every rank describes its run as rank 0 does (Kestrel version, model, data, starting
/// epoch…) and, when one does not, throws on every rank the same error naming each rank that differs,
/// what differs and both values. Rank 0 gathers the descriptions, compares, and broadcasts its verdict.
public enum RankAgreement {
    /// One described property of a rank's run: what it is ("model") and its value as text.
    public struct Field: Sendable, Equatable {
        /// What the value describes, as the error names it ("Kestrel version").
        public let name: String
        /// The value as text; ranks agree when the texts are equal.
        public let value: String

        /// A field named `name` with `value`.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Throws a `DistributedError` on every rank unless every rank passed the same values for the same
    /// fields (in the same order). `fix` ends the message: what the user should do.
    public static func check(_ fields: [Field], over communicator: any Communicator, fix: String) throws {
        guard communicator.size > 1 else { return }
        let mine = try JSONEncoder().encode(fields.map { [$0.name, $0.value] })
        var verdict: [UInt8] = []
        if let all = try communicator.gather(Array(mine), root: 0) {
            verdict = Array(differences(all.map { Self.decode($0) }, fix: fix).utf8)
        }
        try communicator.broadcastBytes(&verdict, root: 0)
        guard verdict.isEmpty else { throw DistributedError(rank: communicator.rank, String(decoding: verdict, as: UTF8.self)) }
    }

    /// The error text for the ranks' fields (rank order), or "" when all equal rank 0's.
    static func differences(_ ranks: [[Field]?], fix: String) -> String {
        guard let reference = ranks.first ?? nil else { return "rank 0's description could not be read." }
        var lines: [String] = []
        for (rank, fields) in ranks.enumerated().dropFirst() {
            guard let fields, fields.map(\.name) == reference.map(\.name) else {
                lines.append("rank \(rank) described its run differently (another Kestrel build?)")
                continue
            }
            for (own, root) in zip(fields, reference) where own.value != root.value {
                let start = zip(own.value, root.value).prefix { $0 == $1 }.count
                lines.append("rank \(rank)'s \(own.name) is \(excerpt(own.value, from: start)) where rank 0's is \(excerpt(root.value, from: start))")
            }
        }
        guard !lines.isEmpty else { return "" }
        return "the ranks were not started alike: " + lines.joined(separator: "; ") + ". " + fix
    }

    private static func decode(_ bytes: [UInt8]) -> [Field]? {
        guard let pairs = try? JSONDecoder().decode([[String]].self, from: Data(bytes)),
              pairs.allSatisfy({ $0.count == 2 }) else { return nil }
        return pairs.map { Field($0[0], $0[1]) }
    }

    /// `text` quoted, or for a long one about 120 characters around `start` (where it first differs).
    private static func excerpt(_ text: String, from start: Int) -> String {
        guard text.count > 160 else { return "'\(text)'" }
        let skipped = max(0, start - 40)
        let part = text.dropFirst(skipped).prefix(120)
        return "'\(skipped > 0 ? "…" : "")\(part)\(skipped + part.count < text.count ? "…" : "")'"
    }
}
