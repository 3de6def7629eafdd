import Foundation

/// What the launcher told this process through its environment: Open MPI's `mpirun` sets
/// `OMPI_COMM_WORLD_RANK` and `OMPI_COMM_WORLD_SIZE` (PMIx launchers `PMIX_RANK`, Slurm's `srun`
/// `SLURM_PROCID`/`SLURM_NTASKS`).
public struct LaunchEnvironment: Sendable, Equatable {
    /// This process's rank as the launcher numbered it.
    public let rank: Int
    /// How many processes the launcher started.
    public let size: Int
    /// The variable the values came from (for messages).
    public let source: String

    /// The launch seen in `environment` (by default this process's), or nil when no launcher set a
    /// group of processes. Malformed values throw, naming the variable.
    public static func detect(_ environment: [String: String] = LaunchEnvironment.processEnvironment()) throws -> LaunchEnvironment? {
        let pairs = [("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE"), ("SLURM_PROCID", "SLURM_NTASKS")]
        for (rankName, sizeName) in pairs {
            guard let rankText = environment[rankName], let sizeText = environment[sizeName] else { continue }
            guard let size = Int(sizeText), size >= 1, size <= 1 << 20 else {
                throw DistributedError(rank: 0, "\(sizeName)=\(sizeText) is not a process count between 1 and 1048576.")
            }
            guard let rank = Int(rankText), rank >= 0, rank < size else {
                throw DistributedError(rank: 0, "\(rankName)=\(rankText) is not a rank between 0 and \(size - 1) (\(sizeName)=\(size)).")
            }
            return LaunchEnvironment(rank: rank, size: size, source: rankName)
        }
        return nil
    }

    /// This process's environment variables.
    public static func processEnvironment() -> [String: String] { ProcessInfo.processInfo.environment }
}
