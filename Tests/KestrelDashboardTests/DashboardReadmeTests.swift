import XCTest
import Kestrel
import KestrelDashboard

/// Keeps the README's dashboard snippet compiling and in the README.
final class DashboardReadmeTests: XCTestCase {
    /// The README's snippet (compiled, not run: it binds port 8080 and trains).
    func readmeSnippet(model: Sequential, train: LabeledImages) throws {
        let dashboard = try Dashboard(port: 8080)        // http://127.0.0.1:8080/ — 127.0.0.1 unless host: says otherwise
        let history = try model.fit(train.normalizedX, train.y, epochs: 20, validationSplit: 0.2, callbacks: [dashboard])
        _ = history
    }

    func testSnippetIsTheReadmeOne() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for line in ["let dashboard = try Dashboard(port: 8080)",
                     "let history = try model.fit(train.normalizedX, train.y, epochs: 20, validationSplit: 0.2, callbacks: [dashboard])"] {
            XCTAssertTrue(text.contains(line), line)
        }
    }
}
