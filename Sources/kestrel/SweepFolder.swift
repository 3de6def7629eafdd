import Foundation
import Kestrel
import KestrelDiagnostics

/// The folder the shares of a sweep (`--shard i/N`, a Slurm job array) write into together:
/// `sweep.json` says which command and options the runs belong to, and each finished run is one
/// record `runs/<key>.json`, written atomically (`AtomicFile`) after the run's other files, so a run
/// is finished exactly when its record exists: a rerun skips it, and a run that was cut off
/// (no record) is trained again. While a process trains a run it holds an `flock` on
/// `runs/<key>.lock`, so two shares never train the same run at once and a share can wait for a run
/// another one is training; the kernel drops the lock when a process dies.
struct SweepFolder {
    /// The shared folder (`--output`).
    let directory: URL

    /// What every share of one sweep must agree on.
    struct Manifest: Codable, Equatable {
        /// `fit` or `doctor`.
        var command: String
        /// The command's arguments (subcommand first) without `--shard`, `--output` and `--merge`.
        var arguments: [String]
        /// N of `--shard i/N`.
        var shards: Int
        /// The record keys of every run, when known in advance (`fit --seeds`); nil for the doctor,
        /// whose later runs depend on the earlier ones' results.
        var runs: [String]?
    }

    static let manifestName = "sweep.json"

    private var runsFolder: URL { directory.appendingPathComponent("runs", isDirectory: true) }

    /// Writes the manifest, or checks that the one already there is the same sweep; a lock on
    /// `.kestrel-sweep.lock` keeps two shares starting at once from racing.
    func register(_ manifest: Manifest) throws {
        try RunArtifacts.makeDirectory(runsFolder, option: "--output")
        let lock = try RunClaim(directory.appendingPathComponent(".kestrel-sweep.lock"), wait: true)
        defer { withExtendedLifetime(lock) {} }
        let url = directory.appendingPathComponent(Self.manifestName)
        if FileManager.default.fileExists(atPath: url.path) {
            let existing = try Self.readManifest(directory)
            guard existing == manifest else {
                throw CommandFailure(message: "--output '\(directory.path)' holds another sweep: \(existing.describe()); this share is \(manifest.describe()). "
                    + "Every share of a sweep needs the same options and the same N; pass another --output.")
            }
            return
        }
        do {
            try AtomicFile.write(try DoctorWire.encoder().encode(manifest), to: url.path)
        } catch {
            throw CommandFailure(message: "Cannot write '\(url.path)': \(error); pass another --output.")
        }
    }

    /// The manifest of the sweep in `directory`, or an error that says what the folder lacks.
    static func readManifest(_ directory: URL) throws -> Manifest {
        let url = directory.appendingPathComponent(manifestName)
        guard InputFile.kind(of: url.path) != .missing else {
            throw CommandFailure(message: "'\(directory.path)' holds no sweep (no \(manifestName)); give the --output folder of `kestrel fit --seeds N --shard i/N` or `kestrel doctor --shard i/N`.")
        }
        // Bounded before reading (a FIFO would block, a huge file was read whole before its size was checked).
        let data: Data
        do { data = try InputFile.read(url.path, expected: "a Kestrel sweep manifest", limit: 1 << 20) } catch let error as DataError {
            throw CommandFailure(message: "\(error.message) Run the shares again into a new folder.")
        }
        guard let manifest = try? DoctorWire.decoder().decode(Manifest.self, from: data) else {
            throw CommandFailure(message: "'\(url.path)' is damaged (not a Kestrel sweep manifest); run the shares again into a new folder.")
        }
        return manifest
    }

    /// The finished run `key`, or nil when it has no record (not run, cut off). A damaged record
    /// (it cannot come from an interrupted write) is reported on stderr and counts as not run.
    func record<Record: Decodable>(_ type: Record.Type, key: String) -> Record? {
        let url = runsFolder.appendingPathComponent("\(key).json")
        guard InputFile.kind(of: url.path) != .missing else { return nil }
        guard let data = try? InputFile.read(url.path, expected: "a run record", limit: 256 << 20), let record = try? DoctorWire.decoder().decode(type, from: data) else {
            FileHandle.standardError.write(Data("Warning: '\(url.path)' is damaged; the run is trained again.\n".utf8))
            return nil
        }
        return record
    }

    /// Records run `key` as finished (atomically: the record is whole or absent).
    func write<Record: Encodable>(_ record: Record, key: String) throws {
        let url = runsFolder.appendingPathComponent("\(key).json")
        do {
            try AtomicFile.write(try DoctorWire.encoder().encode(record), to: url.path)
        } catch {
            throw CommandFailure(message: "Cannot record the finished run in '\(url.path)': \(error).")
        }
    }

    /// The claim on run `key`: nil when another process holds it and `wait` is false; with `wait`,
    /// blocks until that process has finished (or died).
    func claim(_ key: String, wait: Bool) throws -> RunClaim? {
        do {
            return try RunClaim(runsFolder.appendingPathComponent("\(key).lock"), wait: wait)
        } catch RunClaim.Held.held {
            return nil
        }
    }

    /// `kestrel <arguments> --output DIR --shard i/N`, quoted for a shell.
    func command(_ manifest: Manifest, share: Int) -> String {
        (["kestrel"] + manifest.arguments + ["--output", directory.path, "--shard", "\(share)/\(manifest.shards)"])
            .map(Self.shellQuoted).joined(separator: " ")
    }

    /// `text` as one shell word.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The command-line arguments (subcommand first) without `--shard`, `--output` and `--merge` and their values.
    static func sweepArguments(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        let dropped = ["--shard", "--output", "--merge"]
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if dropped.contains(argument) { skipNext = true; continue }
            if dropped.contains(where: { argument.hasPrefix($0 + "=") }) { continue }
            kept.append(argument)
        }
        return kept
    }
}

extension SweepFolder.Manifest {
    /// "kestrel fit … in 2 shares" for messages.
    func describe() -> String {
        "`kestrel \(arguments.map(SweepFolder.shellQuoted).joined(separator: " "))` in \(shards) share\(shards == 1 ? "" : "s")"
    }
}
