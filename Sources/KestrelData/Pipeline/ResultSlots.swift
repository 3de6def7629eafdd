import Foundation

/// Fixed slots that parallel workers fill by index.
final class ResultSlots: @unchecked Sendable {
    private var slots: [DataElement?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ element: DataElement, at index: Int) {
        lock.withLock { slots[index] = element }
    }

    func values() -> [DataElement] {
        lock.withLock { slots.map { $0! } }
    }
}
