import Foundation
import KestrelTensor

/// Runs an upstream iterator on a background thread, keeping up to `capacity` elements ready.
/// When the consumer drops the prefetcher mid-epoch, the thread is told to stop.
final class Prefetcher: @unchecked Sendable {
    private let buffer: PrefetchBuffer

    init(upstream: DatasetIterator, capacity: Int) {
        let buffer = PrefetchBuffer(capacity: capacity)
        self.buffer = buffer
        let box = UncheckedSendableBox(upstream)
        let thread = Thread {
            var iterator = box.value
            while buffer.waitForSpace() {
                guard buffer.deliver(iterator.next()) else { return }
            }
        }
        thread.name = "kestrel.prefetch"
        thread.start()
    }

    deinit {
        buffer.cancel()
    }

    func next() -> DataElement? {
        buffer.next()
    }
}
