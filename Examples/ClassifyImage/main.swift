// Classify your own picture: load a PNG/JPEG → 28×28 grayscale → invert (Fashion-MNIST items are
// light on black; photos are dark on light) → predict → print the label. The model is trained
// here first, briefly.
//
//   swift run -c release ClassifyImage [IMAGE] [--epochs 5]
//   (IMAGE defaults to Examples/ClassifyImage/sample.png; `--write-sample PATH` recreates that file)
import Foundation
import Kestrel
import KestrelDiagnostics
import ArgumentParser

struct Options: ParsableArguments {
    @Argument(help: "The PNG or JPEG picture to classify.") var image = "Examples/ClassifyImage/sample.png"
    @Option(help: "Epochs to train the classifier first.") var epochs = 5
    @Option(help: "Recreate the sample picture at this path and stop.") var writeSample: String?
}
let options = Options.parseOrExit()
let (train, test) = try Datasets.fashionMNIST.load()

if let samplePath = options.writeSample {
    // Test image 0 (an ankle boot), inverted to dark-on-white and enlarged 4× like a small photo.
    let pixels = test.pixels[0..<784].map { 255 - $0 }
    let photo = try RasterImage(pixels: Array(pixels), height: 28, width: 28, channels: 1).resized(height: 112, width: 112)
    try ImageFile.write(photo, to: samplePath)
    print("Wrote \(samplePath): test image 0, class \(train.classNames[test.labels[0]]).")
    exit(0)
}
let imagePath = options.image, epochs = options.epochs

Kestrel.setRandomSeed(0)
let model = try Sequential {
    Input(shape: [28, 28])
    Flatten()
    Dense(128, activation: .relu)
    Dense(10, activation: .softmax)
}
try model.compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
let history = try model.fit(train.normalizedX, train.y, epochs: epochs, batchSize: 64, verbose: 2, validationSplit: 0.1)

let image = try loadImg(imagePath, targetSize: (28, 28), colorMode: .grayscale, interpolation: .bilinear)
let x = try Tensor(shape: [1, 28, 28], scalars: image.pixels.map { Float(255 - $0) / 255 })  // invert, scale to 0…1
let probabilities = try model.predict(x).scalars
let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
print("\n\(imagePath): \(train.classNames[ranked[0]]) (\(String(format: "%.1f", probabilities[ranked[0]] * 100))%)")
for index in ranked.prefix(3).dropFirst() {
    print(String(format: "  then %@ (%.1f%%)", train.classNames[index], probabilities[index] * 100))
}
print("\nModel diagnosis: " + (try history.diagnose().headline))
