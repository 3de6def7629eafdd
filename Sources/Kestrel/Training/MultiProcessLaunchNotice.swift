import Foundation

/// The line a plain `fit` prints when an MPI launcher started several processes: Kestrel does not turn
/// a plain `fit` into data-parallel training behind the user's back (neither Keras nor Horovod does;
/// each needs the strategy or optimizer named in the code), so each rank would train alone on all the
/// data. Rank 0 says so once per process, on standard error, with the fix; `KESTREL_INDEPENDENT_RANKS=1`
/// silences it when independent runs (a sweep, one seed per rank) are what was meant.
enum MultiProcessLaunchNotice {
    /// Prints the notice (once per process, rank 0 only) when launched as one of several MPI ranks.
    static func noteFitWithoutDistribution() { _ = printedOnce }

    private static let printedOnce: Void = {
        guard let text = message(ProcessInfo.processInfo.environment) else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }()

    /// The notice for this environment, or nil when it needs none (no launcher, one rank, not rank 0,
    /// or silenced).
    static func message(_ environment: [String: String]) -> String? {
        guard environment["KESTREL_INDEPENDENT_RANKS"] != "1" else { return nil }
        for (rankName, sizeName) in [("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE")] {
            guard let size = environment[sizeName].flatMap({ Int($0) }), size > 1 else { continue }
            guard environment[rankName].flatMap({ Int($0) }) == 0 else { return nil }
            return "Kestrel: this process is rank 0 of \(size) (\(sizeName)=\(size)), but fit was given no distribution, so every "
                + "rank trains alone on all the data. For data-parallel training call fit(…, distribution: .dataParallel()) "
                + "(import KestrelDistributed); set KESTREL_INDEPENDENT_RANKS=1 if independent runs are what you want."
        }
        return nil
    }
}
