import Foundation
import KestrelDistributed

/// How `kestrel fit --seeds N` and `kestrel doctor` spread their independent runs: all in this
/// process; over the ranks `mpirun` started (each rank trains whole runs, one at a time, and rank 0
/// gathers the results and alone writes the summary and report); or one share of a sweep into a
/// shared folder (`--shard i/N`, or a Slurm job array's `SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT`).
enum SweepMode {
    /// One process trains every run.
    case single
    /// The ranks of an `mpirun` launch share the runs; each trains its own alone, which the command passes
    /// down (`RecipeTrainer.ranksTrainIndependently`) so that `fit` does not warn about it.
    case ranks(any Communicator)
    /// This process trains one share of the runs into the `--output` folder.
    case share(SweepShard)

    /// The mode from `--shard` (`shardOption`), else the Slurm job array, else `mpirun`'s ranks
    /// (when `ranksAllowed`); malformed values and contradictions are `CommandFailure`s.
    static func resolve(shardOption: String?, ranksAllowed: Bool,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SweepMode {
        do {
            let shard = try shardOption.map { try SweepShard(parsing: $0) } ?? SweepShard.fromSlurm(environment)
            let launch = try LaunchEnvironment.detect(environment)
            if let launch, launch.size > 1, ranksAllowed {
                if let shard {
                    let origin = shardOption != nil ? "--shard \(shard)" : "the Slurm job array (share \(shard))"
                    throw CommandFailure(message: "\(origin) and a launch of \(launch.size) processes (\(launch.source)) both split the runs; use one: "
                        + "mpirun -np N kestrel … without --shard, or one process per share.")
                }
                return .ranks(try Communicators.world(environment: environment))
            }
            return shard.map { .share($0) } ?? .single
        } catch let error as DistributedError {
            throw CommandFailure(message: error.message)
        }
    }

    /// The communicator of `.ranks`; nil otherwise.
    var communicator: (any Communicator)? {
        if case let .ranks(communicator) = self { return communicator }
        return nil
    }

    /// Whether this process prints and writes the summary and report (rank 0, or the only process).
    var isRoot: Bool { communicator?.isRoot ?? true }
}
