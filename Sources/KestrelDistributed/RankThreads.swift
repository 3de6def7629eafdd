import Foundation
import Kestrel

/// Threads per rank: a rank that `mpirun` bound to cores (`--bind-to core`, Open MPI's default for two
/// ranks or fewer) already gets one thread per core of its mask, since Kestrel's pool is sized from the
/// affinity mask. A rank left unbound (`--bind-to none`) would see every core of the machine, and N ranks
/// on one machine would run N × cores threads; such a rank gets its share of the cores instead,
/// cores / local ranks (at least one), unless `KESTREL_NUM_THREADS` or `setThreadCount` chose a count.
enum RankThreads {
    /// Applies the share for a launch with `localRanks` ranks on this machine; returns the thread count.
    @discardableResult
    static func apply(localRanks: Int, environment: [String: String]) throws -> Int {
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard localRanks > 1, environment["KESTREL_NUM_THREADS"] == nil, online > 0, Kestrel.threadCount == online else {
            return Kestrel.threadCount
        }
        try Kestrel.setThreadCount(max(1, online / localRanks))
        return Kestrel.threadCount
    }

    /// Ranks on this machine, from Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE` (or Slurm's
    /// `SLURM_NTASKS_PER_NODE`); 1 when not given.
    static func localRanks(_ environment: [String: String]) -> Int {
        let text = environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? environment["SLURM_NTASKS_PER_NODE"] ?? "1"
        return Int(text).map { min(max($0, 1), 1 << 20) } ?? 1
    }
}
