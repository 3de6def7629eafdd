import Foundation
import KestrelDiagnostics
import KestrelDistributed
import KestrelRecipes

/// `kestrel fit --seeds N` spread over `mpirun`'s ranks or cut into shares of a folder sweep. The runs
/// are independent and seeded, so each is the run one process would train (with the same engine
/// thread count), and the files rank 0 (or `kestrel compare DIR`) writes from them are the same.
enum SeedSweep {
    /// The run indices rank `rank` of `size` trains: run i goes to rank (seeds − 1 − i) mod size, so
    /// rank 0 trains the last run, the one the report and `--save` show.
    static func rankIndices(seeds: Int, rank: Int, size: Int) -> [Int] {
        (0..<seeds).filter { (seeds - 1 - $0) % size == rank }
    }

    /// What a rank sends rank 0: its runs, or the error that stopped it (so rank 0 does not wait in vain).
    private struct RankRuns: Codable {
        var records: [SeedRecord]
        var error: String?
    }

    /// Trains this rank's runs with `train` (given the indices), then gathers every rank's records on
    /// rank 0. Returns rank 0's own runs and every record in seed order; nil on the other ranks.
    static func trainOnRanks(_ communicator: any Communicator, seeds: Int,
                             train: ([Int]) throws -> [TrainedRun]) throws -> (runs: [TrainedRun], records: [SeedRecord])? {
        let indices = rankIndices(seeds: seeds, rank: communicator.rank, size: communicator.size)
        var runs: [TrainedRun] = []
        var failure: Error?
        do { runs = try train(indices) } catch { failure = error }
        let mine = RankRuns(records: runs.map(SeedRecord.init), error: failure.map { "\($0)" })
        let bytes = [UInt8](try DoctorWire.encoder().encode(mine))
        let gathered: [[UInt8]]?
        do {
            gathered = try SweepExchange.gather(bytes, over: communicator, longestRunSeconds: runs.map(\.trainingSeconds).max() ?? 0)
        } catch let error as DistributedError {
            throw CommandFailure(message: "Gathering the runs on rank 0 failed: \(error)")
        }
        if let failure { throw failure }
        guard let gathered else { return nil }
        var records: [SeedRecord] = []
        for (rank, part) in gathered.enumerated() {
            guard let received = try? DoctorWire.decoder().decode(RankRuns.self, from: Data(part)) else {
                throw CommandFailure(message: "Rank \(rank) sent rank 0 results it cannot read.")
            }
            if let error = received.error { throw CommandFailure(message: "Rank \(rank) failed: \(error)") }
            records += received.records
        }
        return (runs, records.sorted { $0.seed < $1.seed })
    }

    /// Trains share `shard` of the runs into `folder`: a run with a record is skipped, a run another
    /// process is training is left to it, and each run this share trains is recorded once its history
    /// is written. `train` is `TrainingSteps.trainSeeds` with the indices and the begin/end hooks.
    static func trainShare(_ shard: SweepShard, folder: SweepFolder, seeds: Int, firstSeed: UInt64,
                           train: ([Int], (UInt64) throws -> Bool, (TrainedRun) throws -> Void) throws -> [TrainedRun]) throws {
        var claims: [UInt64: RunClaim] = [:]
        var skipped: [UInt64] = [], elsewhere: [UInt64] = []
        let runs = try train(shard.runs(of: seeds), { seed in
            let key = SeedRecord.key(seed: seed)
            if folder.record(SeedRecord.self, key: key) != nil {
                skipped.append(seed)
                print("seed \(seed): finished earlier, skipped.")
                return false
            }
            guard let claim = try folder.claim(key, wait: false) else {
                elsewhere.append(seed)
                print("seed \(seed): another process is training it, left to it.")
                return false
            }
            // It may have finished between the check and the claim.
            if folder.record(SeedRecord.self, key: key) != nil {
                skipped.append(seed)
                print("seed \(seed): finished earlier, skipped.")
                return false
            }
            claims[seed] = claim
            return true
        }, { run in
            try folder.write(SeedRecord(run), key: SeedRecord.key(seed: run.seed))
            claims[run.seed] = nil
            print("seed \(run.seed): trained and recorded.")
        })
        print("\nShare \(shard): \(runs.count) run(s) trained, \(skipped.count) finished earlier, \(elsewhere.count) left to another process.")
        print("When every share has finished: kestrel compare \(SweepFolder.shellQuoted(folder.directory.path))")
    }

    /// The runs of a `fit` sweep in `folder` that have no record, as "seed 43 (share 1/2)", with the
    /// commands that make them; nil when every run is finished.
    static func missingRuns(in folder: SweepFolder, manifest: SweepFolder.Manifest) -> String? {
        let keys = manifest.runs ?? []
        let missing = keys.indices.filter { folder.record(SeedRecord.self, key: keys[$0]) == nil }
        guard !missing.isEmpty else { return nil }
        let shares = Set(missing.map { $0 % manifest.shards }).sorted()
        let runs = missing.map { "\(keys[$0].replacingOccurrences(of: "seed", with: "seed ")) (share \($0 % manifest.shards)/\(manifest.shards))" }
        return "\(missing.count) of \(keys.count) runs of the sweep in '\(folder.directory.path)' are not finished: \(runs.joined(separator: ", ")). "
            + "Make them with:\n" + shares.map { "  " + folder.command(manifest, share: $0) }.joined(separator: "\n")
    }
}
