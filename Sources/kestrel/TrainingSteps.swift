import Foundation
import Kestrel
import KestrelDiagnostics

/// The steps `kestrel demo`, `fit` and `doctor` share after the data are loaded: training one or
/// more seeds, evaluating on the test set, and diagnosing — each printing what the user sees.
enum TrainingSteps {
    /// Trains `seeds` runs with seeds `firstSeed`, `firstSeed + 1`, … The first run's model summary
    /// is printed; each run's history is written into `directory` as `history.*` (one seed) or
    /// `history-seed<N>.*`. A training failure becomes a `CommandFailure`.
    static func trainSeeds(_ trainer: RecipeTrainer, seeds: Int, firstSeed: UInt64, verbosity: Verbosity,
                           directory: URL, extraCallbacks: (UInt64) throws -> [Callback] = { _ in [] }) throws -> [TrainedRun] {
        var runs: [TrainedRun] = []
        var progress = RunProgress(total: seeds)
        for index in 0..<seeds {
            let runSeed = firstSeed &+ UInt64(index)
            let run = try commandFailure {
                try trainer.train(seed: runSeed, verbose: verbosity, extraCallbacks: try extraCallbacks(runSeed)) { network in
                    if index == 0 { network.summary() }
                    // Which run is going and the overall ETA; Keras's progress line follows for this run.
                    if seeds > 1 { print("\n" + progress.begin("seed \(runSeed)")) }
                }
            }
            progress.end(seconds: run.trainingSeconds)
            try RunArtifacts.writeHistory(run.history, directory: directory, stem: seeds > 1 ? "history-seed\(runSeed)" : "history")
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
