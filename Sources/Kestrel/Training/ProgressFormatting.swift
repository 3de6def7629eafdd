import Foundation

/// Keras's number and time formats for progress lines.
enum ProgressFormatting {
    /// A metric value: 4 decimals, or scientific notation for magnitudes ≤ 1e-3 (as Keras prints).
    static func value(_ value: Double) -> String {
        Swift.abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value)
    }

    /// Time per step: "17ms/step", "2s/step", "250us/step".
    static func timePerUnit(_ seconds: Double, unit: String = "step") -> String {
        if seconds >= 1 || seconds == 0 { return String(format: "%.0fs/%@", seconds, unit) }
        if seconds >= 1e-3 { return String(format: "%.0fms/%@", seconds * 1000, unit) }
        return String(format: "%.0fus/%@", seconds * 1_000_000, unit)
    }

    /// Remaining time: "7s", "1:05", "1:02:03".
    static func eta(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if seconds > 3600 { return String(format: "%d:%02d:%02d", whole / 3600, (whole % 3600) / 60, whole % 60) }
        if seconds > 60 { return String(format: "%d:%02d", whole / 60, whole % 60) }
        return "\(whole)s"
    }

    /// " - key: value" for each key, sorted.
    static func metrics(_ logs: [String: Double]) -> String {
        logs.keys.sorted().map { " - \($0): \(value(logs[$0] ?? .nan))" }.joined()
    }
}
