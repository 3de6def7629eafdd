import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics

/// `kestrel tune`: Keras Tuner's Hyperband or random search over a model template and the
/// learning rate, with `kestrel doctor`'s seeds, budget and report conventions.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search a model template's hyper-parameters and the learning rate (Keras Tuner's Hyperband or random search).",
        discussion: """
        Takes the model and data options of `kestrel fit`; --model is a MODEL SPEC (see `kestrel fit --help`) \
        with hyper-parameters in braces, each {NAME:VALUES}: an integer range 32..512 (every whole number), \
        32..512 step=32, 16..1024 log (log-uniform) or 8..512 log step=2 (8, 16, 32, …); a real range 0..0.5, \
        0..0.5 step=0.1 or 1e-4..1e-2 log; or choices relu|tanh. A name used twice is one hyper-parameter. \
        Example: --model 'flatten, dense {units:32..512 step=32} {activation:relu|tanh}, dropout {rate:0..0.5}, dense 10 softmax'. \
        --learning-rate takes a number, a range (1e-4..1e-2 log) or choices (0.01|0.001|0.0001).

        --algorithm hyperband (default, Keras Tuner's Hyperband: --max-epochs, --factor, --hyperband-iterations; \
        brackets of successive halving, the best models of each round trained on in the next) or random \
        (--max-trials trials of --epochs epochs). Each trial trains --seeds runs (the same seeds for all) and \
        scores the mean over them of the best epoch's --objective (val_accuracy; val_loss, or NAME:max / NAME:min). \
        --budget (10m, 90s, 1h, or a number of runs) ends the search before a trial that would not fit. \
        The same --seed gives the same trials.

        OUTPUT in --output: tune.txt (the results table and Keras Tuner's results summary), every run's history \
        as trial-<ID>/history-seed<N>.json (so `kestrel compare` shows them), and the best model as \
        best_model.keras (or --save), with the weights of its best epoch.
        """
    )

    @OptionGroup var training: TrainingOptions

    @Option(help: "hyperband or random.")
    var algorithm: String = "hyperband"

    @Option(name: .customLong("max-trials"), parsing: .unconditional, help: "Trials of a random search.")
    var maxTrials: Int = 10

    @Option(name: .customLong("max-epochs"), parsing: .unconditional, help: "Hyperband: the most epochs one model trains (default: --epochs).")
    var maxEpochs: Int?

    @Option(parsing: .unconditional, help: "Hyperband: the reduction factor of models and epochs per round.")
    var factor: Int = 3

    @Option(name: .customLong("hyperband-iterations"), parsing: .unconditional, help: "Hyperband: sweeps of all brackets.")
    var hyperbandIterations: Int = 1

    @Option(help: "The logged value to optimise: val_accuracy, val_loss, accuracy, loss, or NAME:max / NAME:min.")
    var objective: String = "val_accuracy"

    @Option(parsing: .unconditional, help: "Runs per trial (the same seeds for every trial), averaged.")
    var seeds: Int = 1

    @Option(help: "Limit of the search: a time (10m, 90s, 1h) or a number of runs (e.g. 30).")
    var budget: String?

    @Option(help: "Directory for tune.txt, the run histories and best_model.keras.")
    var output: String = "out/tune"

    @Option(help: "Where to save the best model (.keras; default: OUTPUT/best_model.keras).")
    var save: String?

    func run() throws {
        StandardOutput.lineBuffered()
        try TrainingOptions.checkSeeds(seeds)
        if let save, !save.hasSuffix(".keras") { throw CommandFailure(message: "--save '\(save)' must end in .keras.") }
        let tuning = try readSearch()
        let plan = try training.plan(specification: try option("--model") { try tuning.template.specification(for: tuning.template.defaultValues) },
                                     tunedLearningRate: true)
        var recipe = plan.recipe
        if tuning.learningRate == nil { recipe.learningRate = training.learningRate }
        let data = try training.loadData(plan)
        let outputURL = URL(fileURLWithPath: output, isDirectory: true)
        try RunArtifacts.makeDirectory(outputURL, option: "--output")
        print(data.description)
        let limits = try budget.map { text in try TrainingSteps.commandFailure { try DoctorBudget(parsing: text) } } ?? DoctorBudget()
        let tuner = try option("--objective") {
            try Tuner(template: tuning.template, learningRate: tuning.learningRate, recipe: recipe, data: data, algorithm: tuning.algorithm,
                      objective: try TunerObjective(parsing: objective), seeds: seeds, firstSeed: training.seed, budget: limits)
        }
        printPlan(tuner)
        let result = try TrainingSteps.commandFailure { try option("--model") { try tuner.search { try report($0, outputURL: outputURL) } } }
        let text = "Trials (* best):\n" + result.table + "\n\n" + result.summary(directory: outputURL.path)
            + (result.stopReason.map { "\n\nThe search ended early: \($0)." } ?? "")
        print("\n" + text)
        let savePath = save ?? outputURL.appendingPathComponent("best_model.keras").path
        do {
            try AtomicFile.write(text + "\n", to: outputURL.appendingPathComponent("tune.txt").path)
            try result.bestModel.save(savePath)
        } catch {
            throw CommandFailure(message: "Cannot write the tuner's results into '\(outputURL.path)' or '\(savePath)': \(error).")
        }
        print("\nBest hyper-parameters: \(result.bestValuesText) (\(tuner.objective.name) \(String(format: "%.4f", result.bestTrial.score)))")
        print("Best model: \(savePath)")
        print("Histories:  \(outputURL.path)/trial-*/history-seed*.json (kestrel compare shows them)")
    }

    /// The template, the learning rate's range and the algorithm, checked before any data is loaded.
    private func readSearch() throws -> (template: ModelTemplate, learningRate: HyperParameter?, algorithm: TunerAlgorithm) {
        let template = try option("--model") { try ModelTemplate(parsing: training.model) }
        var learningRate: HyperParameter?
        if let text = training.learningRateText, training.learningRate == nil {
            learningRate = try option("--learning-rate") {
                try HyperParameter(parsing: text.trimmingCharacters(in: CharacterSet(charactersIn: "{} ")), name: "learning_rate",
                                   context: "--learning-rate")
            }
        } else if let rate = training.learningRate, !(rate > 0 && rate.isFinite) {
            throw CommandFailure(message: "--learning-rate must be a positive number, a range (1e-4..1e-2 log) or choices (0.01|0.001), got \(rate).")
        }
        switch algorithm.lowercased() {
        case "hyperband":
            guard (2...1000).contains(factor) else {
                throw CommandFailure(message: "--factor must be a whole number 2…1000 (Keras Tuner's default is 3), got \(factor).")
            }
            guard (1...HyperbandSchedule.maximumIterations).contains(hyperbandIterations) else {
                throw CommandFailure(message: "--hyperband-iterations must be 1…\(HyperbandSchedule.maximumIterations), got \(hyperbandIterations).")
            }
            let schedule = try option("--max-epochs") {
                try HyperbandSchedule(maxEpochs: maxEpochs ?? training.epochs, factor: factor, iterations: hyperbandIterations)
            }
            return (template, learningRate, .hyperband(schedule))
        case "random", "randomsearch", "random_search":
            guard (1...TunerAlgorithm.maximumTrials).contains(maxTrials) else {
                throw CommandFailure(message: "--max-trials must be 1…\(TunerAlgorithm.maximumTrials), got \(maxTrials); --budget (e.g. 30m) can end a long search.")
            }
            return (template, learningRate, .randomSearch(maxTrials: maxTrials))
        default:
            throw CommandFailure(message: "--algorithm '\(algorithm)' is not hyperband or random.")
        }
    }

    /// Runs `body`, turning a `TunerError` into a `CommandFailure` that starts with `name` unless it names an option already.
    private func option<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TunerError {
            throw CommandFailure(message: error.message.hasPrefix("--") ? error.message : "\(name): \(error.message)")
        }
    }

    private func printPlan(_ tuner: Tuner) {
        let searched = (tuner.template.hyperParameters + (tuner.learningRate.map { [$0] } ?? [])).map { "\($0.name) \($0.text)" }
        print("Search space: " + searched.joined(separator: ", "))
        switch tuner.algorithm {
        case let .randomSearch(maxTrials):
            print("Random search: \(maxTrials) trials of \(tuner.recipe.epochs) epochs, \(seeds) run(s) each, objective \(tuner.objective)")
        case let .hyperband(schedule):
            let brackets = schedule.brackets.map { bracket in bracket.rounds.map { "\($0.size)×\($0.epochs)" }.joined(separator: "→") }
            print("Hyperband: max epochs \(schedule.maxEpochs), factor \(schedule.factor), \(schedule.iterations) iteration(s): "
                  + "\(schedule.trialCount) trials (brackets, models×epochs: \(brackets.joined(separator: "; "))), "
                  + "\(seeds) run(s) each, objective \(tuner.objective)")
        }
    }

    private func report(_ event: Tuner.Event, outputURL: URL) throws {
        switch event {
        case let .trialStarted(trial, number, planned, eta):
            let etaText = eta.map { String(format: ", ETA %.0f s", $0) } ?? ""
            let epochs = trial.initialEpoch > 0 ? "epochs \(trial.initialEpoch)→\(trial.epochs), from trial \(trial.previousTrialID ?? "")" : "\(trial.epochs) epochs"
            print("\n[\(number)/\(planned)] trial \(trial.id): \(trial.values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")) (\(epochs)\(etaText))")
        case let .runFinished(trial, seed, log, best):
            print(String(format: "  seed %llu: best %@ %.4f over %d epoch(s)", seed, objectiveName, best, log.count))
            let directory = outputURL.appendingPathComponent("trial-\(trial.id)", isDirectory: true)
            try RunArtifacts.makeDirectory(directory, option: "--output")
            try RunArtifacts.writeHistory(History(log: log), directory: directory, stem: "history-seed\(seed)")
        case let .trialFinished(trial, isBest):
            print(String(format: "  score %.4f (%.1f s)%@", trial.score, trial.seconds, isBest ? " — best so far" : ""))
        case let .stopped(reason):
            print("\nStopped: \(reason).")
        }
    }

    private var objectiveName: String { objective.split(separator: ":").first.map(String.init) ?? objective }
}
