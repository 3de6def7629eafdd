import KestrelDiagnostics
import KestrelRecipes

/// One finished run of `kestrel fit --seeds`, as a sweep records it (`runs/seed<N>.json`) or a rank
/// sends it to rank 0: its seed, its history and how long it trained.
struct SeedRecord: Codable, Equatable {
    /// The run's seed.
    var seed: UInt64
    /// The run's history, exactly.
    var log: TrainingLog
    /// Seconds spent in `fit`.
    var seconds: Double

    /// The record of `run`.
    init(_ run: TrainedRun) {
        seed = run.seed
        log = run.log
        seconds = run.trainingSeconds
    }

    /// The record key of the run with `seed`.
    static func key(seed: UInt64) -> String { "seed\(seed)" }
}
