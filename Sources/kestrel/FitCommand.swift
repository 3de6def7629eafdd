import ArgumentParser
import Foundation
import Kestrel
import KestrelDashboard
import KestrelDiagnostics
import KestrelDistributed
import KestrelRecipes

/// `kestrel fit`: trains a model described by a text spec (possibly over a saved base) or a Keras config JSON on a
/// built-in dataset or a folder of images, then writes the history, the report and the diagnosis.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train a model from a text spec or a Keras config.json, without writing Swift, and diagnose it.",
        discussion: """
        MODEL SPEC: layers separated by commas; each is a name, then arguments in
        this order or as key=value:
          input 28x28   flatten   reshape 28x28x1   rescaling 1/255 [OFFSET]
          dense UNITS [ACTIVATION] [l1=F] [l2=F]
          dropout RATE
          conv2d FILTERS [KERNEL: 3 or 3x5] [ACTIVATION] [same|valid]
                 [strides=S] [l1=F] [l2=F]
          maxpool [SIZE=2] [same|valid] [strides=S]   (avgpool likewise)
          globalavgpool   batchnorm [momentum=0.99] [epsilon=0.001]
          activation NAME, or just relu, softmax, sigmoid, tanh, ...
        The input layer is optional (the data's image shape is used), e.g.
          --model "conv2d 32 3 relu, maxpool, flatten, dense 10 softmax"
        TRANSFER LEARNING: base=PATH.keras puts a saved model (weights
        included) first, as one layer, under the layers that follow:
          --model "base=digits.keras frozen, dense 64 relu, dense 5 softmax"
        frozen freezes the whole base; frozen unfreeze=N trains its top N
        layers again (fine-tuning, with a small --learning-rate).
        --model may instead name a Keras Sequential or Functional config JSON
        (what model.to_json() writes, or config.json inside a .keras file); a
        functional graph needs one input and one output, and trains with
        fresh weights as one layer after the input.

        DATA: pixels are divided by 255. --dataset is fashion-mnist, mnist or
        cifar10 (each with its test set), or DIR: class sub-folders of PNG/JPEG
        images, or DIR/train (+ DIR/validation, DIR/test) holding such folders.
        The last --validation-split of the training images is held out for
        validation, unless DIR has a validation/ folder.

        OUTPUT in --output: history.json and history.csv (history-seed<N>.*
        with --seeds > 1), report.html, and the figures curves.png,
        confusion_matrix.png and predictions.png; the diagnosis is printed.
        --tensorboard DIR adds TensorBoard event files (tensorboard --logdir DIR).
        --dashboard PORT serves a live page on http://127.0.0.1:PORT/ while
        training (0 picks a free port); it keeps serving after training until
        Ctrl-C, or for --dashboard-linger seconds.

        SWEEPS: with --seeds N under `mpirun -np R`, the R processes share the
        runs (each trains whole runs, one at a time; rank 0 gathers the histories
        and alone writes the summary and report, the same files one process
        writes). --shard i/N (or a Slurm job array's SLURM_ARRAY_TASK_ID and
        SLURM_ARRAY_TASK_COUNT) trains share i of N of the runs into --output,
        recording each finished run; a rerun skips them; when every share has
        finished, `kestrel compare DIR` shows them together.

        RESUMING: with --backup-dir DIR the whole training state is backed up
        after every epoch; if the run is killed, the same command resumes at the
        first unfinished epoch and ends as an uninterrupted run would.
        """
    )

    @OptionGroup var training: TrainingOptions

    @Option(parsing: .unconditional, help: "Train this many times with seeds seed, seed+1, …; more than 1 adds the multi-run statistics.")
    var seeds: Int = 1

    @Option(help: "Directory for the history files and report.html.")
    var output: String = "out/fit"

    @Option(help: "Write TensorBoard event files (Keras's TensorBoard callback) into DIR/train and DIR/validation (DIR/seed<N>/… with --seeds > 1); view with tensorboard --logdir DIR.")
    var tensorboard: String?

    @Option(name: .customLong("histogram-freq"), parsing: .unconditional, help: ArgumentHelp("With --tensorboard: weight histograms every N epochs (Keras's histogram_freq; 0 for none).", valueName: "N"))
    var histogramFreq: Int = 0

    @Option(name: .customLong("update-freq"), help: ArgumentHelp("With --tensorboard: 'epoch' (default), 'batch', or N for batch-level scalars every N batches (Keras's update_freq).", valueName: "epoch|batch|N"))
    var updateFreq: String = "epoch"

    @Option(parsing: .unconditional, help: ArgumentHelp("Serve a live dashboard on http://127.0.0.1:PORT/ while training: curves, progress and ETA, learning rate, verdict, and at the end the per-class view (0 picks a free port).", valueName: "PORT"))
    var dashboard: Int?

    @Option(help: ArgumentHelp("The address the dashboard listens on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface, with a warning).", valueName: "HOST"))
    var host: String?

    @Option(name: .customLong("dashboard-linger"), parsing: .unconditional, help: ArgumentHelp("Seconds the dashboard keeps serving after training (default: until Ctrl-C).", valueName: "SECONDS"))
    var dashboardLinger: Double?

    @Option(name: .customLong("backup-dir"), help: "Back up the training state into DIR after every epoch and resume from it when the same command is run again (Keras's BackupAndRestore); DIR/seed<N> with --seeds > 1.")
    var backupDir: String?

    @Option(help: ArgumentHelp("Train share i of N of the --seeds runs into --output (runs i, i+N, …), e.g. one Slurm job array task each; SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT set it when this is absent. `kestrel compare DIR` shows the finished sweep.", valueName: "i/N"))
    var shard: String?

    @Option(help: "Save the final model (the last run's) as a Keras 3 .keras file.")
    var save: String?

    @Option(help: "Keep the best model by val_loss while training (Keras's ModelCheckpoint with saveBestOnly); placeholders such as ckpt/{epoch:02d}-{val_loss:.2f}.keras are filled in. A .weights.h5 path keeps only the weights.")
    var checkpoint: String?

    func run() throws {
        if let save, !save.hasSuffix(".keras") { throw CommandFailure(message: "--save '\(save)' must end in .keras.") }
        StandardOutput.lineBuffered()
        try TrainingOptions.checkSeeds(seeds)
        if tensorboard == nil, histogramFreq != 0 || updateFreq != "epoch" {
            throw CommandFailure(message: "--histogram-freq and --update-freq go with --tensorboard DIR; add e.g. --tensorboard logs.")
        }
        if let tensorboard {
            do { _ = try TensorBoard(logDir: tensorboard, histogramFreq: histogramFreq, updateFreq: updateFreq) } catch let error as KestrelError {
                throw CommandFailure(message: error.message.replacingOccurrences(of: "TensorBoard: histogramFreq", with: "--histogram-freq")
                                        .replacingOccurrences(of: "TensorBoard: updateFreq", with: "--update-freq"))
            }
        }
        if dashboard == nil, host != nil || dashboardLinger != nil {
            throw CommandFailure(message: "--host and --dashboard-linger go with --dashboard PORT; add e.g. --dashboard 8080.")
        }
        // Checked before training, not after it (a typo must not cost the run).
        if let dashboardLinger, !(dashboardLinger >= 0 && dashboardLinger.isFinite) {
            throw CommandFailure(message: "--dashboard-linger must be a number of seconds ≥ 0, got \(dashboardLinger).")
        }
        let mode = try SweepMode.resolve(shardOption: shard, ranksAllowed: seeds > 1)
        let dataParallel = try DataParallelLaunch.communicator(seeds: seeds, mode: mode)
        if case .share = mode, save != nil || dashboard != nil {
            throw CommandFailure(message: "--save and --dashboard go with a whole run of `kestrel fit`, not with one share of a sweep (--shard or a Slurm job array); leave them out.")
        }
        let plan = try training.plan()
        let outputURL = URL(fileURLWithPath: output, isDirectory: true)
        let data = try training.loadData(plan)
        try RunArtifacts.makeDirectory(outputURL, option: "--output")
        var trainer = RecipeTrainer(recipe: plan.recipe, data: data)
        trainer.ranksTrainIndependently = mode.communicator != nil
        if case let .share(shard) = mode {
            try trainShare(shard, trainer: trainer, data: data, directory: outputURL)
            return
        }
        let root = dataParallel?.isRoot ?? mode.isRoot
        // Only rank 0 writes the report; the ranks write their own runs' histories beside it.
        let lock = root ? try FolderLock(outputURL, option: "--output") : nil
        defer { withExtendedLifetime(lock) {} }
        if root {
            RunArtifacts.removeStaleReport(in: outputURL)
            print(data.description)
            if let dataParallel {
                print("Data-parallel training on \(dataParallel.size) MPI ranks: batch \(plan.recipe.batchSize) per rank, a global batch of \(plan.recipe.batchSize * dataParallel.size) (scale the learning rate with it, see Docs/DataParallel.md).")
            }
        }
        let live = root ? try startDashboard(subtitle: "\(data.description) · \(plan.recipe.epochs) epochs, batch \(plan.recipe.batchSize), \(plan.recipe.optimizer) · model: \(training.model)") : nil

        func train(_ indices: [Int]?) throws -> [TrainedRun] {
            try TrainingSteps.trainSeeds(trainer, seeds: seeds, firstSeed: training.seed, verbosity: training.verbosity,
                                         directory: outputURL, writesHistory: root, indices: indices, quiet: !root, extraCallbacks: { seed in
                                             live?.nextRunName = "seed \(seed)"
                                             return try extraCallbacks(seed: seed) + (live.map { [$0] } ?? [])
                                         }, fit: dataParallel.map(DataParallelLaunch.fit))
        }
        let runs: [TrainedRun], records: [SeedRecord]
        if let communicator = mode.communicator {
            if root { print("Training the \(seeds) runs on \(communicator.size) MPI ranks, one run per rank at a time.") }
            guard let gathered = try SeedSweep.trainOnRanks(communicator, seeds: seeds, train: train) else { return }
            (runs, records) = gathered
        } else {
            runs = try train(nil)
            records = runs.map(SeedRecord.init)
        }
        guard let last = runs.last, root else { return }
        print(String(format: "\nTrained %d run(s) in %.1f s.", seeds, records.map(\.seconds).reduce(0, +)))
        let holdout = try data.test.map { try TrainingSteps.evaluate(last, on: $0) }
        print()
        let diagnosis = TrainingSteps.diagnose(last.log, holdout: holdout, model: ModelFacts(recipe: plan.recipe, data: data))
        // The small files first (history is written per run, then the report and figures), the model
        // last: a full disk then loses as little as it can, and the message says what is kept.
        let report = try writeReport(logs: records.map(\.log), last: last, diagnosis: diagnosis, data: data, recipe: plan.recipe, directory: outputURL)
        if let save {
            do {
                try last.model.save(save)
            } catch {
                throw CommandFailure(message: "\(error) The history, report and figures are in '\(outputURL.path)'; any earlier '\(save)' is left as it was.")
            }
            print("Saved the model to \(save)")
        }
        if let live {
            if let matrix = report.page.confusionMatrix { live.showPerClass(matrix, heldOutName: report.page.heldOutName) }
            try lingerDashboard(live)
        }
    }

    /// `--shard i/N`: this share's runs into the sweep folder `directory` (its histories and records).
    private func trainShare(_ shard: SweepShard, trainer: RecipeTrainer, data: TrainingData, directory: URL) throws {
        let folder = SweepFolder(directory: directory)
        let keys = (0..<seeds).map { SeedRecord.key(seed: training.seed &+ UInt64($0)) }
        try folder.register(.init(command: "fit", arguments: SweepFolder.sweepArguments(Array(CommandLine.arguments.dropFirst())),
                                  shards: shard.count, runs: keys))
        // Shares hold the folder together; a plain `kestrel fit` into it is refused while they run.
        let lock = try FolderLock(directory, option: "--output", shared: true)
        defer { withExtendedLifetime(lock) {} }
        print(data.description)
        print("Share \(shard) of the \(seeds) runs: seeds \(shard.runs(of: seeds).map { String(training.seed &+ UInt64($0)) }.joined(separator: ", ")).")
        try SeedSweep.trainShare(shard, folder: folder, seeds: seeds, firstSeed: training.seed) { indices, begin, end in
            try TrainingSteps.trainSeeds(trainer, seeds: seeds, firstSeed: training.seed, verbosity: training.verbosity,
                                         directory: directory, indices: indices, begin: begin, end: end, extraCallbacks: extraCallbacks)
        }
    }

    /// `--dashboard PORT [--host H]`: starts the live page before training (warning when it is reachable from other machines).
    private func startDashboard(subtitle: String) throws -> Dashboard? {
        guard let dashboard else { return nil }
        do {
            let live = try Dashboard(port: dashboard, host: host ?? "127.0.0.1", title: "Kestrel fit", subtitle: subtitle, runs: seeds)
            let url = try live.start()
            if !live.isLoopback {
                FileHandle.standardError.write(Data("Warning: the dashboard listens on \(live.host), so other machines that can reach this one can read it (there is no login); use --host 127.0.0.1 to keep it local.\n".utf8))
            }
            print("Dashboard: \(url.absoluteString)")
            return live
        } catch let error as KestrelError {
            throw CommandFailure(message: "--dashboard \(dashboard): \(error.message)")
        }
    }

    /// Keeps the dashboard serving after training: `--dashboard-linger` seconds, or until Ctrl-C.
    private func lingerDashboard(_ live: Dashboard) throws {
        let address = live.url?.absoluteString ?? ""
        if let dashboardLinger {
            guard dashboardLinger >= 0, dashboardLinger.isFinite else {
                throw CommandFailure(message: "--dashboard-linger must be a number of seconds ≥ 0, got \(dashboardLinger).")
            }
            if dashboardLinger > 0 { print("Dashboard: still serving \(address) for \(dashboardLinger) s.") }
            Thread.sleep(forTimeInterval: dashboardLinger)
            live.stop()
            return
        }
        print("Dashboard: still serving \(address); press Ctrl-C to stop.")
        while true { Thread.sleep(forTimeInterval: 3600) }
    }

    /// The callbacks the options add to each run: backup first, then TensorBoard.
    private func extraCallbacks(seed: UInt64) throws -> [Callback] {
        let history = EpochHistoryWriter(directory: URL(fileURLWithPath: output, isDirectory: true), stem: seeds > 1 ? "history-seed\(seed)" : "history")
        return try backupCallbacks(seed: seed) + [history] + checkpointCallbacks(seed: seed) + tensorBoardCallbacks(seed: seed)
    }

    /// `--checkpoint PATH`: the best model by val_loss (PATH in a seed<N>/ folder with several seeds).
    private func checkpointCallbacks(seed: UInt64) throws -> [Callback] {
        guard let checkpoint else { return [] }
        let path = seeds > 1
            ? ((checkpoint as NSString).deletingLastPathComponent as NSString).appendingPathComponent("seed\(seed)/" + (checkpoint as NSString).lastPathComponent)
            : checkpoint
        do {
            return [try ModelCheckpoint(filepath: path, monitor: "val_loss", saveBestOnly: true, saveWeightsOnly: path.hasSuffix(".weights.h5"))]
        } catch let error as KestrelError {
            throw CommandFailure(message: "--checkpoint: \(error.message)")
        }
    }

    /// `--backup-dir DIR`: BackupAndRestore into DIR (DIR/seed<N> with several seeds).
    private func backupCallbacks(seed: UInt64) throws -> [Callback] {
        guard let backupDir else { return [] }
        let folder = seeds > 1 ? (backupDir as NSString).appendingPathComponent("seed\(seed)") : backupDir
        var run: [String: String] = ["seed": String(seed), "batch_size": String(training.batchSize), "epochs": String(training.epochs)]
        run["learning_rate"] = training.learningRate.map { String($0) } ?? "the optimizer's default"
        run["limit"] = training.limit.map { String($0) } ?? "none"
        run["model"] = training.model
        run["optimizer"] = training.optimizer.lowercased()
        run["loss"] = training.loss
        run["dataset"] = training.dataset
        run["image_size"] = training.imageSize
        run["color_mode"] = training.colorMode
        run["validation_split"] = training.validationSplit.map { String($0) } ?? "default"
        run["augment"] = training.augment ?? "none"
        do {
            return [try BackupAndRestore(backupDir: folder, run: run)]
        } catch let error as KestrelError {
            throw CommandFailure(message: "--backup-dir: \(error.message)")
        }
    }

    /// `--tensorboard DIR`: one TensorBoard callback per run, each seed in its own run folder when there are several.
    private func tensorBoardCallbacks(seed: UInt64) throws -> [Callback] {
        guard let tensorboard else { return [] }
        let folder = seeds > 1 ? (tensorboard as NSString).appendingPathComponent("seed\(seed)") : tensorboard
        return [try TensorBoard(logDir: folder, histogramFreq: histogramFreq, updateFreq: updateFreq)]
    }

    /// Step 4: the multi-run statistics (printed), the HTML report and where the files are.
    @discardableResult
    private func writeReport(logs: [TrainingLog], last: TrainedRun, diagnosis: Diagnosis, data: TrainingData, recipe: TrainingRecipe,
                             directory outputURL: URL) throws -> Report {
        let options = DiagnosisOptions()
        let lastRun = seeds > 1 ? " · verdict, curves and per-class view of the last run (seed \(last.seed))" : ""
        // The per-class view: the test set, else the validation images (a folder, or the split's tail).
        let heldOut = data.heldOutImages(validationSplit: recipe.effectiveValidationSplit(for: data))
        var report = try Report(model: last.model, log: last.log, diagnosis: diagnosis, heldOut: heldOut,
                                heldOutName: data.test != nil ? "test" : "validation", title: "Kestrel fit",
                                subtitle: "\(data.description) · \(recipe.epochs) epochs, batch \(recipe.batchSize), \(recipe.optimizer) · model: \(training.model)\(lastRun)",
                                options: options)
        if seeds > 1 {
            do {
                let summary = try MultiRunAnalyzer(options: options).summarize(logs)
                print(TerminalReport.render(summary))
                report.page.multiRun = summary
            } catch {
                throw CommandFailure(message: "Cannot summarise the \(seeds) runs: \(error)")
            }
        }
        let reportURL = outputURL.appendingPathComponent("report.html")
        try RunArtifacts.writeReport(report.page, to: reportURL)
        let figures: [String]
        do {
            figures = try report.writeFigures(to: outputURL.path)
        } catch {
            throw CommandFailure(message: "Cannot write the figures into '\(outputURL.path)': \(error)")
        }
        print("Report:  \(reportURL.path)")
        print("Figures: \(figures.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))")
        print("History: \(outputURL.path)/\(seeds > 1 ? "history-seed*" : "history").json and .csv")
        return report
    }
}
