import Foundation

/// Counts how many times a dataset has been iterated (thread-safe).
final class EpochCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}
