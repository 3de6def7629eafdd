import Foundation

/// The bounded queue between a prefetch thread and its consumer.
final class PrefetchBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [DataElement] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Blocks until there is room; false when the consumer has gone.
    func waitForSpace() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && !cancelled { condition.wait() }
        return !cancelled
    }

    /// Hands over one element (nil: upstream is done); false when production should stop.
    func deliver(_ element: DataElement?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if let element { queue.append(element) } else { finished = true }
        condition.broadcast()
        return element != nil && !cancelled
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func next() -> DataElement? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !finished { condition.wait() }
        guard head < queue.count else { return nil }
        let element = queue[head]
        head += 1
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }
}
