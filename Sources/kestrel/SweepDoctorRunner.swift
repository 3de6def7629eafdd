import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelDistributed
import KestrelRecipes

/// Where `kestrel doctor`'s runs go in a sweep. Every process runs the same search (`Doctor.examine`),
/// which asks for its runs wave by wave; the next wave depends on the results (the remedies on the
/// baseline's verdict, the combination on the remedies), so every process needs every result:
///
/// - `.ranks`: under `mpirun`, run k of the sweep goes to rank k mod R; after each wave the ranks
///   exchange their results, so all ranks take the same next step. Rank 0 prints and writes.
/// - `.share`: a share of a folder sweep first reads the runs already recorded, then trains its own
///   runs (k mod N = i), then the other runs the search needs to go on: one that another share is
///   training it waits for (its claim lock), one that no process is training it trains itself, so a
///   share never waits for a share that has not started (or died). Each run is recorded once.
/// - `.merge`: `kestrel doctor --merge DIR` trains nothing; a run without a record stops it with the
///   list of missing runs and the commands that make them.
///
/// The search runs in one thread; this class is `@unchecked Sendable` for `DoctorRunner`'s sake only.
final class SweepDoctorRunner: DoctorRunner, @unchecked Sendable {
    /// Where the runs come from.
    enum Mode {
        case ranks(any Communicator)
        case share(SweepShard, SweepFolder)
        case merge(SweepFolder, SweepFolder.Manifest)
    }

    private let mode: Mode
    /// Runs asked for so far (the sweep's run number of the next job).
    private var asked = 0
    /// The longest run seen, for how long an exchange may wait.
    private var longestRunSeconds = 0.0
    /// Readable names of the arms by their changes, for messages.
    var names: [[RemedyChange]: String] = [[]: "baseline"]
    /// Runs this process trained and runs it found recorded.
    private(set) var trained = 0, reused = 0

    init(_ mode: Mode) { self.mode = mode }

    /// The ranks under `mpirun`; 1 otherwise.
    var parallelism: Int {
        if case let .ranks(communicator) = mode { return communicator.size }
        return 1
    }

    func train(_ jobs: [DoctorJob], base: TrainingRecipe, data: TrainingData,
               finished: (Int, DoctorRunResult) throws -> Void) throws -> [DoctorRunResult] {
        let first = asked
        asked += jobs.count
        let results: [DoctorRunResult]
        switch mode {
        case let .ranks(communicator): results = try exchange(jobs, first: first, communicator: communicator, base: base, data: data)
        case let .share(shard, folder): results = try share(jobs, first: first, shard: shard, folder: folder, base: base, data: data)
        case let .merge(folder, manifest): results = try merged(jobs, first: first, folder: folder, manifest: manifest)
        }
        for (index, result) in results.enumerated() { try finished(index, result) }
        return results
    }

    /// "baseline, seed 42" / "+ dropout 0.5 after dense 128, seed 43".
    func describe(_ job: DoctorJob) -> String { "\(name(of: job.changes)), seed \(job.seed)" }

    /// The arm's name: a remedy's, or two remedies' joined by "and" (a combination applies the first
    /// one's changes, then the second's), else the changes as data.
    private func name(of changes: [RemedyChange]) -> String {
        if let name = names[changes] { return name }
        for split in changes.indices.dropFirst() {
            if let first = names[Array(changes[..<split])], let second = names[Array(changes[split...])] { return first + " and " + second }
        }
        return changes.map { "\($0)" }.joined(separator: " and ")
    }

    // MARK: ranks

    /// What a rank sends the others after a wave: its runs (by job index) or the error that stopped it.
    private struct RankResults: Codable {
        var indices: [Int]
        var results: [DoctorRunResult]
        var error: String?
    }

    private func exchange(_ jobs: [DoctorJob], first: Int, communicator: any Communicator,
                          base: TrainingRecipe, data: TrainingData) throws -> [DoctorRunResult] {
        var mine = RankResults(indices: [], results: [])
        do {
            for index in jobs.indices where (first + index) % communicator.size == communicator.rank {
                let result = try SequentialDoctorRunner.run(jobs[index], base: base, data: data, ranksTrainIndependently: true)
                mine.indices.append(index)
                mine.results.append(result)
                longestRunSeconds = max(longestRunSeconds, result.seconds)
            }
        } catch {
            mine.error = "\(error)"
        }
        let parts: [[UInt8]]
        do {
            parts = try SweepExchange.allgather([UInt8](try DoctorWire.encoder().encode(mine)), over: communicator,
                                                longestRunSeconds: longestRunSeconds)
        } catch let error as DistributedError {
            throw CommandFailure(message: "Exchanging the doctor's runs between the ranks failed: \(error)")
        }
        var results = [DoctorRunResult?](repeating: nil, count: jobs.count)
        for (rank, part) in parts.enumerated() {
            guard let received = try? DoctorWire.decoder().decode(RankResults.self, from: Data(part)),
                  received.indices.count == received.results.count, received.indices.allSatisfy(jobs.indices.contains) else {
                throw CommandFailure(message: "Rank \(rank) sent results the others cannot read.")
            }
            if let error = received.error { throw CommandFailure(message: "Rank \(rank) failed: \(error)") }
            for (index, result) in zip(received.indices, received.results) {
                results[index] = result
                longestRunSeconds = max(longestRunSeconds, result.seconds)
            }
        }
        return try results.enumerated().map { index, result in
            guard let result else { throw CommandFailure(message: "No rank trained \(describe(jobs[index])).") }
            return result
        }
    }

    // MARK: shares

    /// A run's record: the job (checked on reading) and its result.
    private struct RunRecord: Codable {
        var job: DoctorJob
        var result: DoctorRunResult
    }

    /// The record key of `job`: a hash of its changes (FNV-1a, 64 bits) and its seed.
    static func key(_ job: DoctorJob) -> String {
        let changes = (try? DoctorWire.encoder().encode(job.changes)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in changes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "run-" + String(repeating: "0", count: 16 - hex.count) + hex + "-seed\(job.seed)"
    }

    private func recorded(_ job: DoctorJob, in folder: SweepFolder) -> DoctorRunResult? {
        guard let record = folder.record(RunRecord.self, key: Self.key(job)), record.job == job else { return nil }
        return record.result
    }

    private func share(_ jobs: [DoctorJob], first: Int, shard: SweepShard, folder: SweepFolder,
                       base: TrainingRecipe, data: TrainingData) throws -> [DoctorRunResult] {
        var results = jobs.map { recorded($0, in: folder) }
        for (index, result) in results.enumerated() where result != nil {
            reused += 1
            print("  \(describe(jobs[index])): finished earlier, skipped.")
        }
        // This share's runs first, then the others the search needs (waiting for those in progress).
        let own = jobs.indices.filter { results[$0] == nil && (first + $0) % shard.count == shard.index }
        for index in own {
            guard let claim = try folder.claim(Self.key(jobs[index]), wait: false) else { continue }
            results[index] = try trainOrRead(jobs[index], folder: folder, base: base, data: data, claim: claim, note: "trained here")
        }
        for index in jobs.indices where results[index] == nil {
            guard let claim = try folder.claim(Self.key(jobs[index]), wait: true) else { continue }
            results[index] = try trainOrRead(jobs[index], folder: folder, base: base, data: data, claim: claim,
                                             note: "trained here (share \((first + index) % shard.count)/\(shard.count) had not)")
        }
        return try results.enumerated().map { index, result in
            guard let result else { throw CommandFailure(message: "The run \(describe(jobs[index])) could not be claimed in '\(folder.directory.path)'.") }
            return result
        }
    }

    /// Under `claim`: the run's record if another process finished it meanwhile, else the run trained and recorded.
    private func trainOrRead(_ job: DoctorJob, folder: SweepFolder, base: TrainingRecipe, data: TrainingData,
                             claim: RunClaim, note: String) throws -> DoctorRunResult {
        if let result = recorded(job, in: folder) {
            reused += 1
            print("  \(describe(job)): finished by another share.")
            return result
        }
        let result = try SequentialDoctorRunner.run(job, base: base, data: data)
        try folder.write(RunRecord(job: job, result: result), key: Self.key(job))
        withExtendedLifetime(claim) {}
        trained += 1
        print("  \(describe(job)): \(note).")
        return result
    }

    // MARK: merge

    private func merged(_ jobs: [DoctorJob], first: Int, folder: SweepFolder, manifest: SweepFolder.Manifest) throws -> [DoctorRunResult] {
        let results = jobs.map { recorded($0, in: folder) }
        let missing = jobs.indices.filter { results[$0] == nil }
        guard missing.isEmpty else {
            let shares = Set(missing.map { (first + $0) % manifest.shards }).sorted()
            let list = missing.map { "\(describe(jobs[$0])) (share \((first + $0) % manifest.shards)/\(manifest.shards))" }
            throw CommandFailure(message: "The sweep in '\(folder.directory.path)' is not finished: \(missing.count) run(s) the search needs next have no record: "
                + list.joined(separator: "; ") + ". Make them with (each share also trains the runs of shares that have not run, and skips finished ones):\n"
                + shares.map { "  " + folder.command(manifest, share: $0) }.joined(separator: "\n")
                + "\nthen run kestrel doctor --merge \(SweepFolder.shellQuoted(folder.directory.path)) again.")
        }
        reused += jobs.count
        return results.compactMap { $0 }
    }
}
