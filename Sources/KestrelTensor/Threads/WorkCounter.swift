import Synchronization

/// A shared counter from which parallel workers take the next piece of work.
final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// Reserves `count` items and returns the index of the first.
    func take(_ count: Int) -> Int {
        next.wrappingAdd(count, ordering: .relaxed).oldValue
    }
}
