// The first version of TensorFlow's "Overfit and underfit" tutorial: IMDB reviews as 10,000-word
// multi-hot vectors, three binary classifiers of growing capacity — Smaller (4-4), Baseline (16-16),
// Bigger (512-512) — then the baseline with L2(0.001) and with Dropout(0.5); Adam, binary crossentropy, 20 epochs
// of batch 512 validated on the test set, their curves overlaid (sizes.png, regularizers.png) in one report and a
// verdict for each.
//
// The tutorial encoded reviews with `imdb.load_data(num_words=10000)`: with --npz (Keras's downloaded
// imdb.npz, found in ~/.keras/datasets by default) this reads the same file with the same encoding
// (KerasIMDB.loadData). Otherwise the reviews come from the archive users download (aclImdb_v1.tar.gz)
// and are encoded with TextVectorization(maxTokens: 10000, outputMode: .multiHot) adapted on the
// training reviews: the same kind of vector (the 10,000 most frequent words), not the same indices.
//
//   swift run -c release OverfitUnderfitIMDB                      (Keras's imdb.npz when downloaded)
//   swift run -c release OverfitUnderfitIMDB --archive aclImdb_v1.tar.gz
//   swift run OverfitUnderfitIMDB --synthetic 200 --epochs 3
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "Keras's imdb.npz (default: the one keras.datasets.imdb.load_data() downloaded, when present).") var npz: String?
    @Option(help: "aclImdb_v1.tar.gz as downloaded from \(AclImdbArchive.url).") var archive: String?
    @Option(help: "The folder holding (or receiving) aclImdb/.") var dataDir = "out/overfit-underfit-imdb"
    @Option(help: "Instead of the real archive: generate one of the same format with this many reviews per class.")
    var synthetic: Int?
    @Option(help: "Epochs per model (the tutorial: 20).") var epochs = 20
    @Option(help: "Words in the multi-hot vectors (the tutorial: 10000).") var numWords = 10000
    @Option(help: "Where to write the HTML report.") var output = "out/overfit-underfit-imdb/report.html"
    @Option(help: "Models to train, comma-separated: smaller,baseline,bigger,l2,dropout (default: all five).")
    var models = "smaller,baseline,bigger,l2,dropout"
}
let options = Options.parseOrExit()
// The tutorial's five models: three sizes, then the baseline with L2 weight regularization and with Dropout.
let allModels: [(key: String, name: String, units: Int, l2: Float?, dropout: Bool)] = [
    ("smaller", "Smaller (4-4)", 4, nil, false), ("baseline", "Baseline (16-16)", 16, nil, false),
    ("bigger", "Bigger (512-512)", 512, nil, false), ("l2", "L2 (16-16)", 16, 0.001, false), ("dropout", "Dropout (16-16)", 16, nil, true)]
let chosenKeys = options.models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
if let unknown = chosenKeys.first(where: { key in !allModels.contains { $0.key == key } }) {
    print("--models: unknown model '\(unknown)'; use smaller, baseline, bigger, l2, dropout.")
    exit(1)
}
let models = allModels.filter { chosenKeys.contains($0.key) }.map { (name: $0.name, units: $0.units, l2: $0.l2, dropout: $0.dropout) }

let trainData: Tensor, trainLabels: Tensor, testData: Tensor, testLabels: Tensor
let npzPath = options.npz ?? KerasIMDB.kerasDatasetsFolder + "/imdb.npz"
if options.synthetic == nil, options.archive == nil, FileManager.default.fileExists(atPath: npzPath) {
    // keras: (train_data, train_labels), (test_data, test_labels) = keras.datasets.imdb.load_data(num_words=NUM_WORDS)
    let (train, test) = try KerasIMDB.loadData(path: npzPath, numWords: options.numWords)
    // keras: train_data = multi_hot_sequences(train_data, dimension=NUM_WORDS)
    trainData = try KerasIMDB.multiHot(train.sequences, dimension: options.numWords)
    testData = try KerasIMDB.multiHot(test.sequences, dimension: options.numWords)
    trainLabels = try Tensor(shape: [train.labels.count, 1], scalars: train.labels.map(Float.init))
    testLabels = try Tensor(shape: [test.labels.count, 1], scalars: test.labels.map(Float.init))
    print("\(npzPath): \(train.labels.count) training and \(test.labels.count) test reviews as \(options.numWords)-word multi-hot vectors.")
} else {
    if let count = options.synthetic {
        let path = "\(options.dataDir)/\(AclImdbArchive.fileName)"
        try FileManager.default.createDirectory(atPath: options.dataDir, withIntermediateDirectories: true)
        try SyntheticAclImdb.write(to: path, reviewsPerClass: count)
        print("Generated a synthetic \(AclImdbArchive.fileName) (\(count) reviews per class): not the real IMDB data.")
        try AclImdbArchive.extract(path, to: options.dataDir)
    } else if let archive = options.archive {
        try AclImdbArchive.extract(archive, to: options.dataDir)
    }
    let root = "\(options.dataDir)/aclImdb"
    guard FileManager.default.fileExists(atPath: "\(root)/train") else {
        print("No \(root)/train: download \(AclImdbArchive.url) and pass --archive, or try --synthetic 500.")
        exit(1)
    }

    // keras: (train_data, train_labels), (test_data, test_labels) = keras.datasets.imdb.load_data(num_words=NUM_WORDS)
    let train = try textDatasetFromDirectory("\(root)/train", labelMode: .binary, shuffle: true, seed: 113)
    let test = try textDatasetFromDirectory("\(root)/test", labelMode: .binary, shuffle: true, seed: 113)
    // keras: train_data = multi_hot_sequences(train_data, dimension=NUM_WORDS)
    let multiHot = TextVectorization(maxTokens: options.numWords, outputMode: .multiHot, padToMaxTokens: true)
    try multiHot.adapt(train.textsOnly)
    let (trainX, trainLabelsOptional) = try train.tensors { try multiHot($0) }
    let (testX, testLabelsOptional) = try test.tensors { try multiHot($0) }
    guard let trainY = trainLabelsOptional, let testY = testLabelsOptional else {
        print("The reviews have no labels; check \(root)/train and \(root)/test hold pos/ and neg/.")
        exit(1)
    }
    print("\(train.count) training and \(test.count) test reviews as \(options.numWords)-word multi-hot vectors.")
    trainData = trainX
    trainLabels = trainY
    testData = testX
    testLabels = testY
}

var runs: [(name: String, logs: [TrainingLog])] = []
var verdicts: [String] = []
var progress = RunProgress(total: models.count)
for (name, units, l2, dropout) in models {
    Kestrel.setRandomSeed(7)
    // keras: model = keras.Sequential([keras.layers.Dense(16, activation=tf.nn.relu, input_shape=(NUM_WORDS,)), keras.layers.Dense(16, activation=tf.nn.relu), keras.layers.Dense(1, activation=tf.nn.sigmoid)])
    // l2_model: each Dense(16, kernel_regularizer=keras.regularizers.l2(0.001), …); dpt_model: Dropout(0.5) after each Dense(16)
    var layers: [Layer] = [Dense(units, activation: .relu, kernelRegularizer: l2.map { .l2($0) }, inputShape: [options.numWords])]
    if dropout { layers.append(Dropout(0.5)) }
    layers.append(Dense(units, activation: .relu, kernelRegularizer: l2.map { .l2($0) }))
    if dropout { layers.append(Dropout(0.5)) }
    layers.append(Dense(1, activation: .sigmoid))
    let model = try Sequential(layers)
    // keras: model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy', 'binary_crossentropy'])
    try model.compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy", "binary_crossentropy"])
    print("\n=== \(progress.begin(name)): \(model.countParams()) parameters ===")
    let started = Date()
    // keras: history = model.fit(train_data, train_labels, epochs=20, batch_size=512, validation_data=(test_data, test_labels), verbose=2)
    let history = try model.fit(trainData, trainLabels, epochs: options.epochs, batchSize: 512,
                                validationData: (testData, testLabels), verbose: 2)
    progress.end()
    let seconds = Date().timeIntervalSince(started)
    let validation = history.history["val_binary_crossentropy"] ?? []
    if let best = validation.indices.min(by: { validation[$0] < validation[$1] }) {
        print(name + String(format: ": %.1f s; lowest val_binary_crossentropy %.4f at epoch %d, last %.4f; last val_accuracy %.4f",
                            seconds, validation[best], best + 1, validation.last ?? .nan, history.history["val_accuracy"]?.last ?? .nan))
    }
    let diagnosis = try history.diagnose()
    verdicts.append("\(name): \(diagnosis.verdict.title) — \(diagnosis.headline)")
    runs.append((name, [try TrainingLog(history: history)]))
}

let comparison = try MultiRunAnalyzer().compare(variants: runs)
print("\n" + TerminalReport.render(comparison))
print("Verdicts:\n" + verdicts.map { "  • " + $0 }.joined(separator: "\n"))
var report = HTMLReport(title: "Overfit and underfit (IMDB): Smaller, Baseline, Bigger",
                        subtitle: "\(trainData.shape[0]) reviews, \(options.numWords)-word multi-hot, \(options.epochs) epochs, Adam, batch 512, validated on the test reviews")
report.variants = comparison
let folder = (options.output as NSString).deletingLastPathComponent
try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
// plot_history([('baseline', baseline_history), …]): binary_crossentropy, training solid, validation dashed, one colour per model
for (file, names, title) in [("sizes", ["Smaller (4-4)", "Baseline (16-16)", "Bigger (512-512)"], "Model size: binary cross-entropy"),
                             ("regularizers", ["Baseline (16-16)", "L2 (16-16)", "Dropout (16-16)"], "Regularisation: binary cross-entropy")] {
    let chosen = runs.filter { names.contains($0.name) }.compactMap { run -> (name: String, log: TrainingLog)? in run.logs.first.map { (name: run.name, log: $0) } }
    guard !chosen.isEmpty else { continue }
    var plotter = HistoryPlotter(metric: "binary_crossentropy")
    plotter.title = title
    let figure = try plotter.figure(chosen)
    let path = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(file)
    try figure.write(to: path + ".svg")
    try figure.write(to: path + ".png")
    report.figures.append((title + " (training solid, validation dashed)", figure.svg))
}
try report.write(to: URL(fileURLWithPath: options.output))
print("Report: \(options.output)")
