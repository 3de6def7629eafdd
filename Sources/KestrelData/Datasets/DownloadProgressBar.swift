import Foundation

/// A one-line text progress bar for downloads, redrawn in place on standard error.
final class DownloadProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastDrawn = -1

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(received: Int64, expected: Int64) {
        guard enabled else { return }
        let width = 30
        if expected > 0 {
            let percent = Int(received * 100 / expected)
            guard percent != lastDrawn else { return }
            lastDrawn = percent
            let filled = width * percent / 100
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            draw("\r\(label) [\(bar)] \(percent)% \(megabytes(received))/\(megabytes(expected)) MB")
        } else {
            let megabytesReceived = Int(received >> 20)
            guard megabytesReceived != lastDrawn else { return }
            lastDrawn = megabytesReceived
            draw("\r\(label) \(megabytes(received)) MB")
        }
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        draw("\n")
    }

    private func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
