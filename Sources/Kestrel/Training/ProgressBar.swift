import Foundation

/// Draws Keras 3's progress line: `391/391 ━━━━━━━━━━━━━━━━━━━━ 7s 17ms/step - accuracy: 0.9938 - loss: 0.0191`.
///
/// On a terminal the line is redrawn in place (throttled to every 50 ms) with Keras's colours;
/// otherwise only the final line is printed. Verbosity 2 prints only the final line, in Keras's
/// `391/391 - 7s - 17ms/step - …` form.
final class ProgressBar {
    private let target: Int
    private let verbose: Int
    private let dynamic: Bool
    private let width = 20
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var previousWidth = 0
    private let output: (String) -> Void

    init(target: Int, verbose: Int, dynamic: Bool, output: @escaping (String) -> Void) {
        self.target = max(target, 1)
        self.verbose = verbose
        self.dynamic = dynamic
        self.output = output
    }

    /// Shows progress after `current` steps with the running `logs`; `finalize` ends the line.
    func update(_ current: Int, logs: [String: Double], finalize: Bool = false) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let timePerStep = current > 0 ? elapsed / Double(current) : 0
        let digits = String(target).count
        let count = String(repeating: " ", count: max(0, digits - String(current).count)) + "\(current)/\(target)"
        if verbose == 2 {
            guard finalize else { return }
            output("\(count) - \(Int(elapsed.rounded()))s - \(ProgressFormatting.timePerUnit(timePerStep))"
                   + ProgressFormatting.metrics(logs) + "\n")
            return
        }
        guard verbose == 1 else { return }
        if !finalize && (!dynamic || now.timeIntervalSince(lastDraw) < 0.05) { return }
        lastDraw = now
        let filled = min(width, Int(Double(width) * Double(current) / Double(target)))
        let time = finalize || current >= target
            ? "\(Int(elapsed.rounded()))s"
            : ProgressFormatting.eta(timePerStep * Double(target - current))
        let info = " \(time) \(ProgressFormatting.timePerUnit(timePerStep))" + ProgressFormatting.metrics(logs)
        let plainWidth = count.count + 1 + width + info.count
        var line: String
        if dynamic {
            line = "\r\u{1B}[1m\(count)\u{1B}[0m "
                + (filled > 0 ? "\u{1B}[32m" + String(repeating: "━", count: filled) + "\u{1B}[0m" : "")
                + "\u{1B}[37m" + String(repeating: "━", count: width - filled) + "\u{1B}[0m"
                + " \u{1B}[1m\(time)\u{1B}[0m \(ProgressFormatting.timePerUnit(timePerStep))" + ProgressFormatting.metrics(logs)
            if previousWidth > plainWidth { line += String(repeating: " ", count: previousWidth - plainWidth) }
        } else {
            line = "\(count) " + String(repeating: "━", count: width) + info
        }
        previousWidth = plainWidth
        if finalize { line += "\n" }
        output(line)
    }
}
