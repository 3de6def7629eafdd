/// How `fit(…, distribution:)` spreads training over processes (Keras's distribution API in spirit,
/// Horovod's mechanics).
public enum DistributionStrategy: Sendable {
    /// Data parallelism: `communicator` (default: `Communicators.world()`, Open MPI under `mpirun`)
    /// averages gradients in all-reduce buckets of `bucketBytes` (PyTorch DDP's 25 MiB by default: the
    /// size measured fastest here with the all-reduces overlapped with the backward pass, see
    /// Docs/DataParallel.md), started as the backward pass makes each bucket's gradients final.
    case dataParallel(communicator: (any Communicator)? = nil, bucketBytes: Int = 25 << 20)
}
