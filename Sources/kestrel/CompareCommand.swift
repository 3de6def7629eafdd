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
        Its label is NAME when written NAME=PATH; else the folder's name for the files `kestrel fit` \
        writes (history.json, history-seed<N>.json), else the file name without extension (with \
        its folder when two folders hold the same name). Logs with the same label are runs of one \
        variant (mean ± 95% CI half-width across them). Example:
          kestrel compare out/small/history.json out/big/history.json --output out/compare.html
          kestrel compare out/small/history-seed*.json out/big/history-seed*.json
          kestrel compare out/doctor/baseline out/doctor/dropout-0.5-after-dense-128
        With --curves METRIC the report also overlays every log's METRIC as the Keras overfit-and-underfit \
        tutorial draws it (one colour per variant, training solid, validation dashed), also written as \
        <output>-curves.svg and .png:
          kestrel compare Tiny=out/overfit-underfit/tiny-history.json Large=out/overfit-underfit/large-history.json \\
            --curves binary_crossentropy --smoothing-std 10 --log-x --y-min 0.5 --y-max 0.7
        """
    )

    @Argument(help: "Training logs to compare, as PATH or NAME=PATH; a folder stands for the history-seed<N>.json / history.json files in it.")
    var logs: [String]

    @Option(help: "Where to write the HTML report.")
    var output: String = "out/compare.html"

    @Option(help: "The report's title.")
    var title: String = "Kestrel comparison"

    @Option(help: "The metric that defines each run's best epoch.")
    var monitor: String = "val_loss"

    @Option(help: "Overlay this metric of every log (training solid, validation dashed, one colour per log), e.g. loss or binary_crossentropy.")
    var curves: String?

    @Option(parsing: .unconditional, help: "With --curves: Gaussian smoothing in epochs (the tutorial: 10).")
    var smoothingStd: Double?

    @Flag(help: "With --curves: a logarithmic epoch axis (the tutorial's \"Epochs [Log Scale]\").")
    var logX = false

    @Flag(help: "With --curves: a logarithmic metric axis.")
    var logY = false

    @Option(parsing: .unconditional, help: "With --curves: the lowest metric value shown (plt.ylim).")
    var yMin: Double?

    @Option(parsing: .unconditional, help: "With --curves: the highest metric value shown.")
    var yMax: Double?

    /// Each argument that names a folder (`DIR` or `NAME=DIR`) replaced by the histories `kestrel fit`
    /// and `kestrel doctor` write in it (`history.json`, `history-seed<N>.json`), in seed order; a
    /// folder without any is an error naming it.
    static func expandingFolders(_ arguments: [String]) throws -> [String] {
        try arguments.flatMap { argument -> [String] in
            var prefix = "", path = argument
            if let equals = argument.firstIndex(of: "="), equals != argument.startIndex, !FileManager.default.fileExists(atPath: argument) {
                prefix = String(argument[...equals])
                path = String(argument[argument.index(after: equals)...])
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [argument] }
            if let swept = try SweepMerge.compareArguments(folder: path, prefix: prefix) { return swept }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            func seed(_ name: String) -> UInt64? {
                guard name.hasPrefix("history-seed"), name.hasSuffix(".json") else { return nil }
                return UInt64(name.dropFirst("history-seed".count).dropLast(".json".count))
            }
            let seeded = names.compactMap { name in seed(name).map { (seed: $0, name: name) } }.sorted { $0.seed < $1.seed }.map(\.name)
            let found = seeded + (names.contains("history.json") ? ["history.json"] : [])
            guard !found.isEmpty else {
                throw CommandFailure(message: "'\(path)' is a folder with no history.json or history-seed<N>.json (what kestrel fit writes); pass the log files themselves.")
            }
            return found.map { prefix + (path as NSString).appendingPathComponent($0) }
        }
    }

    /// `NAME=PATH` or `PATH` → (label, path), for all arguments together: `fit`'s generic file
    /// names (`history`, `history-seed<N>`) are labelled by their folder, and a file name found
    /// in two folders gets its folder in front, so two different runs never merge silently.
    static func labels(_ arguments: [String]) -> [(name: String, path: String)] {
        let split: [(explicit: String?, path: String)] = arguments.map { argument in
            if let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
               !FileManager.default.fileExists(atPath: argument) {
                return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
            }
            return (nil, argument)
        }
        func folder(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().lastPathComponent
        }
        func stem(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        func isFitHistory(_ stem: String) -> Bool {
            stem == "history" || (stem.hasPrefix("history-seed") && UInt64(stem.dropFirst("history-seed".count)) != nil)
        }
        var foldersByStem: [String: Set<String>] = [:]
        for item in split where item.explicit == nil {
            foldersByStem[stem(item.path), default: []].insert(URL(fileURLWithPath: item.path).standardizedFileURL.deletingLastPathComponent().path)
        }
        return split.map { item -> (name: String, path: String) in
            if let name = item.explicit { return (name, item.path) }
            let name = stem(item.path)
            if isFitHistory(name) { return (folder(item.path), item.path) }
            if (foldersByStem[name]?.count ?? 0) > 1 { return (folder(item.path) + "/" + name, item.path) }
            return (name, item.path)
        }
    }

    /// Two folders with the same name (out/a/run/history.json, out/b/run/history.json) would
    /// merge two different runs under one label: refuse, naming the fix.
    static func refuseAmbiguousLabels(_ labelled: [(name: String, path: String)], explicit arguments: [String]) throws {
        var directories: [String: Set<String>] = [:]
        for ((name, path), argument) in zip(labelled, arguments) where argument == path {
            directories[name, default: []].insert(URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path)
        }
        if let (name, folders) = directories.first(where: { $0.value.count > 1 }) {
            throw CommandFailure(message: "The label '\(name)' would merge logs from different folders (\(folders.sorted().joined(separator: ", "))) into one variant; name each one, e.g. NAME=PATH.")
        }
    }

    func run() throws {
        guard !logs.isEmpty else { throw CommandFailure(message: "Give at least one training log to compare.") }
        var order: [String] = []
        var groups: [String: [TrainingLog]] = [:]
        let arguments = try Self.expandingFolders(logs)
        let labelled = Self.labels(arguments)
        try Self.refuseAmbiguousLabels(labelled, explicit: arguments)
        for (name, path) in labelled {
            let log = try TrainingLogArgument.read(path)
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
        if let curves {
            let figure = try overlaidCurves(curves, logs: labelled.map { name, _ in name }, groups: groups, order: order)
            report.figures.append(("\(curves): training solid, validation dashed", figure.svg))
            let stem = url.deletingPathExtension().path + "-curves"
            do {
                try figure.write(to: stem + ".svg")
                try figure.write(to: stem + ".png")
            } catch {
                throw CommandFailure(message: "Cannot write \(stem).svg/.png: \(error)")
            }
            print("Curves: \(stem).svg, \(stem).png")
        }
        try RunArtifacts.writeReport(report, to: url)
        print("Report: \(url.path)")
    }

    /// The `HistoryPlotter` figure of `metric` over each variant's logs (a variant with several runs
    /// contributes each run, numbered).
    private func overlaidCurves(_ metric: String, logs _: [String], groups: [String: [TrainingLog]], order: [String]) throws -> Figure {
        if let smoothingStd, !(smoothingStd >= 0 && smoothingStd.isFinite) {
            throw CommandFailure(message: "--smoothing-std must be a number ≥ 0, got \(smoothingStd).")
        }
        var plotter = HistoryPlotter(metric: metric, smoothingStd: smoothingStd)
        plotter.logX = logX
        plotter.logY = logY
        if yMin != nil || yMax != nil {
            guard let low = yMin, let high = yMax else { throw CommandFailure(message: "Give --y-min and --y-max together.") }
            guard low.isFinite, high.isFinite, low < high else { throw CommandFailure(message: "--y-min must be below --y-max.") }
            plotter.yRange = low...high
        }
        let runs = order.flatMap { name -> [(name: String, log: TrainingLog)] in
            let logs = groups[name] ?? []
            return logs.count == 1 ? [(name, logs[0])] : logs.enumerated().map { ("\(name) #\($0.offset + 1)", $0.element) }
        }
        do {
            return try plotter.figure(runs)
        } catch {
            throw CommandFailure(message: "--curves \(metric): \(error)")
        }
    }
}
