import Foundation

/// Assembling a folder sweep from its finished shares: `kestrel doctor --merge DIR` (the search
/// replayed from the recorded runs, with the options recorded in `DIR/sweep.json`) and `kestrel
/// compare DIR` (the histories of a finished sweep).
enum SweepMerge {
    /// `doctor --merge DIR` without the model options becomes `doctor <the sweep's options> --merge DIR`;
    /// every other command line is returned as it is.
    static func expandingMerge(_ arguments: [String]) throws -> [String] {
        guard arguments.first == "doctor", let folder = value(of: "--merge", in: arguments),
              value(of: "--model", in: arguments) == nil, !arguments.contains("--help"), !arguments.contains("-h") else { return arguments }
        let directory = URL(fileURLWithPath: folder, isDirectory: true)
        let manifest = try SweepFolder.readManifest(directory)
        guard manifest.command == "doctor", manifest.arguments.first == "doctor" else {
            throw CommandFailure(message: "'\(folder)' holds a `kestrel \(manifest.command)` sweep, not the doctor's; show it with kestrel compare \(SweepFolder.shellQuoted(folder)).")
        }
        return manifest.arguments + ["--merge", folder]
    }

    /// The value of `--name VALUE` or `--name=VALUE` in `arguments`.
    static func value(of name: String, in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == name, index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
        }
        return nil
    }

    /// For `kestrel compare DIR`: the history files of the sweep in `folder` (a `fit` sweep's runs in
    /// seed order; a merged doctor sweep's arms, baseline first), each prefixed with `prefix`; nil when
    /// `folder` holds no sweep. An unfinished sweep is an error listing the missing runs and the
    /// commands that make them.
    static func compareArguments(folder path: String, prefix: String) throws -> [String]? {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(SweepFolder.manifestName).path) else { return nil }
        let manifest = try SweepFolder.readManifest(directory)
        let folder = SweepFolder(directory: directory)
        if manifest.command == "doctor" {
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("doctor.txt").path) else {
                throw CommandFailure(message: "The doctor's sweep in '\(path)' has not been merged; run kestrel doctor --merge \(SweepFolder.shellQuoted(path)) first (it says which runs are missing, if any).")
            }
            let arms = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { name in
                var isFolder: ObjCBool = false
                let full = directory.appendingPathComponent(name).path
                return name != "runs" && FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) && isFolder.boolValue
            }.sorted { ($0 == "baseline" ? 0 : 1, $0) < ($1 == "baseline" ? 0 : 1, $1) }
            return try CompareCommand.expandingFolders(arms.map { prefix.isEmpty ? directory.appendingPathComponent($0).path : prefix + directory.appendingPathComponent($0).path })
        }
        if let missing = SeedSweep.missingRuns(in: folder, manifest: manifest) { throw CommandFailure(message: missing) }
        let stems = (manifest.runs ?? []).count > 1 ? (manifest.runs ?? []).map { "history-" + $0 } : ["history"]
        return stems.map { prefix + directory.appendingPathComponent($0 + ".json").path }
    }
}
