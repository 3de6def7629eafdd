import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics

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

        RESUMING: with --backup-dir DIR the whole training state is backed up
        after every epoch; if the run is killed, the same command resumes at the
        first unfinished epoch and ends as an uninterrupted run would.
        """
    )

    @OptionGroup var training: TrainingOptions

    @Option(help: "Train this many times with seeds seed, seed+1, …; more than 1 adds the multi-run statistics.")
    var seeds: Int = 1

    @Option(help: "Directory for the history files and report.html.")
    var output: String = "out/fit"

    @Option(help: "Write TensorBoard event files (Keras's TensorBoard callback) into DIR/train and DIR/validation (DIR/seed<N>/… with --seeds > 1); view with tensorboard --logdir DIR.")
    var tensorboard: String?

    @Option(name: .customLong("backup-dir"), help: "Back up the training state into DIR after every epoch and resume from it when the same command is run again (Keras's BackupAndRestore); DIR/seed<N> with --seeds > 1.")
    var backupDir: String?

    @Option(help: "Save the final model (the last run's) as a Keras 3 .keras file.")
    var save: String?

    @Option(help: "Keep the best model by val_loss while training (Keras's ModelCheckpoint with saveBestOnly); placeholders such as ckpt/{epoch:02d}-{val_loss:.2f}.keras are filled in. A .weights.h5 path keeps only the weights.")
    var checkpoint: String?

    func run() throws {
        if let save, !save.hasSuffix(".keras") { throw CommandFailure(message: "--save '\(save)' must end in .keras.") }
        StandardOutput.lineBuffered()
        if seeds < 1 { throw CommandFailure(message: "--seeds must be at least 1 (the number of training runs), got \(seeds).") }
        let plan = try training.plan()
        let outputURL = URL(fileURLWithPath: output, isDirectory: true)
        let data = try training.loadData(plan)
        try RunArtifacts.makeDirectory(outputURL, option: "--output")
        print(data.description)

        let trainer = RecipeTrainer(recipe: plan.recipe, data: data)
        let runs = try TrainingSteps.trainSeeds(trainer, seeds: seeds, firstSeed: training.seed, verbosity: training.verbosity,
                                                directory: outputURL, extraCallbacks: extraCallbacks)
        guard let last = runs.last else { return }
        if let save {
            do { try last.model.save(save) } catch { throw CommandFailure(message: "\(error)") }
            print("Saved the model to \(save)")
        }
        print(String(format: "\nTrained %d run(s) in %.1f s.", seeds, runs.map(\.trainingSeconds).reduce(0, +)))
        let holdout = try data.test.map { try TrainingSteps.evaluate(last, on: $0) }
        print()
        let diagnosis = TrainingSteps.diagnose(last.log, holdout: holdout)
        try writeReport(runs: runs, diagnosis: diagnosis, data: data, recipe: plan.recipe, directory: outputURL)
    }

    /// The callbacks the options add to each run: backup first, then TensorBoard.
    private func extraCallbacks(seed: UInt64) throws -> [Callback] {
        try backupCallbacks(seed: seed) + checkpointCallbacks(seed: seed) + tensorBoardCallbacks(seed: seed)
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
        return [try BackupAndRestore(backupDir: folder)]
    }

    /// `--tensorboard DIR`: one TensorBoard callback per run, each seed in its own run folder when there are several.
    private func tensorBoardCallbacks(seed: UInt64) throws -> [Callback] {
        guard let tensorboard else { return [] }
        let folder = seeds > 1 ? (tensorboard as NSString).appendingPathComponent("seed\(seed)") : tensorboard
        return [try TensorBoard(logDir: folder)]
    }

    /// Step 4: the multi-run statistics (printed), the HTML report and where the files are.
    private func writeReport(runs: [TrainedRun], diagnosis: Diagnosis, data: TrainingData, recipe: TrainingRecipe,
                             directory outputURL: URL) throws {
        guard let last = runs.last else { return }
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
                let summary = try MultiRunAnalyzer(options: options).summarize(runs.map(\.log))
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
    }
}
