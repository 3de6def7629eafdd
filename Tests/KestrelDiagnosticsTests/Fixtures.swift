import Foundation

/// Locates the committed fixture files (Tests/Fixtures/diagnostics) from this source file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/diagnostics")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
}
