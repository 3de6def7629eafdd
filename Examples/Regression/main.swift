// TensorFlow's "Basic regression: Predict fuel efficiency" (tutorials/keras/regression) in Kestrel, with its
// hyper-parameters: the Auto MPG data read as pandas reads it (whitespace-separated, '?' missing, the car name
// after a tab dropped), rows with a missing value dropped, Origin one-hot encoded (USA/Europe/Japan), 80/20
// train/test split; then four models — linear on Horsepower, linear on all features, DNN on Horsepower, DNN on
// all features — each Normalization-adapted, MAE loss, 100 epochs, validation_split 0.2; the test MAE table;
// the loss curves; the DNN saved as .keras and reloaded; and Kestrel's diagnosis of each run.
//
//   swift run -c release Regression --data auto-mpg.data [--epochs 100] [--output out/regression]
//
// auto-mpg.data: http://archive.ics.uci.edu/ml/machine-learning-databases/auto-mpg/auto-mpg.data (the URL the
// tutorial reads); also looked for in ~/.keras/datasets/.
import Foundation
import Kestrel
import KestrelData
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "The Auto MPG file (auto-mpg.data).") var data: String?
    @Option(help: "Epochs per model (the tutorial: 100).") var epochs = 100
    @Option(help: "Folder for the figures, histories, model and report.") var output = "out/regression"
    @Option(help: "Seed of the train/test split and the weights.") var seed: UInt64 = 0
}
let options = Options.parseOrExit()

@MainActor func locateData() throws -> String {
    let candidates = [options.data, "auto-mpg.data", NSString(string: "~/.keras/datasets/auto-mpg.data").expandingTildeInPath].compactMap { $0 }
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
    throw ValidationError("No Auto MPG data: download http://archive.ics.uci.edu/ml/machine-learning-databases/auto-mpg/auto-mpg.data and pass --data PATH.")
}

// column_names = ['MPG', 'Cylinders', 'Displacement', 'Horsepower', 'Weight', 'Acceleration', 'Model Year', 'Origin']
let columnNames = ["MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year", "Origin"]
// raw_dataset = pd.read_csv(url, names=column_names, na_values='?', comment='\t', sep=' ', skipinitialspace=True)
let path = try locateData()
let raw = try CSVTable.read(path, columnNames: columnNames, naValues: ["?"], comment: "\t", separator: .whitespace)
// dataset = dataset.dropna()
var dataset = try raw.dropMissing()
print("\(path): \(raw.rowCount) rows, \(raw.rowCount - dataset.rowCount) with a missing value dropped.")
// dataset['Origin'] = dataset['Origin'].map({1: 'USA', 2: 'Europe', 3: 'Japan'})
dataset = try dataset.mapping("Origin", ["1": "USA", "2": "Europe", "3": "Japan"])
// dataset = pd.get_dummies(dataset, columns=['Origin'], prefix='', prefix_sep='')
dataset = try dataset.oneHot(columns: ["Origin"], prefix: "", separator: "")
// train_dataset = dataset.sample(frac=0.8, random_state=0); test_dataset = dataset.drop(train_dataset.index)
let (trainDataset, testDataset) = try dataset.sample(fraction: 0.8, seed: options.seed)
print("Train: \(trainDataset.rowCount) rows, test: \(testDataset.rowCount) rows.\n")
print("train_dataset.describe().transpose()[['mean', 'std']]")
for (column, mean, std) in trainDataset.describe() {
    print("  " + column.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%12.6f %12.6f", mean, std))
}
// train_labels = train_features.pop('MPG')
let (trainFeatureTable, trainLabels) = try trainDataset.popping("MPG")
let (testFeatureTable, testLabels) = try testDataset.popping("MPG")
let trainFeatures = try trainFeatureTable.tensor(), testFeatures = try testFeatureTable.tensor()
let trainHorsepower = try trainFeatureTable.tensor(columns: ["Horsepower"]), testHorsepower = try testFeatureTable.tensor(columns: ["Horsepower"])
let featureCount = trainFeatureTable.columnNames.count

// normalizer = tf.keras.layers.Normalization(axis=-1); normalizer.adapt(np.array(train_features))
// (each model gets its own adapted normalizer; the tutorial shares one instance, which has no trainable weights)
@MainActor func featureNormalizer() throws -> Normalization {
    let normalizer = Normalization(axis: -1)
    try normalizer.adapt(trainFeatures)
    return normalizer
}
// horsepower_normalizer = layers.Normalization(input_shape=[1,], axis=None); horsepower_normalizer.adapt(horsepower)
@MainActor func horsepowerNormalizer() throws -> Normalization {
    let normalizer = Normalization(axis: nil, inputShape: [1])
    try normalizer.adapt(trainHorsepower)
    return normalizer
}
let firstNormalizer = try featureNormalizer()
print("\nnormalizer.mean: " + firstNormalizer.weights[0].value.scalars.map { String(format: "%.3f", $0) }.joined(separator: " "))

@MainActor func linearModel(_ normalizer: Normalization, inputs: Int) throws -> Sequential {
    let model = try Sequential {
        Input(shape: [inputs])
        normalizer
        Dense(1)
    }
    try model.compile(optimizer: .adam(learningRate: 0.1), loss: .meanAbsoluteError)
    return model
}
// def build_and_compile_model(norm): Sequential([norm, Dense(64, relu), Dense(64, relu), Dense(1)]), Adam(0.001), MAE
@MainActor func buildAndCompileModel(_ normalizer: Normalization, inputs: Int) throws -> Sequential {
    let model = try Sequential {
        Input(shape: [inputs])
        normalizer
        Dense(64, activation: .relu)
        Dense(64, activation: .relu)
        Dense(1)
    }
    try model.compile(optimizer: .adam(learningRate: 0.001), loss: .meanAbsoluteError)
    return model
}

struct Run { let name: String; let history: History; let testMAE: Double }
var runs: [Run] = []
let plan: [(name: String, make: () throws -> Sequential, x: Tensor, testX: Tensor)] = [
    ("horsepower_model", { try linearModel(try horsepowerNormalizer(), inputs: 1) }, trainHorsepower, testHorsepower),
    ("linear_model", { try linearModel(try featureNormalizer(), inputs: featureCount) }, trainFeatures, testFeatures),
    ("dnn_horsepower_model", { try buildAndCompileModel(try horsepowerNormalizer(), inputs: 1) }, trainHorsepower, testHorsepower),
    ("dnn_model", { try buildAndCompileModel(try featureNormalizer(), inputs: featureCount) }, trainFeatures, testFeatures),
]
try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
var dnnModel: Sequential?
for (index, item) in plan.enumerated() {
    Kestrel.setRandomSeed(options.seed &+ UInt64(index))
    let model = try item.make()
    if item.name == "dnn_model" { model.summary() }
    // history = model.fit(x, train_labels, epochs=100, verbose=0, validation_split=0.2)
    let history = try model.fit(item.x, trainLabels, epochs: options.epochs, verbose: 0, validationSplit: 0.2)
    // test_results[name] = model.evaluate(test_x, test_labels, verbose=0)
    let evaluation: EvaluationResult = try model.evaluate(item.testX, testLabels, verbose: 0)
    let testMAE = evaluation.loss
    runs.append(Run(name: item.name, history: history, testMAE: testMAE))
    let log = try TrainingLog(history: history)
    try history.save(to: "\(options.output)/\(item.name)-history.json")
    // plot_loss(history): loss and val_loss, 'Error [MPG]', ylim [0, 10]
    var plotter = HistoryPlotter(metric: "loss")
    plotter.title = "\(item.name): Error [MPG]"
    plotter.yRange = 0...10
    try plotter.figure([(item.name, log)]).write(to: "\(options.output)/\(item.name)-loss.svg")
    print(item.name + String(format: ": final loss %.3f, val_loss %.3f, test MAE %.3f",
                 history.history["loss"]?.last ?? .nan, history.history["val_loss"]?.last ?? .nan, testMAE))
    if item.name == "dnn_model" { dnnModel = model }
}

// pd.DataFrame(test_results, index=['Mean absolute error [MPG]']).T
// The tutorial's text states no test MAE (tensorflow/docs site/en/tutorials/keras/regression.ipynb, stored
// without outputs); its 2018–19 version (basic_regression.ipynb) said only that the validation error "is usually
// around +/- 2 MPG". Docs/Tutorials.md sets Kestrel's figures beside that.
print("\n" + "".padding(toLength: 22, withPad: " ", startingAt: 0) + "Mean absolute error [MPG]")
for run in runs {
    print(run.name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%25.6f", run.testMAE))
}

// dnn_model.save('dnn_model.keras'); reloaded = tf.keras.models.load_model('dnn_model.keras')
if let dnnModel {
    let file = "\(options.output)/dnn_model.keras"
    try dnnModel.save(file)
    let reloaded = try loadModel(file)
    let reloadedResult: EvaluationResult = try reloaded.evaluate(testFeatures, testLabels, verbose: 0)
    let reloadedMAE = reloadedResult.loss
    print("\nreloaded \(file): " + String(format: "test MAE %.6f (before saving %.6f)", reloadedMAE, runs.last?.testMAE ?? .nan))
}

// All four loss curves in one figure: one colour per model, training solid, validation dashed.
var overlay = HistoryPlotter(metric: "loss")
overlay.title = "Auto MPG: mean absolute error [MPG]"
overlay.yRange = 0...10
let logs = try runs.map { ($0.name, try TrainingLog(history: $0.history)) }
let curves = try overlay.figure(logs)
try curves.write(to: "\(options.output)/loss-curves.svg")
try curves.write(to: "\(options.output)/loss-curves.png")

print("\nDiagnosis:")
// The report: the DNN's verdict and curves, the four models compared, and the overlaid loss curves.
guard let dnnRun = runs.last else { throw ValidationError("no model was trained") }
let dnnLog = try TrainingLog(history: dnnRun.history)
var report = HTMLReport(title: "Basic regression: Auto MPG", subtitle: "\(path) · validation_split 0.2 · verdict of dnn_model",
                        log: dnnLog, diagnosis: try dnnRun.history.diagnose())
report.variants = try MultiRunAnalyzer().compare(variants: logs.map { ($0.0, [$0.1]) })
report.figures = [("Loss of the four models (training solid, validation dashed)", curves.svg)]
for run in runs {
    let diagnosis = try run.history.diagnose()
    print("  • \(run.name): \(diagnosis.verdict.title) — \(diagnosis.headline)")
}
if let dnn = runs.last {
    print("\n" + TerminalReport.render(try dnn.history.diagnose(), log: try TrainingLog(history: dnn.history)))
}
try report.write(to: URL(fileURLWithPath: "\(options.output)/report.html"))
print("Figures, histories and report: \(options.output)/ (loss-curves.png, report.html)")
