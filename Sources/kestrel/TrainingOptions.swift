import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelRecipes

/// The model, data and `fit` options shared by `kestrel fit` and `kestrel doctor`, and their
/// checking into a `TrainingRecipe` before any data is loaded.
struct TrainingOptions: ParsableArguments {
    @Option(help: "The model: a text spec (MODEL SPEC above; base=PATH.keras [frozen] for a saved base) or the path of a Keras Sequential or Functional config .json.")
    var model: String

    @Option(help: "fashion-mnist, mnist, cifar10, or a directory of images in class sub-folders.")
    var dataset: String = "fashion-mnist"

    @Option(parsing: .unconditional, help: "Epochs to train.")
    var epochs: Int = 20

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Samples per gradient step.")
    var batchSize: Int = 32

    @Option(name: .customLong("validation-split"), parsing: .unconditional, help: "Fraction of the training images held out for validation (default 0.2; 0 for none).")
    var validationSplit: Double?

    @Option(help: "Optimizer: \(Optimizer.validNames.joined(separator: ", ")).")
    var optimizer: String = "adam"

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Learning rate (default: the optimizer's Keras default). `kestrel tune` also takes a range or choices: 1e-4..1e-2 log, 0.01|0.001.")
    var learningRateText: String?

    /// `--learning-rate` as a number (nil when absent or not a number; `plan()` refuses the latter).
    var learningRate: Double? { learningRateText.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

    @Option(help: "Loss, by Keras name.")
    var loss: String = "sparse_categorical_crossentropy"

    @Option(name: .customLong("early-stopping"), help: "MONITOR:PATIENCE, e.g. val_loss:3 (restores the best weights).")
    var earlyStopping: String?

    @Option(name: .customLong("reduce-lr"), help: "MONITOR:FACTOR:PATIENCE[:MIN_LR], e.g. val_loss:0.5:3.")
    var reduceLR: String?

    @Option(help: "Augmentation while training, e.g. flip,rotate:15,shift:0.1,zoom:0.1 (also flip:vertical, flip:both, contrast:0.2).")
    var augment: String?

    @Option(parsing: .unconditional, help: "The first random seed (a whole number ≥ 0).")
    var seed: UInt64 = 42

    @Option(parsing: .unconditional, help: "Use only the first N training images (quick experiments).")
    var limit: Int?

    @Option(name: .customLong("image-size"), help: "HxW that images from a DIR are resized to.")
    var imageSize: String = "28x28"

    @Option(name: .customLong("color-mode"), help: "grayscale, rgb or rgba, for images from a DIR.")
    var colorMode: String = "grayscale"

    @Option(parsing: .unconditional, help: "fit's verbose: 0 silent, 1 progress bar, 2 one line per epoch (default: 1 on a terminal, else 2).")
    var verbose: Int?

    /// The most training runs `--seeds` may ask for (each run trains a whole model).
    static let seedLimit = 1000

    /// Refuses a `--seeds` outside 1…`seedLimit` before anything is allocated for the runs.
    static func checkSeeds(_ seeds: Int) throws {
        guard (1...seedLimit).contains(seeds) else {
            throw CommandFailure(message: "--seeds must be 1…\(seedLimit) (the number of training runs), got \(seeds).")
        }
    }

    /// Everything checked before data is loaded; each failure is one sentence naming the option.
    struct Plan {
        var recipe: TrainingRecipe
        var imageSize: (Int, Int)
        var colorMode: ColorMode
    }

    /// `specification`: the model to use instead of reading `--model` (`kestrel tune` reads a
    /// template); `tunedLearningRate`: `--learning-rate` is a range the caller reads.
    func plan(specification: ModelSpecification? = nil, tunedLearningRate: Bool = false) throws -> Plan {
        if epochs < 1 { throw CommandFailure(message: "--epochs must be at least 1, got \(epochs).") }
        if batchSize < 1 { throw CommandFailure(message: "--batch-size must be at least 1, got \(batchSize).") }
        if let validationSplit, !(0..<1).contains(validationSplit) {
            throw CommandFailure(message: "--validation-split must be in [0, 1), got \(validationSplit).")
        }
        if !tunedLearningRate, let learningRateText, !(learningRate.map { $0 > 0 && $0.isFinite } ?? false) {
            throw CommandFailure(message: "--learning-rate must be a positive number, got \(learningRateText).")
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
        do { _ = try ImageLimits.checkedValueCount(height: sizes[0], width: sizes[1], channels: 4, what: "--image-size") } catch {
            throw CommandFailure(message: "\(error)")
        }
        guard let mode = ColorMode(rawValue: colorMode.lowercased()) else {
            throw CommandFailure(message: "--color-mode '\(colorMode)' is not grayscale, rgb or rgba.")
        }
        if let augment {
            do { _ = try RandomAugmentation(parsing: augment) } catch { throw CommandFailure(message: "--augment: \(error)") }
        }
        let callbacks = try CallbackOptions.parse(earlyStopping: earlyStopping, reduceLR: reduceLR)
        let recipe = TrainingRecipe(specification: try specification ?? Self.readModel(model), optimizer: optimizer,
                                    learningRate: tunedLearningRate ? nil : learningRate,
                                    loss: loss, epochs: epochs, batchSize: batchSize, validationSplit: validationSplit ?? 0.2,
                                    callbacks: callbacks, augmentation: augment)
        return Plan(recipe: recipe, imageSize: (sizes[0], sizes[1]), colorMode: mode)
    }

    /// `--verbose` as fit's `Verbosity`.
    var verbosity: Verbosity { verbose.map { Verbosity(integerLiteral: $0) } ?? .auto }

    /// A text spec, or a Keras config JSON when `model` names an existing file or ends in .json.
    static func readModel(_ model: String) throws -> ModelSpecification {
        let kind = InputFile.kind(of: model)
        do {
            if model.lowercased().hasSuffix(".json") || kind != .missing {
                guard kind != .missing else {
                    throw CommandFailure(message: "Cannot read the Keras model file '\(model)': no such file.")
                }
                let data: Data
                do {
                    data = try InputFile.read(model, argument: "--model", expected: "a Keras model config .json", limit: ModelFile.largestConfigBytes)
                } catch let error as DataError {
                    throw CommandFailure(message: error.message)
                }
                return try ModelSpecification(kerasJSON: data)
            }
            return try ModelSpecification(parsing: model)
        } catch let error as ModelSpecificationError {
            throw CommandFailure(message: error.description)
        }
    }

    /// Loads the data (step 1 of fit/doctor), applies `--limit`, checks `--validation-split` and the
    /// callback monitors against what training will log.
    func loadData(_ plan: Plan) throws -> TrainingData {
        var data = try DatasetSource.load(dataset, imageSize: plan.imageSize, colorMode: plan.colorMode, seed: seed)
        if data.validation != nil, validationSplit != nil, validationSplit != 0 {
            throw CommandFailure(message: "--validation-split cannot be used with '\(dataset)': it has its own validation/ folder; leave the option out.")
        }
        if let limit { data = data.limited(to: limit) }
        let known = plan.recipe.loggedMetrics(on: data)
        for monitor in plan.recipe.callbacks.monitors where !known.contains(monitor) {
            throw CommandFailure(message: "The callback monitor '\(monitor)' will not be logged; use one of \(known.joined(separator: ", ")).")
        }
        return data
    }
}
