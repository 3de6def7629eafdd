import Foundation
import XCTest
@testable import KestrelDiagnostics

/// What the labelled-run suites (`DiagnosisCorpusTests`, `DiagnosisHeldOutTests`) share: judging each run's
/// verdict against its label, checking every sentence against its log, and keeping their matrix in
/// Docs/DiagnosisCorpus.md equal to the measured one.
enum CorpusJudging {
    /// One judged run: its file, its label and the diagnosis of its log.
    typealias Judged = (file: String, label: String, log: TrainingLog, diagnosis: Diagnosis)

    /// Asserts that each run's verdict is one its label accepts, except the runs of `explainedMisses`
    /// (file → reason), which must still be wrong (a miss that is now right must leave the list).
    static func assertVerdictsMatchLabels(_ runs: [Judged], explainedMisses: [String: String],
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        for run in runs {
            let accepted = try XCTUnwrap(DiagnosisCorpusTests.acceptedVerdicts[run.label], run.label, file: file, line: line)
            if let reason = explainedMisses[run.file] {
                XCTAssertFalse(accepted.contains(run.diagnosis.verdict),
                               "\(run.file) is listed as a miss (\(reason)) but is now right: drop it from the list", file: file, line: line)
                continue
            }
            XCTAssertTrue(accepted.contains(run.diagnosis.verdict),
                          "\(run.file) (\(run.label)): \(run.diagnosis.verdict.rawValue) — \(run.diagnosis.headline) \(run.diagnosis.evidence)",
                          file: file, line: line)
        }
    }

    /// Asserts that no sentence of any diagnosis contradicts its log (`DiagnosisChecker`).
    static func assertNoContradictions(_ runs: [Judged], file: StaticString = #filePath, line: UInt = #line) {
        for run in runs {
            XCTAssertEqual(DiagnosisChecker.contradictions(in: run.diagnosis, log: run.log), [], run.file, file: file, line: line)
        }
    }

    /// Asserts that Docs/DiagnosisCorpus.md holds `table` between `<!-- marker: begin -->` and
    /// `<!-- marker: end -->`; with KESTREL_WRITE_CORPUS_DOC=1 it writes the table there first.
    static func assertDocumentHolds(_ table: String, marker: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/DiagnosisCorpus.md")
        if ProcessInfo.processInfo.environment["KESTREL_WRITE_CORPUS_DOC"] == "1" {
            var document = try String(contentsOf: documentURL, encoding: .utf8)
            if let start = document.range(of: "<!-- \(marker): begin -->"), let stop = document.range(of: "<!-- \(marker): end -->") {
                document.replaceSubrange(start.upperBound..<stop.lowerBound, with: "\n" + table + "\n")
                try document.write(to: documentURL, atomically: true, encoding: .utf8)
            }
        }
        let document = try String(contentsOf: documentURL, encoding: .utf8)
        XCTAssertTrue(document.contains(table), "Docs/DiagnosisCorpus.md is out of date; regenerate it:\n\(table)", file: file, line: line)
    }
}
