import Foundation

/// Number formatting shared by evidence sentences, charts and reports.
enum DiagnosticsFormat {
    /// Three decimals ("0.829"), or three significant digits for small magnitudes ("0.00337").
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let magnitude = abs(value)
        if magnitude != 0 && magnitude < 0.01 { return String(format: "%.3g", value) }
        if magnitude >= 10_000 { return String(format: "%.4g", value) }
        return String(format: "%.3f", value)
    }

    /// A signed percentage ("+123%", "-4.2%").
    static func percent(_ fraction: Double) -> String {
        let percent = fraction * 100
        return abs(percent) >= 10 ? String(format: "%+.0f%%", percent) : String(format: "%+.1f%%", percent)
    }

    /// An unsigned percentage for thresholds ("5%", "0.5%").
    static func plainPercent(_ fraction: Double) -> String {
        let percent = fraction * 100
        return percent == percent.rounded() ? String(format: "%.0f%%", percent) : String(format: "%.1f%%", percent)
    }

    /// A multiplier for rules and ratios ("100", "2", "2.5").
    static func factor(_ value: Double) -> String { String(format: "%g", value) }

    /// A 0-based epoch index shown 1-based, as Keras prints epochs.
    static func epoch(_ index: Int) -> String { "epoch \(index + 1)" }
}
