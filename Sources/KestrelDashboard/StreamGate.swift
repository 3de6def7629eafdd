import Foundation

/// A count of the streams under way, capped: `enter()` is refused past `limit`.
final class StreamGate: @unchecked Sendable {
    private let lock = NSLock()
    private var active = 0
    /// The most streams at once.
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a place; false when all are taken.
    func enter() -> Bool {
        lock.withLock {
            guard active < limit else { return false }
            active += 1
            return true
        }
    }

    /// Gives a place back.
    func leave() { lock.withLock { active = max(0, active - 1) } }

    /// The streams under way.
    var count: Int { lock.withLock { active } }
}
