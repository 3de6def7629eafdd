import Foundation
import Kestrel
import KestrelDiagnostics

/// The files a training command leaves behind: history JSON + CSV and the HTML report (assembled by
/// the library's `Report`).
enum RunArtifacts {
    /// Creates `directory` (and parents) or says which option to change.
    static func makeDirectory(_ directory: URL, option: String) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(message: "Cannot create the output directory '\(directory.path)' (\(error.localizedDescription)); pass another \(option).")
        }
    }

    /// Writes `history` as `<stem>.json` and `<stem>.csv` in `directory`; returns both paths.
    @discardableResult
    static func writeHistory(_ history: History, directory: URL, stem: String) throws -> [String] {
        let paths = ["json", "csv"].map { directory.appendingPathComponent("\(stem).\($0)").path }
        do {
            for path in paths { try history.save(to: path) }
        } catch {
            throw CommandFailure(message: "Cannot write the history next to the report: \(error).")
        }
        return paths
    }

    /// The report and figures a run writes after training; `removeStaleReport` deletes them.
    static let reportFiles = ["report.html", "curves.png", "confusion_matrix.png", "predictions.png"]

    /// Removes an earlier run's report and figures from `directory` before a new run writes there, so
    /// a run that stops before its report (a full disk, an error) does not leave its new history
    /// beside the old run's report.
    static func removeStaleReport(in directory: URL) {
        for name in reportFiles { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
    }

    /// Writes the report, turning a write failure into a one-sentence error.
    static func writeReport(_ report: HTMLReport, to url: URL) throws {
        do {
            try report.write(to: url)
        } catch {
            throw CommandFailure(message: "Cannot write the report to '\(url.path)': \(error).")
        }
    }
}
