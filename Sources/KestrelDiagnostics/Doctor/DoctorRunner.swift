import Kestrel

/// One training run `Doctor` asks for: an arm's changes (none for the baseline) applied to the
/// baseline recipe, trained with one seed.
public struct DoctorJob: Sendable, Codable, Equatable {
    /// The arm's changes, applied in order to the baseline recipe (`RemedyCatalog.recipe`).
    public var changes: [RemedyChange]
    /// The run's seed (weights, shuffling, dropout, augmentation).
    public var seed: UInt64

    /// A run of `changes` with `seed`.
    public init(changes: [RemedyChange], seed: UInt64) {
        self.changes = changes
        self.seed = seed
    }
}

/// Where `Doctor`'s runs are trained: one after another in this process
/// (`SequentialDoctorRunner`), or several at once in worker processes (`DoctorWorkerPool`).
/// A run's result depends only on its recipe, seed, data and thread count, never on the runner.
public protocol DoctorRunner: Sendable {
    /// How many runs go at once (1: one after another).
    var parallelism: Int { get }
    /// Trains every job on `data` (each recipe is `job.changes` applied to `base`), calls
    /// `finished(index, result)` on the calling thread as each run ends, and returns the results
    /// in job order.
    func train(_ jobs: [DoctorJob], base: TrainingRecipe, data: TrainingData,
               finished: (Int, DoctorRunResult) throws -> Void) throws -> [DoctorRunResult]
}

/// Trains the runs one after another in this process, each with the engine's thread count.
public struct SequentialDoctorRunner: DoctorRunner {
    /// Always 1.
    public var parallelism: Int { 1 }

    /// A runner in this process.
    public init() {}

    /// Trains the jobs in order.
    public func train(_ jobs: [DoctorJob], base: TrainingRecipe, data: TrainingData,
                      finished: (Int, DoctorRunResult) throws -> Void) throws -> [DoctorRunResult] {
        try jobs.enumerated().map { index, job in
            let result = try Self.run(job, base: base, data: data)
            try finished(index, result)
            return result
        }
    }

    /// Trains one job and scores it (test set, else the last val_accuracy). `ranksTrainIndependently`: this
    /// process is one of several that share a sweep's runs (`RecipeTrainer.ranksTrainIndependently`).
    public static func run(_ job: DoctorJob, base: TrainingRecipe, data: TrainingData,
                           ranksTrainIndependently: Bool = false) throws -> DoctorRunResult {
        guard let recipe = RemedyCatalog.recipe(base, applying: job.changes) else {
            throw TrainingRecipeError(message: "The doctor's changes \(job.changes) do not apply to the model \(RecipeText.specification(base.specification)).")
        }
        var trainer = RecipeTrainer(recipe: recipe, data: data)
        trainer.ranksTrainIndependently = ranksTrainIndependently
        let run = try trainer.train(seed: job.seed, verbose: .silent, callbackVerbose: 0)
        return try DoctorRunResult(run: run, test: data.test, restoredBest: recipe.callbacks.earlyStopping?.monitor == "val_loss",
                                   model: ModelFacts(recipe: recipe, data: data))
    }
}
