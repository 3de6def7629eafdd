import Foundation

/// Counts shared by the threads of one attack: statuses seen and the slowest answer.
final class AbuseTally: @unchecked Sendable {
    private let lock = NSLock()
    private var statusCounts: [Int: Int] = [:]
    private var slowestSeconds = 0.0

    /// Notes one answer (status 0: none came) and its seconds.
    func note(status: Int, seconds: Double = 0) {
        lock.withLock {
            statusCounts[status, default: 0] += 1
            slowestSeconds = max(slowestSeconds, seconds)
        }
    }

    var statuses: [Int: Int] { lock.withLock { statusCounts } }
    var slowest: Double { lock.withLock { slowestSeconds } }

    /// "200×5, no answer×1".
    var summary: String {
        let counts = statuses
        return counts.keys.sorted().map { "\($0 == 0 ? "no answer" : String($0))×\(counts[$0] ?? 0)" }.joined(separator: ", ")
    }
}
