import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelRecipes

/// The steps `kestrel demo`, `fit` and `doctor` share after the data are loaded: training one or
/// more seeds, evaluating on the test set, and diagnosing — each printing what the user sees.
enum TrainingSteps {
    /// Trains `seeds` runs with seeds `firstSeed`, `firstSeed + 1`, … (only the runs at `indices` when
    /// given: a sweep's share or rank). The first run's model summary is printed; each run's history is
    /// written into `directory` as `history.*` (one seed) or `history-seed<N>.*`. `begin` may decline a
    /// run (a sweep's finished or claimed run); `end` sees each run after its history is written.
    /// `quiet` prints nothing (a rank other than 0). A training failure becomes a `CommandFailure`.
    /// With `indices`, the models of the runs left to others are built (not trained) in their place,
    /// so each run's layers get the names (`dense_2`, …) they get when one process trains every run.
    static func trainSeeds(_ trainer: RecipeTrainer, seeds: Int, firstSeed: UInt64, verbosity: Verbosity,
                           directory: URL, writesHistory: Bool = true, indices: [Int]? = nil, quiet: Bool = false,
                           begin: (UInt64) throws -> Bool = { _ in true }, end: (TrainedRun) throws -> Void = { _ in },
                           extraCallbacks: (UInt64) throws -> [Callback] = { _ in [] },
                           fit: RecipeTrainer.CustomFit? = nil) throws -> [TrainedRun] {
        var runs: [TrainedRun] = []
        let indices = indices ?? Array(0..<seeds)
        var progress = RunProgress(total: indices.count)
        var named = 0
        for index in indices {
            let runSeed = firstSeed &+ UInt64(index)
            guard try begin(runSeed) else { continue }
            while named < index {
                _ = try commandFailure { try trainer.recipe.makeModel(for: trainer.data, seed: firstSeed &+ UInt64(named)) }
                named += 1
            }
            named = index + 1
            let run = try commandFailure {
                try trainer.train(seed: runSeed, verbose: quiet ? .silent : verbosity, callbackVerbose: quiet ? 0 : 1,
                                  extraCallbacks: try extraCallbacks(runSeed), fit: fit) { network in
                    if runs.isEmpty, !quiet { network.summary() }
                    // Which run is going and the overall ETA; Keras's progress line follows for this run.
                    if seeds > 1, !quiet { print("\n" + progress.begin("seed \(runSeed)")) }
                }
            }
            progress.end(seconds: run.trainingSeconds)
            if writesHistory {
                try RunArtifacts.writeHistory(run.history, directory: directory, stem: seeds > 1 ? "history-seed\(runSeed)" : "history")
            }
            try end(run)
            runs.append(run)
        }
        return runs
    }

    /// The test loss and accuracy of `run`, printed as "Test loss: … - test accuracy: …".
    static func evaluate(_ run: TrainedRun, on test: LabeledImages, trailingNewline: Bool = false) throws -> HoldoutMetrics {
        let holdout = try run.evaluate(test)
        print(String(format: "Test loss: %.4f - test accuracy: %.4f", holdout.values["loss"] ?? .nan, holdout.values["accuracy"] ?? .nan)
              + (trailingNewline ? "\n" : ""))
        return holdout
    }

    /// Diagnoses `log` (with the held-out scores, if any) and prints the terminal report.
    static func diagnose(_ log: TrainingLog, holdout: HoldoutMetrics?, options: DiagnosisOptions = DiagnosisOptions(),
                         model: ModelFacts = .unknown) -> Diagnosis {
        let diagnosis = CurveAnalyzer(options: options).diagnose(log, holdout: holdout, model: model)
        print(TerminalReport.render(diagnosis, log: log, color: isatty(STDOUT_FILENO) != 0, options: options))
        return diagnosis
    }

    /// Runs `body`, turning a library error (a recipe that does not fit the data, a failed fit) into
    /// a one-sentence `CommandFailure`.
    static func commandFailure<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TrainingRecipeError {
            throw CommandFailure(message: error.message)
        }
    }
}
