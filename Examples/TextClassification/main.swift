// TensorFlow's "Basic text classification" tutorial (tutorials/keras/text_classification): sentiment of
// IMDB reviews with TextVectorization (10,000 tokens, 250 per review), Embedding 16, Dropout,
// GlobalAveragePooling1D, Dense 1, BinaryCrossentropy(fromLogits: true), BinaryAccuracy(threshold: 0),
// 10 epochs; then the export model that takes raw strings, and Kestrel's diagnosis of the curves.
//
//   swift run -c release TextClassification --archive aclImdb_v1.tar.gz   (the tutorial's download)
//   swift run -c release TextClassification --data-dir . (a folder that already holds aclImdb/)
//   swift run TextClassification --synthetic 200 --epochs 3   (a generated archive of the same format)
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Option(help: "aclImdb_v1.tar.gz as downloaded from \(AclImdbArchive.url); unpacked into --data-dir without train/unsup.")
    var archive: String?
    @Option(help: "The folder holding (or receiving) aclImdb/.") var dataDir = "out/text-classification"
    @Option(help: "Instead of the real archive: generate one of the same format with this many reviews per class.")
    var synthetic: Int?
    @Option(help: "Epochs (the tutorial: 10).") var epochs = 10
    @Option(help: "Where to save the export model (strings in, probabilities out).") var export = "out/text-classification/export.keras"
}
let options = Options.parseOrExit()

// keras: dataset = tf.keras.utils.get_file("aclImdb_v1", url, untar=True); shutil.rmtree(train_dir/'unsup')
if let count = options.synthetic {
    let path = "\(options.dataDir)/\(AclImdbArchive.fileName)"
    try FileManager.default.createDirectory(atPath: options.dataDir, withIntermediateDirectories: true)
    try SyntheticAclImdb.write(to: path, reviewsPerClass: count)
    print("Generated a synthetic \(AclImdbArchive.fileName) (\(count) reviews per class) at \(path): not the real IMDB data.")
    try AclImdbArchive.extract(path, to: options.dataDir)
} else if let archive = options.archive {
    let summary = try AclImdbArchive.extract(archive, to: options.dataDir)
    print("Unpacked \(summary.counts.values.reduce(0, +)) reviews (unsup left out: \(summary.skippedUnsupervised)).")
}
let root = "\(options.dataDir)/aclImdb"
guard FileManager.default.fileExists(atPath: "\(root)/train") else {
    print("No \(root)/train: download \(AclImdbArchive.url) and pass --archive, or try --synthetic 500.")
    exit(1)
}

// keras: raw_train_ds = tf.keras.utils.text_dataset_from_directory('aclImdb/train', batch_size=32, validation_split=0.2, subset='training', seed=42)
let batchSize = 32, seed: UInt32 = 42
let rawTrainDs = try textDatasetFromDirectory("\(root)/train", batchSize: batchSize, seed: seed, validationSplit: 0.2, subset: .training)
let rawValDs = try textDatasetFromDirectory("\(root)/train", batchSize: batchSize, seed: seed, validationSplit: 0.2, subset: .validation)
let rawTestDs = try textDatasetFromDirectory("\(root)/test", batchSize: batchSize)
print("Found \(rawTrainDs.count + rawValDs.count) files belonging to \(rawTrainDs.classNames.count) classes; \(rawTrainDs.count) for training, \(rawValDs.count) for validation; \(rawTestDs.count) test files.")
print("Label 0 corresponds to \(rawTrainDs.classNames[0]), label 1 to \(rawTrainDs.classNames[1]).")

// keras: def custom_standardization(input_data): lowercase, '<br />' → ' ', punctuation removed
let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)
let customStandardization = TextStandardization.custom(name: "custom_standardization") { text in
    // tf.strings.lower lower-cases ASCII letters only.
    let lowercase = String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    let strippedHTML = lowercase.replacingOccurrences(of: "<br />", with: " ")
    return String(String.UnicodeScalarView(strippedHTML.unicodeScalars.filter { !punctuation.contains($0) }))
}

// keras: vectorize_layer = layers.TextVectorization(standardize=custom_standardization, max_tokens=10000, output_mode='int', output_sequence_length=250)
let maxFeatures = 10000, sequenceLength = 250
let vectorizeLayer = TextVectorization(maxTokens: maxFeatures, standardize: customStandardization, outputMode: .int,
                                       outputSequenceLength: sequenceLength)
// keras: vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x))
try vectorizeLayer.adapt(rawTrainDs.textsOnly)
print("Vocabulary size: \(vectorizeLayer.vocabularySize()); 1287 → '\(vectorizeLayer.getVocabulary().count > 1287 ? vectorizeLayer.getVocabulary()[1287] : "-")'")

// keras: train_ds = raw_train_ds.map(vectorize_text) (and val, test)
let trainDs = try rawTrainDs.map { try vectorizeLayer($0) }
let valDs = try rawValDs.map { try vectorizeLayer($0) }
let testDs = try rawTestDs.map { try vectorizeLayer($0) }

// keras: model = tf.keras.Sequential([layers.Embedding(max_features, 16), layers.Dropout(0.2), layers.GlobalAveragePooling1D(), layers.Dropout(0.2), layers.Dense(1)])
Kestrel.setRandomSeed(7)
let model = try Sequential {
    Input(shape: [sequenceLength])
    Embedding(maxFeatures, 16)
    Dropout(0.2)
    GlobalAveragePooling1D()
    Dropout(0.2)
    Dense(1)
}
model.summary()
// keras: model.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer='adam', metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)])
try model.compile(optimizer: "adam", loss: BinaryCrossentropy(fromLogits: true), metrics: [BinaryAccuracy(threshold: 0)])
// keras: history = model.fit(train_ds, validation_data=val_ds, epochs=10)
let history = try model.fit(trainDs, epochs: options.epochs, validationData: valDs)
// keras: loss, accuracy = model.evaluate(test_ds)
let test = try model.evaluate(testDs)
print("Test loss: \(test.loss), test accuracy: \(test["binary_accuracy"] ?? .nan)")

// keras: export_model = tf.keras.Sequential([vectorize_layer, model, layers.Activation('sigmoid')])
let exportModel = try Sequential([vectorizeLayer, model, Activation(.sigmoid)])
try exportModel.compile(optimizer: "adam", loss: BinaryCrossentropy(fromLogits: false), metrics: ["accuracy"])
let exported = try exportModel.evaluate(rawTestDs)
print("Export model on raw test strings: accuracy \(exported["accuracy"] ?? .nan)")
let examples = ["The movie was great!", "The movie was okay.", "The movie was terrible..."]
let predictions = try exportModel.predict(texts: examples)
for (text, probability) in zip(examples, predictions.scalars) { print("  \(String(format: "%.3f", probability))  \(text)") }
try FileManager.default.createDirectory(atPath: (options.export as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
try exportModel.save(options.export)
print("Saved the export model (vocabulary included) to \(options.export).")

// Kestrel: the diagnosis of the learning curves.
let diagnosis = try history.diagnose()
print("\n" + TerminalReport.render(diagnosis, log: try TrainingLog(history: history)))
