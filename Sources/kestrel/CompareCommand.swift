import ArgumentParser
import Foundation
import KestrelDiagnostics

/// `kestrel compare`: several training logs side by side — variants of an experiment, or runs of
/// one variant — in one table and one HTML report.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare training logs (variants, or several runs of each) in one table and one HTML report.",
        discussion: """
        Each LOG is a Kestrel history JSON, a Keras CSVLogger CSV or a Keras history.history JSON. \
        Its label is the file name without extension, or NAME when written NAME=PATH. Logs with the \
        same label are runs of one variant (mean ± std across them). Example:
          kestrel compare small=out/a/history.json big=out/b/history.json --output out/compare.html
        """
    )

    @Argument(help: "Training logs to compare, as PATH or NAME=PATH.")
    var logs: [String]

    @Option(help: "Where to write the HTML report.")
    var output: String = "out/compare.html"

    @Option(help: "The report's title.")
    var title: String = "Kestrel comparison"

    @Option(help: "The metric that defines each run's best epoch.")
    var monitor: String = "val_loss"

    /// `NAME=PATH` or `PATH` → (label, path).
    static func label(_ argument: String) -> (name: String, path: String) {
        if let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
           !FileManager.default.fileExists(atPath: argument) {
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        return (URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent, argument)
    }

    func run() throws {
        guard !logs.isEmpty else { throw CommandFailure(message: "Give at least one training log to compare.") }
        var order: [String] = []
        var groups: [String: [TrainingLog]] = [:]
        for argument in logs {
            let (name, path) = Self.label(argument)
            let log: TrainingLog
            do {
                log = try TrainingLogReader.read(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure(message: String(describing: error))
            }
            if monitor != "val_loss", !log.contains(monitor) {
                throw CommandFailure(message: "--monitor '\(monitor)' is not in '\(path)'; it has \(log.metricNames.joined(separator: ", ")).")
            }
            if groups[name] == nil { order.append(name) }
            groups[name, default: []].append(log)
        }
        var options = DiagnosisOptions()
        options.monitor = monitor
        let comparison: VariantComparison
        do {
            comparison = try MultiRunAnalyzer(options: options).compare(variants: order.map { ($0, groups[$0]!) })
        } catch {
            throw CommandFailure(message: "Cannot compare these logs: \(error)")
        }
        print(TerminalReport.render(comparison))
        var report = HTMLReport(title: title, subtitle: order.map { "\($0) (\(groups[$0]!.count) run\(groups[$0]!.count == 1 ? "" : "s"))" }.joined(separator: " · "),
                                options: options)
        report.variants = comparison
        let url = URL(fileURLWithPath: output)
        try RunArtifacts.makeDirectory(url.deletingLastPathComponent(), option: "--output")
        try RunArtifacts.writeReport(report, to: url)
        print("Report: \(url.path)")
    }
}
