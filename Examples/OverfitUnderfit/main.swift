// TensorFlow's "Overfit and underfit" tutorial (tutorials/keras/overfit_and_underfit), current version, in
// Kestrel with its numbers: the Higgs dataset read from HIGGS.csv.gz (28 features, label first), the first
// N_VALIDATION = 1,000 rows for validation and the next N_TRAIN = 10,000 for training, batch 500 (20 steps an
// epoch), Adam on InverseTimeDecay(0.001, decay_steps = STEPS_PER_EPOCH·1000, decay_rate 1), binary
// cross-entropy from logits (also as a metric) and accuracy, EarlyStopping on val_binary_crossentropy with
// patience 200, up to 10,000 epochs. Models: Tiny, Small, Medium, Large (ELU), then the Large one with L2
// 0.001, with Dropout 0.5, and combined (L2 0.0001 + Dropout 0.5, as the tutorial writes it). Writes the
// overlaid curves (one colour per model, training solid, validation dashed, log epoch axis) in one report, each
// model's history (for `kestrel compare … --curves binary_crossentropy --log-x`), and a diagnosis per model.
//
//   swift run -c release OverfitUnderfit --data HIGGS.csv.gz [--max-epochs 10000] [--output out/overfit-underfit]
//   (models can be trained in separate processes with --models, then drawn together with --reuse-histories)
//
// HIGGS.csv.gz: http://mlphysics.ics.uci.edu/data/higgs/HIGGS.csv.gz (2.6 GB; only its first 11,000 rows are read).
import Foundation
import Kestrel
import KestrelData
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "The Higgs file (HIGGS.csv.gz, or an uncompressed HIGGS.csv).") var data: String?
    @Option(help: "Most epochs per model (the tutorial: 10000; EarlyStopping usually ends sooner).") var maxEpochs = 10_000
    @Option(help: "Validation rows, the first of the file (N_VALIDATION).") var validation = 1_000
    @Option(help: "Training rows, after the validation rows (N_TRAIN).") var train = 10_000
    @Option(help: "Batch size (BATCH_SIZE).") var batchSize = 500
    @Option(help: "EarlyStopping patience on val_binary_crossentropy.") var patience = 200
    @Option(help: "Models to train, comma-separated: tiny,small,medium,large,l2,dropout,combined.") var models = "tiny,small,medium,large,l2,dropout,combined"
    @Option(help: "Folder for the histories, figures and report.") var output = "out/overfit-underfit"
    @Option(help: "Seed of the weights and the shuffling.") var seed: UInt64 = 0
    @Option(help: "Stop a model's training after this many minutes of wall time (its history so far is kept and reported); no limit by default.")
    var maxMinutes: Double?
    @Flag(help: "Read a model's <name>-history.json from --output instead of training it, when present (to draw one report from runs made in separate processes).")
    var reuseHistories = false
}
let options = Options.parseOrExit()
guard options.validation > 0, options.train > 0, options.batchSize > 0, options.maxEpochs > 0, options.patience >= 0 else {
    throw ValidationError("--validation, --train, --batch-size and --max-epochs must be positive, --patience ≥ 0.")
}
let dataPath = [options.data, "HIGGS.csv.gz", NSString(string: "~/.keras/datasets/HIGGS.csv.gz").expandingTildeInPath]
    .compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
guard let dataPath else {
    throw ValidationError("No Higgs data: download http://mlphysics.ics.uci.edu/data/higgs/HIGGS.csv.gz and pass --data PATH.")
}

// FEATURES = 28; ds = tf.data.experimental.CsvDataset(gz, [float(),]*(FEATURES+1), compression_type="GZIP")
let FEATURES = 28
let N_VALIDATION = options.validation, N_TRAIN = options.train, BATCH_SIZE = options.batchSize
let STEPS_PER_EPOCH = max(1, N_TRAIN / BATCH_SIZE)
let table = try CSVTable.read(dataPath, header: false, maxRows: N_VALIDATION + N_TRAIN)
guard table.columnNames.count == FEATURES + 1, table.rowCount == N_VALIDATION + N_TRAIN else {
    throw ValidationError("\(dataPath): expected \(N_VALIDATION + N_TRAIN) rows of \(FEATURES + 1) values (label, 28 features), got \(table.rowCount) rows of \(table.columnNames.count); is it the Higgs file?")
}
// pack_row: label = row[0], features = the 28 others
let all = try table.tensor()
let labels = try all.slice(axis: 1, range: 0..<1), features = try all.slice(axis: 1, range: 1..<(FEATURES + 1))
// validate_ds = packed_ds.take(N_VALIDATION); train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN)
let xValidation = try features.slice(rows: 0..<N_VALIDATION), yValidation = try labels.slice(rows: 0..<N_VALIDATION)
let xTrain = try features.slice(rows: N_VALIDATION..<(N_VALIDATION + N_TRAIN)), yTrain = try labels.slice(rows: N_VALIDATION..<(N_VALIDATION + N_TRAIN))
print("\(dataPath): \(N_VALIDATION) validation rows, \(N_TRAIN) training rows, \(STEPS_PER_EPOCH) steps of \(BATCH_SIZE) an epoch.")

/// Ends `fit` after the epoch in which `seconds` of wall time have passed since training began (not in the tutorial:
/// for runs that must end by a deadline; the example prints that the run was cut).
final class WallTimeLimit: Callback, @unchecked Sendable {
    let seconds: Double
    private var started = Date()
    private(set) var stopped = false
    init(seconds: Double) {
        self.seconds = seconds
        super.init()
    }
    override func onTrainBegin(logs: inout [String: Double]) throws { started = Date() }
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        if Date().timeIntervalSince(started) >= seconds {
            stopped = true
            model?.stopTraining = true
        }
    }
}

/// tfdocs.modeling.EpochDots, as the tutorial's fit uses it: every `every` epochs one line with the epoch's metrics.
final class EpochDots: Callback, @unchecked Sendable {
    let name: String, every: Int
    init(name: String, every: Int = 100) {
        self.name = name
        self.every = every
        super.init()
    }
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        guard epoch % every == 0 else { return }
        let metrics = logs.keys.sorted().map { "\($0):" + String(format: "%.4f", logs[$0] ?? .nan) }
        // Written to the file descriptor at once (print is buffered when the output is a file).
        FileHandle.standardOutput.write(Data(("\(name) epoch: \(epoch), " + metrics.joined(separator: ",  ") + "\n").utf8))
    }
}

// lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=STEPS_PER_EPOCH*1000, decay_rate=1, staircase=False)
@MainActor func getOptimizer() throws -> Optimizer {
    try Adam(try InverseTimeDecay(initialLearningRate: 0.001, decaySteps: STEPS_PER_EPOCH * 1000, decayRate: 1, staircase: false))
}

// def compile_and_fit(model, name, optimizer=None, max_epochs=10000)
@MainActor func compileAndFit(_ model: Model, _ name: String) throws -> History {
    try model.compile(optimizer: try getOptimizer(), loss: BinaryCrossentropy(fromLogits: true),
                      metrics: [BinaryCrossentropy(fromLogits: true, name: "binary_crossentropy"), "accuracy"])
    model.summary()
    let started = Date()
    // train_ds.shuffle(BUFFER_SIZE).repeat().batch(BATCH_SIZE), steps_per_epoch=STEPS_PER_EPOCH: a full shuffle each epoch
    let limit = options.maxMinutes.map { WallTimeLimit(seconds: 60 * $0) }
    let history = try model.fit(xTrain, yTrain, epochs: options.maxEpochs, batchSize: BATCH_SIZE, verbose: 0,
                                validationData: (xValidation, yValidation),
                                callbacks: [EpochDots(name: name), EarlyStopping(monitor: "val_binary_crossentropy", patience: options.patience)] + (limit.map { [$0] } ?? []),
                                stepsPerEpoch: STEPS_PER_EPOCH, validationBatchSize: BATCH_SIZE)
    let epochs = history.epoch.count
    let seconds = Date().timeIntervalSince(started)
    if limit?.stopped == true { print("\(name): stopped by --max-minutes \(options.maxMinutes ?? 0) before EarlyStopping ended it (not a complete run).") }
    print(name + String(format: ": %d epochs in %.1f s (%.1f ms an epoch); last val_binary_crossentropy %.4f, val_accuracy %.4f",
                 epochs, seconds, 1000 * seconds / Double(max(epochs, 1)),
                 history.history["val_binary_crossentropy"]?.last ?? .nan, history.history["val_accuracy"]?.last ?? .nan))
    return history
}

@MainActor func dense(_ units: Int, l2: Float? = nil, first: Bool) -> Dense {
    Dense(units, activation: .elu, kernelRegularizer: l2.map { .l2($0) }, inputShape: first ? [FEATURES] : nil)
}
/// The tutorial's models by name: widths of the ELU layers, an L2 factor and whether Dropout(0.5) follows each.
@MainActor func makeModel(_ key: String) throws -> (name: String, model: Sequential)? {
    let specification: (name: String, widths: [Int], l2: Float?, dropout: Bool)
    switch key {
    case "tiny": specification = ("Tiny", [16], nil, false)
    case "small": specification = ("Small", [16, 16], nil, false)
    case "medium": specification = ("Medium", [64, 64, 64], nil, false)
    case "large": specification = ("Large", [512, 512, 512, 512], nil, false)
    case "l2": specification = ("L2", [512, 512, 512, 512], 0.001, false)
    case "dropout": specification = ("Dropout", [512, 512, 512, 512], nil, true)
    case "combined": specification = ("Combined", [512, 512, 512, 512], 0.0001, true)
    default: return nil
    }
    var layers: [Layer] = []
    for (index, width) in specification.widths.enumerated() {
        layers.append(dense(width, l2: specification.l2, first: index == 0))
        if specification.dropout { layers.append(Dropout(0.5)) }
    }
    layers.append(Dense(1))
    return (specification.name, try Sequential(layers))
}

let keys = options.models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
var logs: [(name: String, log: TrainingLog)] = []
var parameterCounts: [String: Int] = [:]
for (index, key) in keys.enumerated() {
    Kestrel.setRandomSeed(options.seed &+ UInt64(index))
    guard let (name, model) = try makeModel(key) else {
        throw ValidationError("--models: unknown model '\(key)'; use tiny, small, medium, large, l2, dropout, combined.")
    }
    let historyFile = "\(options.output)/\(name.lowercased())-history.json"
    let log: TrainingLog
    if options.reuseHistories, FileManager.default.fileExists(atPath: historyFile) {
        log = try TrainingLogReader.read(contentsOf: URL(fileURLWithPath: historyFile))
        print("\(name): \(log.epochs.count) epochs read from \(historyFile) (--reuse-histories), not trained again.")
    } else {
        let history = try compileAndFit(model, name)
        log = try TrainingLog(history: history)
        try HistoryFile.json(log).write(to: URL(fileURLWithPath: historyFile), options: .atomic)
    }
    logs.append((name, log))
    let parameters = model.countParams()
    if parameters > 0 { parameterCounts[name] = parameters }
}

// Each model is diagnosed beside the others (same data): underfitting needs a sibling of at least its size
// that does clearly better, not a fixed accuracy bar (this data's best possible accuracy is near 0.72).
var diagnosisOptions = DiagnosisOptions()
diagnosisOptions.monitor = "val_binary_crossentropy"
let verdicts = logs.map { run in
    let siblings = logs.filter { $0.name != run.name }.map { SiblingRun(name: $0.name, log: $0.log, parameterCount: parameterCounts[$0.name]) }
    let diagnosis = CurveAnalyzer(options: diagnosisOptions).diagnose(run.log, siblings: siblings, parameterCount: parameterCounts[run.name])
    return "\(run.name): \(diagnosis.verdict.title) — \(diagnosis.headline)"
}

// plotter = tfdocs.plots.HistoryPlotter(metric='binary_crossentropy', smoothing_std=10); plt.xscale('log'); plt.ylim([0.5, 0.7])
@MainActor func plot(_ names: [String], title: String) throws -> Figure? {
    let chosen = logs.filter { names.contains($0.name) }
    guard !chosen.isEmpty else { return nil }
    var plotter = HistoryPlotter(metric: "binary_crossentropy", smoothingStd: 10)
    plotter.logX = true
    plotter.title = title
    return try plotter.figure(chosen)
}
var report = HTMLReport(title: "Overfit and underfit: Higgs", subtitle: "\(dataPath) · \(N_TRAIN) training rows, \(N_VALIDATION) validation rows · batch \(BATCH_SIZE) · up to \(options.maxEpochs) epochs")
var comparisonOptions = DiagnosisOptions()
comparisonOptions.monitor = "val_binary_crossentropy"
report.options = comparisonOptions
report.variants = try MultiRunAnalyzer(options: comparisonOptions).compare(variants: logs.map { ($0.name, [$0.log]) })
if let sizes = try plot(["Tiny", "Small", "Medium", "Large"], title: "Model size: binary cross-entropy (smoothed, σ = 10 epochs)") {
    try sizes.write(to: "\(options.output)/sizes.svg")
    try sizes.write(to: "\(options.output)/sizes.png")
    report.figures.append(("Tiny, Small, Medium, Large (training solid, validation dashed)", sizes.svg))
}
if let regularized = try plot(["Tiny", "L2", "Dropout", "Combined"], title: "Regularisation: binary cross-entropy (smoothed, σ = 10 epochs)") {
    try regularized.write(to: "\(options.output)/regularizers.svg")
    try regularized.write(to: "\(options.output)/regularizers.png")
    report.figures.append(("Regularisation on the Large model (training solid, validation dashed)", regularized.svg))
}
try report.write(to: URL(fileURLWithPath: "\(options.output)/report.html"))

print("\nMinimum val_binary_crossentropy and its epoch (the tutorial: the Large model overfits almost at once; regularised ones stay near Tiny's validation loss):")
for (name, log) in logs {
    let values = log.values("val_binary_crossentropy") ?? []
    if let best = values.indices.filter({ values[$0].isFinite }).min(by: { values[$0] < values[$1] }) {
        let training = log.values("binary_crossentropy")?[best] ?? .nan
        print("  " + name.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: " %.4f at epoch %d (training %.4f, gap %+.4f), %d epochs run", values[best], best + 1, training, values[best] - training, values.count))
    }
}
print("\nDiagnosis (monitor val_binary_crossentropy):\n" + verdicts.map { "  • " + $0 }.joined(separator: "\n"))
print("Report: \(options.output)/report.html (sizes.png, regularizers.png, <model>-history.json)")
