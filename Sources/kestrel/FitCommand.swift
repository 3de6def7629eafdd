import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics

/// `kestrel fit`: trains a Sequential model described by a text spec or a Keras config JSON on a
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
        --model may instead name a Keras Sequential config JSON (what
        model.to_json() writes, or config.json inside a .keras file).

        DATA: pixels are divided by 255. --dataset is fashion-mnist, mnist or
        cifar10 (each with its test set), or DIR: class sub-folders of PNG/JPEG
        images, or DIR/train (+ DIR/validation, DIR/test) holding such folders.
        The last --validation-split of the training images is held out for
        validation, unless DIR has a validation/ folder.

        OUTPUT in --output: history.json and history.csv (history-seed<N>.*
        with --seeds > 1) and report.html; the diagnosis is printed.
        """
    )

    @Option(help: "The model: a text spec (MODEL SPEC above) or the path of a Keras Sequential config .json.")
    var model: String

    @Option(help: "fashion-mnist, mnist, cifar10, or a directory of images in class sub-folders.")
    var dataset: String = "fashion-mnist"

    @Option(help: "Epochs to train.")
    var epochs: Int = 20

    @Option(name: .customLong("batch-size"), help: "Samples per gradient step.")
    var batchSize: Int = 32

    @Option(name: .customLong("validation-split"), help: "Fraction of the training images held out for validation (default 0.2; 0 for none).")
    var validationSplit: Double?

    @Option(help: "Optimizer: \(Optimizer.validNames.joined(separator: ", ")).")
    var optimizer: String = "adam"

    @Option(name: .customLong("learning-rate"), help: "Learning rate (default: the optimizer's Keras default).")
    var learningRate: Double?

    @Option(help: "Loss, by Keras name.")
    var loss: String = "sparse_categorical_crossentropy"

    @Option(name: .customLong("early-stopping"), help: "MONITOR:PATIENCE, e.g. val_loss:3 (restores the best weights).")
    var earlyStopping: String?

    @Option(name: .customLong("reduce-lr"), help: "MONITOR:FACTOR:PATIENCE[:MIN_LR], e.g. val_loss:0.5:3.")
    var reduceLR: String?

    @Option(help: "Augmentation while training, e.g. flip,rotate:15,shift:0.1,zoom:0.1 (also flip:vertical, flip:both, contrast:0.2).")
    var augment: String?

    @Option(help: "Train this many times with seeds seed, seed+1, …; more than 1 adds the multi-run statistics.")
    var seeds: Int = 1

    @Option(help: "The first random seed.")
    var seed: UInt64 = 42

    @Option(help: "Use only the first N training images (quick experiments).")
    var limit: Int?

    @Option(name: .customLong("image-size"), help: "HxW that images from a DIR are resized to.")
    var imageSize: String = "28x28"

    @Option(name: .customLong("color-mode"), help: "grayscale, rgb or rgba, for images from a DIR.")
    var colorMode: String = "grayscale"

    @Option(help: "Directory for the history files and report.html.")
    var output: String = "out/fit"

    @Option(help: "fit's verbose: 0 silent, 1 progress bar, 2 one line per epoch (default: 1 on a terminal, else 2).")
    var verbose: Int?

    /// Everything checked before data is loaded; each failure is one sentence naming the option.
    struct Plan {
        var specification: ModelSpecification
        var callbacks: CallbackOptions
        var imageSize: (Int, Int)
        var colorMode: ColorMode
    }

    func plan() throws -> Plan {
        if epochs < 1 { throw CommandFailure(message: "--epochs must be at least 1, got \(epochs).") }
        if batchSize < 1 { throw CommandFailure(message: "--batch-size must be at least 1, got \(batchSize).") }
        if seeds < 1 { throw CommandFailure(message: "--seeds must be at least 1 (the number of training runs), got \(seeds).") }
        if let validationSplit, !(0..<1).contains(validationSplit) {
            throw CommandFailure(message: "--validation-split must be in [0, 1), got \(validationSplit).")
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw CommandFailure(message: "--learning-rate must be a positive number, got \(learningRate).")
        }
        if let limit, limit < 2 { throw CommandFailure(message: "--limit must be at least 2 images, got \(limit).") }
        if let verbose, !(0...2).contains(verbose) { throw CommandFailure(message: "--verbose must be 0, 1 or 2, got \(verbose).") }
        guard Optimizer.validNames.contains(optimizer.lowercased()) else {
            throw CommandFailure(message: "Unknown --optimizer '\(optimizer)'; use one of \(Optimizer.validNames.joined(separator: ", ")).")
        }
        do { _ = try Loss.named(loss) } catch { throw CommandFailure(message: "--loss: \(error)") }
        let sizes = imageSize.lowercased().split(separator: "x").compactMap { Int($0) }
        guard sizes.count == 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw CommandFailure(message: "--image-size '\(imageSize)' is not HxW; write e.g. --image-size 32x32.")
        }
        guard let mode = ColorMode(rawValue: colorMode.lowercased()) else {
            throw CommandFailure(message: "--color-mode '\(colorMode)' is not grayscale, rgb or rgba.")
        }
        if let augment {
            do { _ = try RandomAugmentation(parsing: augment) } catch { throw CommandFailure(message: "--augment: \(error)") }
        }
        let callbacks = try CallbackOptions(earlyStopping: earlyStopping, reduceLR: reduceLR)
        return Plan(specification: try Self.readModel(model), callbacks: callbacks, imageSize: (sizes[0], sizes[1]), colorMode: mode)
    }

    /// A text spec, or a Keras config JSON when `model` names an existing file or ends in .json.
    static func readModel(_ model: String) throws -> ModelSpecification {
        let looksLikeFile = model.lowercased().hasSuffix(".json") || FileManager.default.fileExists(atPath: model)
        do {
            if looksLikeFile {
                guard let data = FileManager.default.contents(atPath: model) else {
                    throw CommandFailure(message: "Cannot read the Keras model file '\(model)': no such file.")
                }
                return try ModelSpecification(kerasJSON: data)
            }
            return try ModelSpecification(parsing: model)
        } catch let error as ModelSpecificationError {
            throw CommandFailure(message: error.description)
        }
    }

    func run() throws {
        StandardOutput.lineBuffered()
        let plan = try plan()
        let outputURL = URL(fileURLWithPath: output, isDirectory: true)
        var source = try DatasetSource.load(dataset, imageSize: plan.imageSize, colorMode: plan.colorMode, seed: seed)
        if source.validation != nil, validationSplit != nil, validationSplit != 0 {
            throw CommandFailure(message: "--validation-split cannot be used with '\(dataset)': it has its own validation/ folder; leave the option out.")
        }
        if let limit, limit < source.train.count {
            source.train = RunArtifacts.slice(source.train, 0..<limit)
            source.description += " (training on the first \(limit) only, --limit)"
        }
        let split = source.validation == nil ? (validationSplit ?? 0.2) : 0
        let hasValidation = source.validation != nil || split > 0
        let known = ["loss", "accuracy"] + (hasValidation ? ["val_loss", "val_accuracy"] : [])
        for monitor in plan.callbacks.monitors where !known.contains(monitor) {
            throw CommandFailure(message: "The callback monitor '\(monitor)' will not be logged; use one of \(known.joined(separator: ", ")).")
        }
        try RunArtifacts.makeDirectory(outputURL, option: "--output")
        print(source.description)

        let x = source.train.normalizedX, y = source.train.y
        let sampleShape = Array(source.train.shape.dropFirst())
        let validationData = source.validation.map { ($0.normalizedX, $0.y) }
        var logs: [TrainingLog] = []
        var lastModel: Sequential?
        var lastHistory: History?
        var trainingSeconds = 0.0
        for run in 0..<seeds {
            let runSeed = seed &+ UInt64(run)
            Kestrel.setRandomSeed(runSeed)
            let leading: [Layer] = try augment.map { [try RandomAugmentation(parsing: $0, seed: runSeed)] } ?? []
            let network: Sequential
            do {
                network = try plan.specification.makeModel(inputShape: sampleShape, leadingLayers: leading)
            } catch let error as ModelSpecificationError {
                throw CommandFailure(message: error.description)
            } catch {
                throw CommandFailure(message: "The model does not fit the data's \(sampleShape.map(String.init).joined(separator: "×")) images: \(error)")
            }
            let chosen = try Optimizer.named(optimizer)
            if let learningRate { try chosen.setLearningRate(Float(learningRate)) }
            let resolvedLoss = try Loss.named(loss)
            try network.compile(optimizer: chosen, loss: resolvedLoss, metrics: [try Metric.named("accuracy", loss: resolvedLoss)])
            if run == 0 { network.summary() }
            if seeds > 1 { print("\nRun \(run + 1)/\(seeds) (seed \(runSeed))") }
        let start = ContinuousClock.now
            let history: History
            do {
                history = try network.fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose.map { Verbosity(integerLiteral: $0) } ?? .auto,
                                          validationSplit: validationData == nil ? split : 0, validationData: validationData,
                                          callbacks: try plan.callbacks.makeCallbacks())
            } catch {
                throw CommandFailure(message: "Training failed: \(error)")
            }
            trainingSeconds += RunArtifacts.seconds(since: start)
            let stem = seeds > 1 ? "history-seed\(runSeed)" : "history"
            try RunArtifacts.writeHistory(history, directory: outputURL, stem: stem)
            logs.append(try TrainingLog(history: history))
            lastModel = network
            lastHistory = history
        }
        guard let network = lastModel, let history = lastHistory, let log = logs.last else { return }
        print(String(format: "\nTrained %d run(s) in %.1f s.", seeds, trainingSeconds))

        var holdout: HoldoutMetrics?
        if let test = source.test {
            let result = try network.evaluate(test.normalizedX, test.y, batchSize: 256, verbose: 0)
            let accuracy = result["accuracy"] ?? result["sparse_categorical_accuracy"] ?? result["categorical_accuracy"]
            holdout = HoldoutMetrics(loss: result.loss, accuracy: accuracy)
            print(String(format: "Test loss: %.4f - test accuracy: %.4f", result.loss, accuracy ?? .nan))
        }
        let options = DiagnosisOptions()
        let diagnosis = CurveAnalyzer(options: options).diagnose(log, holdout: holdout)
        print()
        print(TerminalReport.render(diagnosis, log: log, color: isatty(STDOUT_FILENO) != 0))

        let lastRun = seeds > 1 ? " · verdict, curves and per-class view of the last run (seed \(seed &+ UInt64(seeds - 1)))" : ""
        var report = HTMLReport(title: "Kestrel fit", subtitle: "\(source.description) · \(epochs) epochs, batch \(batchSize), \(optimizer) · model: \(model)\(lastRun)",
                                log: log, diagnosis: diagnosis, options: options)
        if seeds > 1 {
            do {
                let summary = try MultiRunAnalyzer(options: options).summarize(logs)
                print(TerminalReport.render(summary))
                report.multiRun = summary
            } catch {
                throw CommandFailure(message: "Cannot summarise the \(seeds) runs: \(error)")
            }
        }
        // The per-class view: the test set, else the validation images (a folder, or the split's tail).
        var heldOut = source.test ?? source.validation
        if heldOut == nil, split > 0 {
            let validationCount = Int(Double(source.train.count) * split)
            if validationCount > 0 {
                heldOut = RunArtifacts.slice(source.train, (source.train.count - validationCount)..<source.train.count)
            }
        }
        if let heldOut, heldOut.count > 0 {
            let predictions = try network.predictClasses(heldOut.normalizedX, batchSize: 256)
            report.confusionMatrix = try ConfusionMatrix(trueLabels: heldOut.labels, predictedLabels: predictions, classNames: heldOut.classNames)
            report.sampleImages = try RunArtifacts.misclassifiedImages(images: heldOut, predictions: predictions, directory: outputURL)
        }
        report.modelSummary = network.summaryText()
        let reportURL = outputURL.appendingPathComponent("report.html")
        try RunArtifacts.writeReport(report, to: reportURL, heldOutName: source.test != nil ? "test" : nil,
                                     samplesTitle: "Misclassified \(source.test != nil ? "test" : "validation") images")
        _ = history
        print("Report:  \(reportURL.path)")
        print("History: \(outputURL.path)/\(seeds > 1 ? "history-seed*" : "history").json and .csv")
    }
}
