import Foundation

/// The "normal client" of the abuse test: loads `GET /` every `interval` seconds on a thread of its own and keeps
/// each answer's latency (a failed or refused load counts as a failure, with the time it took).
final class LatencyProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var failures = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    /// Starts loading `http://127.0.0.1:port/`.
    init(port: Int, interval: Double = 0.1) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let (status, seconds) = AbuseClient.get(port: port, timeout: 5)
                lock.withLock {
                    latencies.append(seconds)
                    if status != 200 { failures += 1 }
                }
                Thread.sleep(forTimeInterval: interval)
            }
            done.signal()
        }
    }

    /// Stops and returns the loads' count, failures and latency percentiles (seconds).
    func finish() -> Summary {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { Summary(latencies: latencies, failures: failures) }
    }

    /// What the normal client saw.
    struct Summary {
        let count: Int
        let failures: Int
        let p50: Double
        let p95: Double
        let p99: Double
        let maximum: Double

        init(latencies: [Double], failures: Int) {
            let sorted = latencies.sorted()
            func percentile(_ fraction: Double) -> Double {
                sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
            }
            count = sorted.count
            self.failures = failures
            p50 = percentile(0.5)
            p95 = percentile(0.95)
            p99 = percentile(0.99)
            maximum = sorted.last ?? .nan
        }

        /// "p50 / p95 / p99 / max" in milliseconds.
        var milliseconds: String {
            [p50, p95, p99, maximum].map { String(format: "%.0f", $0 * 1000) }.joined(separator: " / ")
        }
    }
}
