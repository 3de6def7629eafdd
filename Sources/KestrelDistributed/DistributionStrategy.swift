/// How `fit(…, distribution:)` spreads training over processes (Keras's distribution API in spirit,
/// Horovod's mechanics).
public enum DistributionStrategy: Sendable {
    /// Data parallelism: `communicator` (default: `Communicators.world()`, Open MPI under `mpirun`)
    /// averages gradients in all-reduce buckets of `bucketBytes`.
    case dataParallel(communicator: (any Communicator)? = nil, bucketBytes: Int = 64 << 20)
}
