import Foundation
import XCTest

/// Keeps each ported tutorial's stated count of lines that needed more than Swift spelling equal to its
/// `// beyond spelling:` markers, and checks every file keeps Keras lines above its Swift lines.
final class TutorialCountTests: XCTestCase {
    func testStatedCountsMatchTheMarkers() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix("Tutorial.swift") || $0.hasSuffix("Guide.swift") || $0.hasSuffix("Engineers.swift") }
        XCTAssertGreaterThanOrEqual(files.count, 10)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let markers = text.components(separatedBy: "// beyond spelling:").count - 1
            XCTAssertTrue(text.contains("Lines that needed more than Swift spelling: \(markers)"), "\(file): \(markers) markers")
            XCTAssertGreaterThanOrEqual(text.components(separatedBy: "// keras: ").count - 1, 15, file)
        }
    }
}
