/// One share of a sweep of independent runs (seeds, doctor's remedies) for a Slurm job array or
/// `--shard i/N`: share `index` of `count` takes the runs index, index + count, index + 2·count, …
/// (every run in exactly one share, shares differing by at most one run).
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// This share, 0 ..< `count`.
    public let index: Int
    /// How many shares the sweep is cut into.
    public let count: Int

    /// The whole sweep in one share.
    public static let whole = SweepShard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Share `index` of `count`; throws unless 0 ≤ index < count ≤ 1,000,000.
    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= 1_000_000, index >= 0, index < count else {
            throw DistributedError(rank: 0, "shard \(index)/\(count) does not exist: the share must be 0 ≤ i < N ≤ 1000000 (e.g. --shard 0/4).")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `--shard i/N` ("2/8").
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw DistributedError(rank: 0, "--shard '\(text)' is not of the form i/N (share i of N, counted from 0), e.g. --shard 0/4.")
        }
        try self.init(index: index, count: count)
    }

    /// The share a Slurm job array assigns: `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN` (default
    /// 0) of `SLURM_ARRAY_TASK_COUNT`; nil outside a job array. Malformed values throw, naming the variable.
    public static func fromSlurm(_ environment: [String: String]) throws -> SweepShard? {
        guard let idText = environment["SLURM_ARRAY_TASK_ID"] else { return nil }
        guard let countText = environment["SLURM_ARRAY_TASK_COUNT"] else {
            throw DistributedError(rank: 0, "SLURM_ARRAY_TASK_ID=\(idText) is set without SLURM_ARRAY_TASK_COUNT; run inside an sbatch --array job or pass --shard i/N.")
        }
        let minimumText = environment["SLURM_ARRAY_TASK_MIN"] ?? "0"
        guard let id = Int(idText), let count = Int(countText), let minimum = Int(minimumText) else {
            throw DistributedError(rank: 0, "SLURM_ARRAY_TASK_ID=\(idText), SLURM_ARRAY_TASK_MIN=\(minimumText), SLURM_ARRAY_TASK_COUNT=\(countText) are not integers.")
        }
        let (index, overflow) = id.subtractingReportingOverflow(minimum)
        guard !overflow else { throw DistributedError(rank: 0, "SLURM_ARRAY_TASK_ID=\(idText) minus SLURM_ARRAY_TASK_MIN=\(minimumText) overflows.") }
        guard let shard = try? SweepShard(index: index, count: count) else {
            throw DistributedError(rank: 0, "SLURM_ARRAY_TASK_ID=\(idText) minus SLURM_ARRAY_TASK_MIN=\(minimumText) is share \(index), which is not one of "
                + "SLURM_ARRAY_TASK_COUNT=\(countText) shares (0 ≤ i < N ≤ 1000000); submit with consecutive ids (sbatch --array=0-\(max(count - 1, 0))) or pass --shard i/N.")
        }
        return shard
    }

    /// The indices of `runs` runs that belong to this share, in order.
    public func runs(of runs: Int) -> [Int] {
        guard runs > index else { return [] }
        return Array(stride(from: index, to: runs, by: count))
    }

    /// "i/N".
    public var description: String { "\(index)/\(count)" }
}
