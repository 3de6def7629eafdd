import Foundation

/// The highest resident memory of a `ServerProcess`, sampled every 50 ms on a thread of its own.
final class MemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0.0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(_ server: ServerProcess) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let now = server.residentMegabytes
                lock.withLock { if now > peak { peak = now } }
                Thread.sleep(forTimeInterval: 0.05)
            }
            done.signal()
        }
    }

    /// Stops and returns the peak, in MB.
    func finish() -> Double {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { peak }
    }
}
