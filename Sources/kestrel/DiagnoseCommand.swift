import ArgumentParser
import Foundation
import KestrelDiagnostics

/// `kestrel diagnose LOG`: reads a training log and says whether the model over- or
/// underfits, with the evidence and what to try.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose a training log: overfitting, underfitting, still learning, unstable, collapsed, … with evidence.",
        discussion: """
        LOG is a Kestrel history JSON ({"history": {...}, "epoch": [...]}), a Keras CSVLogger CSV, \
        or a JSON dump of Keras's history.history ({"loss": [...], "val_loss": [...]}). The log alone \
        is read unless --classes, --dropout, --augmentation, --batch-normalization, --steps-per-epoch \
        or --learning-rate say more about the model.
        """
    )

    @Argument(help: "The training log: Kestrel history JSON, Keras CSVLogger CSV, or Keras history.history JSON.")
    var log: String

    @Option(name: .customLong("test-loss"), parsing: .unconditional, help: "Loss on a held-out test set, compared with val_loss.")
    var testLoss: Double?

    @Option(name: .customLong("test-accuracy"), parsing: .unconditional, help: "Accuracy on a held-out test set (0…1), compared with val_accuracy.")
    var testAccuracy: Double?

    @Option(help: "Also write a self-contained HTML report to this path.")
    var report: String?

    @Option(help: "The metric that defines the best epoch and that EarlyStopping watches.")
    var monitor: String = "val_loss"

    @Option(parsing: .unconditional, help: "Patience of the simulated EarlyStopping.")
    var patience: Int = 3

    @Flag(help: "Print the diagnosis as JSON instead of text.")
    var json = false

    @Option(parsing: .unconditional, help: "Number of classes (compares accuracy with 1/classes and loss with ln(classes)).")
    var classes: Int?

    @Flag(inversion: .prefixedNo, help: "Whether the model has Dropout (training loss above validation loss is then expected).")
    var dropout: Bool?

    @Flag(inversion: .prefixedNo, help: "Whether training used data augmentation.")
    var augmentation: Bool?

    @Flag(inversion: .prefixedNo, help: "Whether the model has BatchNormalization layers.")
    var batchNormalization: Bool?

    @Option(parsing: .unconditional, help: "Gradient steps per epoch (training samples ÷ batch size).")
    var stepsPerEpoch: Int?

    @Option(parsing: .unconditional, help: "The learning rate the run trained with (quoted in the suggestions).")
    var learningRate: Double?

    func validate() throws {
        if let testLoss, !testLoss.isFinite || testLoss < 0 {
            throw ValidationError("--test-loss must be a non-negative number, got \(testLoss).")
        }
        if let testAccuracy, !(0...1).contains(testAccuracy) {
            throw ValidationError("--test-accuracy must be between 0 and 1 (a fraction, not a percentage), got \(testAccuracy).")
        }
        if patience < 1 {
            throw ValidationError("--patience must be at least 1, got \(patience).")
        }
        if let classes, classes < 2 || classes > 1_000_000 {
            throw ValidationError("--classes must be between 2 and 1000000, got \(classes).")
        }
        if let stepsPerEpoch, stepsPerEpoch < 1 {
            throw ValidationError("--steps-per-epoch must be at least 1, got \(stepsPerEpoch).")
        }
        if let learningRate, !learningRate.isFinite || learningRate <= 0 {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate).")
        }
    }

    /// The analysis options the flags ask for.
    var options: DiagnosisOptions {
        var options = DiagnosisOptions()
        options.monitor = monitor
        options.earlyStoppingPatience = patience
        return options
    }

    /// What the flags say about the model (nothing by default: the log alone is read).
    var modelFacts: ModelFacts {
        ModelFacts(hasDropout: dropout, hasBatchNormalization: batchNormalization, hasAugmentation: augmentation,
                   classes: classes, stepsPerEpoch: stepsPerEpoch, learningRate: learningRate)
    }

    func run() throws {
        let trainingLog = try TrainingLogArgument.read(log)
        if monitor != "val_loss", !trainingLog.contains(monitor) {
            throw CommandFailure(message: "--monitor '\(monitor)' is not in the log; it has \(trainingLog.metricNames.joined(separator: ", ")).")
        }
        let holdout = HoldoutMetrics(loss: testLoss, accuracy: testAccuracy)
        let diagnosis = CurveAnalyzer(options: options).diagnose(trainingLog, holdout: holdout.isEmpty ? nil : holdout, model: modelFacts)
        if json {
            print(try DiagnosisJSON.encode(diagnosis))
        } else {
            print(TerminalReport.render(diagnosis, log: trainingLog, color: isatty(STDOUT_FILENO) != 0, options: options))
        }
        if let report {
            let destination = URL(fileURLWithPath: report)
            let page = HTMLReport(subtitle: URL(fileURLWithPath: log).lastPathComponent, log: trainingLog, diagnosis: diagnosis, options: options)
            do {
                try page.write(to: destination)
            } catch {
                throw CommandFailure(message: String(describing: error))
            }
            FileHandle.standardError.write(Data("Wrote the report to \(destination.path)\n".utf8))
        }
    }
}
