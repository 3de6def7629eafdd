import Foundation

/// Times repeated runs of a closure and reports the fastest and the median.
struct BenchmarkClock {
    /// Seconds of the fastest and the median of `repetitions` timed runs, after `warmUp` untimed ones.
    static func measure(warmUp: Int = 1, repetitions: Int, _ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
        for _ in 0..<warmUp { try body() }
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return (times[0], times[times.count / 2])
    }

    /// The 1-minute load average, to judge whether other work disturbed a measurement.
    static var loadAverage: String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }
}
