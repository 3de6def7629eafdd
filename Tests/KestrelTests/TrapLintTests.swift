import Foundation
import XCTest

/// Kestrel throws errors instead of trapping: `try!`, `fatalError`, `precondition` and an empty
/// `catch {}` may appear in Sources only where the allow-list below says why they cannot be
/// reached from user input.
final class TrapLintTests: XCTestCase {
    /// (file path below Sources/, the trap's text, why it is acceptable), one entry per occurrence.
    private let allowed: [(file: String, trap: String, reason: String)] = [
        ("Benchmarks/EngineBenchmark.swift", "try!", "benchmark program: fixed valid 1024²/2048² shapes, no user input"),
        ("Benchmarks/EngineBenchmark.swift", "try!", "benchmark program: fixed valid 1024²/2048² shapes, no user input"),
        ("KestrelTensor/Backends/Host/TensorBuffer.swift", "fatalError",
         "TensorBuffer is internal to KestrelTensor: init(count:) is called only by engine operations, for results no larger than existing tensors or broadcasts checked first by Tensor.checkResult; results whose size user shapes choose (matmul, conv2d, depthwiseConv2d, gather, the factories) use init(checkedCount:), which throws before allocating and when the allocation fails"),
        ("KestrelTensor/Backends/Host/TensorBuffer.swift", "precondition",
         "internal view initialiser; Tensor.slice checks the row range and throws before making the view"),
    ]

    private static let traps = ["try!", "fatalError(", "preconditionFailure(", "precondition(", "catch {}", "catch { }"]

    private var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    /// Every trap in Sources as (file below Sources/, trap name, line number), comments excluded.
    private func trapsInSources() throws -> [(file: String, trap: String, line: Int)] {
        let root = sourcesFolder.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [(String, String, Int)] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: root + relative, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                for trap in Self.traps where code.contains(trap) {
                    let name = trap.hasSuffix("(") ? String(trap.dropLast()) : trap.hasPrefix("catch") ? "catch {}" : trap
                    if name == "precondition" && code.contains("preconditionFailure(") { continue }
                    found.append((relative, name, number + 1))
                }
            }
        }
        return found
    }

    func testEveryTrapInSourcesIsAllowListedWithAReason() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: sourcesFolder.appendingPathComponent("Kestrel").path),
                      "Sources not found at \(sourcesFolder.path)")
        var remaining = allowed
        var unexplained: [String] = []
        for (file, trap, line) in try trapsInSources() {
            if let index = remaining.firstIndex(where: { $0.file == file && $0.trap == trap }) {
                remaining.remove(at: index)
            } else {
                unexplained.append("Sources/\(file):\(line): \(trap)")
            }
        }
        XCTAssertEqual(unexplained, [], "throw a KestrelError instead, or add an allow-list entry with the reason")
        XCTAssertEqual(remaining.map { "\($0.file): \($0.trap)" }, [], "allow-list entries no longer needed; remove them")
        for entry in allowed { XCTAssertFalse(entry.reason.isEmpty) }
    }

    func testTheLintFindsTraps() throws {
        let found = try trapsInSources()
        XCTAssertTrue(found.contains { $0.file == "KestrelTensor/Backends/Host/TensorBuffer.swift" && $0.trap == "fatalError" })
    }
}
