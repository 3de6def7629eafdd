/// Library-wide settings (Keras's `keras.utils.set_random_seed` and friends).
public enum Kestrel {
    /// This release of Kestrel (`kestrel --version`).
    public static let version = "0.1.0"
    /// The Keras release whose API, semantics and file format Kestrel follows.
    public static let kerasVersion = KerasSaving.kerasFormatVersion

    /// Makes weight initialisation, shuffling and dropout reproducible: two runs after the same seed
    /// give identical results.
    ///
    /// One difference from Keras: after `keras.utils.set_random_seed`, Keras with the TensorFlow backend
    /// repeats one shuffle order in every epoch of `fit(shuffle=True)`; Kestrel draws a new order each epoch,
    /// as unseeded Keras does (the orders still repeat from run to run with the same seed). Epoch-by-epoch
    /// losses of a seeded Keras run and a seeded Kestrel run therefore differ after the first epoch even
    /// where the arithmetic agrees.
    public static func setRandomSeed(_ seed: UInt64) {
        GlobalRandom.seed(seed)
    }

    /// Threads Kestrel's kernels use, the calling thread included (TensorFlow's
    /// `tf.config.threading.get_intra_op_parallelism_threads`).
    ///
    /// It starts as `KESTREL_NUM_THREADS` when that is set to a positive integer, otherwise as the
    /// processors this process may use: the affinity mask (`taskset`, a container's cpuset) and the
    /// cgroup CPU quota (`docker run --cpus`, Kubernetes limits), rounded up.
    public static var threadCount: Int {
        EngineConfiguration.current.threadCount
    }

    /// Sets how many threads Kestrel's kernels use, the calling thread included; 0 goes back to the
    /// automatic count (TensorFlow's `tf.config.threading.set_intra_op_parallelism_threads`).
    /// One thread runs everything on the caller, with no helper thread at all.
    public static func setThreadCount(_ count: Int) throws {
        guard count >= 0 else {
            throw KestrelError.invalidArgument("setThreadCount: the thread count must be 1 or more (or 0 for automatic), got \(count)")
        }
        let resolved = count == 0 ? EngineConfiguration.automatic.threadCount : count
        EngineConfiguration.update { $0.threadCount = resolved }
    }
}

extension Tensor {
    /// Integer class labels as a [N] tensor (the form sparse losses expect).
    public init(labels: [Int]) {
        self.init(labels.map(Float.init))
    }
}
