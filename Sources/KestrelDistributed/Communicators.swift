/// Where a `Communicator` comes from.
public enum Communicators {
    /// The processes this one was launched with: Open MPI's world under `mpirun` (with the `MPI` trait),
    /// else the group of this process alone. Under `mpirun` an unbound rank's thread count becomes its
    /// share of the machine's cores (see `RankThreads`); a bound rank already follows its cores. Under a launcher of several processes without the `MPI`
    /// trait it throws, since each process would otherwise train alone on all the data.
    public static func world(environment: [String: String] = LaunchEnvironment.processEnvironment()) throws -> any Communicator {
        let launch = try LaunchEnvironment.detect(environment)
        #if MPI
        if launch != nil {
            let world = try MPICommunicator.world()
            try RankThreads.apply(localRanks: RankThreads.localRanks(environment), environment: environment)
            return world
        }
        #else
        if let launch, launch.size > 1 {
            throw DistributedError(rank: launch.rank, "this process is rank \(launch.rank) of \(launch.size) (\(launch.source)), but Kestrel "
                + "was built without the MPI trait; build with `swift build --traits MPI` (needs libopenmpi-dev) or run one process.")
        }
        #endif
        return SingleProcessCommunicator()
    }

    /// Whether this build can talk to Open MPI (the package's `MPI` trait was enabled).
    public static var isMPIAvailable: Bool {
        #if MPI
        return true
        #else
        return false
        #endif
    }
}
