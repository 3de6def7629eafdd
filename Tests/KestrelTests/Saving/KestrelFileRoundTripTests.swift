import Foundation
import XCTest
@testable import Kestrel

/// Files Kestrel writes: Keras 3's layout (checked member by member and path by path) and read back
/// by Kestrel with the same predictions, compile config and optimizer state.
final class KestrelFileRoundTripTests: XCTestCase {
    private typealias F = KerasSavingFixtures

    private func trainedCNN(optimizer: Optimizer) throws -> (Sequential, Tensor) {
        Kestrel.setRandomSeed(11)
        let model = try Sequential(name: "cnn") {
            Input(shape: [8, 8, 1])
            Conv2D(4, kernelSize: 3, activation: .relu)
            BatchNormalization()
            MaxPooling2D()
            Dropout(0.2)
            Flatten()
            Dense(5, activation: .softmax)
        }
        try model.compile(optimizer: optimizer, loss: .sparseCategoricalCrossentropy, metrics: [try Metric.named("accuracy")])
        var generator = RandomGenerator(seed: 5)
        let x = try Tensor.randomNormal([16, 8, 8, 1], mean: 0, standardDeviation: 1, generator: &generator)
        let y = Tensor((0..<16).map { Float($0 % 5) })
        try model.fit(x, y, epochs: 2, batchSize: 8, verbose: .silent)
        return (model, x)
    }

    func testSaveThenLoadModelKeepsPredictionsCompileConfigAndOptimizerState() throws {
        let folder = try F.temporaryFolder(self)
        for optimizer in [try Adam(learningRate: 0.01), try SGD(learningRate: 0.05, momentum: 0.9), try RMSprop(momentum: 0.5, centered: true)] as [Optimizer] {
            let (model, x) = try trainedCNN(optimizer: optimizer)
            let path = folder.appendingPathComponent("\(optimizer.name).keras").path
            try model.save(path)
            let loaded = try loadModel(path)
            XCTAssertEqual(try loaded.predict(x).scalars, try model.predict(x).scalars, optimizer.name)
            XCTAssertEqual(loaded.optimizer?.iterations, 4)
            XCTAssertEqual(loaded.optimizer?.name, optimizer.name)
            XCTAssertEqual(loaded.loss?.name, "sparse_categorical_crossentropy")
            for (original, restored) in zip(model.trainableWeights, loaded.trainableWeights) {
                XCTAssertEqual(try XCTUnwrap(loaded.optimizer).slotTensors(for: restored).map(\.scalars),
                               optimizer.slotTensors(for: original).map(\.scalars), "\(optimizer.name) \(original.name)")
            }
            // One more step from the saved state equals one more step of the original.
            let y = Tensor((0..<16).map { Float(($0 + 1) % 5) })
            Kestrel.setRandomSeed(3)
            try model.fit(x, y, epochs: 1, batchSize: 16, verbose: .silent, shuffle: false)
            Kestrel.setRandomSeed(3)
            try loaded.fit(x, y, epochs: 1, batchSize: 16, verbose: .silent, shuffle: false)
            XCTAssertEqual(loaded.optimizer?.iterations, 5)
        }
    }

    func testKerasLayoutOfTheFile() throws {
        let (model, _) = try trainedCNN(optimizer: .adam())
        let path = try F.temporaryFolder(self).appendingPathComponent("m.keras").path
        try model.save(path)
        let members = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: path)), fileName: path,
                                            wanted: ["metadata.json", "config.json", "model.weights.h5"])
        XCTAssertEqual(Set(members.keys), ["metadata.json", "config.json", "model.weights.h5"])
        let config = try ConfigValue.parse(try XCTUnwrap(members["config.json"]), source: "config.json")
        XCTAssertEqual(config["module"], .string("keras"))
        XCTAssertEqual(config["class_name"], .string("Sequential"))
        XCTAssertEqual(config["build_config"]?["input_shape"], .array([.null, .int(8), .int(8), .int(1)]))
        let layers = try XCTUnwrap(config["config"]?["layers"]?.arrayValue)
        XCTAssertEqual(layers.map { $0["class_name"]?.stringValue ?? "" },
                       ["InputLayer", "Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense"])
        XCTAssertEqual(layers[1]["config"]?["dtype"], KerasObjects.float32Policy)
        XCTAssertEqual(layers[1]["config"]?["kernel_initializer"]?["class_name"], .string("GlorotUniform"))
        XCTAssertEqual(layers[2]["build_config"]?["input_shape"], .array([.null, .int(6), .int(6), .int(4)]))
        XCTAssertEqual(config["compile_config"]?["optimizer"]?["class_name"], .string("Adam"))
        XCTAssertEqual(config["compile_config"]?["loss"], .string("sparse_categorical_crossentropy"))
        XCTAssertEqual(config["compile_config"]?["metrics"], .array([.string("accuracy")]))

        let file = try HDF5File.open(image: try XCTUnwrap(members["model.weights.h5"]), fileName: "model.weights.h5")
        XCTAssertEqual(try file.childNames(of: "layers"),
                       ["batch_normalization", "conv2d", "dense", "dropout", "flatten", "max_pooling2d"])
        XCTAssertEqual(try file.childNames(of: "layers/batch_normalization/vars"), ["0", "1", "2", "3"])
        XCTAssertEqual(file.stringAttribute("name", on: "layers/conv2d/vars"), model.layers[0].name)
        XCTAssertEqual(try file.datasetInfo("layers/conv2d/vars/0").shape, [3, 3, 1, 4])
        XCTAssertEqual(try file.datasetInfo("layers/conv2d/vars/0").dtype, "float32")
        XCTAssertEqual(file.stringAttribute("name", on: "optimizer/vars"), "adam")
        XCTAssertEqual(try file.datasetInfo("optimizer/vars/0").dtype, "int64")
        // iterations, learning rate, then (m, v) for each of the 6 trainable variables.
        XCTAssertEqual(try file.childNames(of: "optimizer/vars").count, 2 + 12)
        XCTAssertEqual(try file.datasetInfo("optimizer/vars/2").shape, [3, 3, 1, 4])
        XCTAssertEqual(try file.datasetInfo("optimizer/vars/3").shape, [3, 3, 1, 4])
        XCTAssertEqual(try file.datasetInfo("optimizer/vars/4").shape, [4])
        XCTAssertEqual(file.stringAttribute("name", on: "vars"), "cnn")
        XCTAssertEqual(try file.readFloats("layers/dense/vars/1").values, model.layers[5].weights[1].value.scalars)
    }

    func testWeightsFileAndJSONRoundTrip() throws {
        let (model, x) = try trainedCNN(optimizer: .sgd())
        let folder = try F.temporaryFolder(self)
        let weightsPath = folder.appendingPathComponent("w.weights.h5").path
        try model.saveWeights(weightsPath)
        let copy = try modelFromJSON(try model.toJSON())
        XCTAssertNotEqual(try copy.predict(x).scalars, try model.predict(x).scalars, "fresh weights differ")
        try copy.loadWeights(weightsPath)
        XCTAssertEqual(try copy.predict(x).scalars, try model.predict(x).scalars)
        let original = try ConfigValue.parse(Data(try model.toJSON().utf8), source: "original")
        let reread = try ConfigValue.parse(Data(try copy.toJSON().utf8), source: "copy")
        XCTAssertEqual(reread["config"], original["config"], "the same architecture, layer names included")
        XCTAssertNil(reread["compile_config"], "model_from_json gives an uncompiled model")
        XCTAssertNotNil(original["compile_config"])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files, ["w.weights.h5"], "no temporary file is left behind")
    }

    func testLoadWeightsNamesTheFirstMismatchAndLeavesTheModelUnchanged() throws {
        let (model, _) = try trainedCNN(optimizer: .sgd())
        let path = try F.temporaryFolder(self).appendingPathComponent("w.weights.h5").path
        try model.saveWeights(path)
        let other = try Sequential {
            Input(shape: [8, 8, 1])
            Conv2D(4, kernelSize: 3, activation: .relu)
            BatchNormalization()
            MaxPooling2D()
            Dropout(0.2)
            Flatten()
            Dense(7, activation: .softmax)
        }
        let before = other.getWeights().map(\.scalars)
        XCTAssertThrowsError(try other.loadWeights(path)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("layer '\(other.layers[5].name)' (Dense) weight 0 (kernel)"), message)
            XCTAssertTrue(message.contains("(36, 5) in the file but (36, 7) in the model"), message)
        }
        XCTAssertEqual(other.getWeights().map(\.scalars), before)
    }

    func testSavingRefusesWrongExtensionsAndKestrelOnlyLayers() throws {
        let folder = try F.temporaryFolder(self)
        let model = try Sequential { Input(shape: [4]); Dense(2) }
        XCTAssertThrowsError(try model.save(folder.appendingPathComponent("m.tf").path)) {
            XCTAssertTrue(String(describing: $0).contains("must end in .keras"), "\($0)")
        }
        XCTAssertThrowsError(try model.saveWeights(folder.appendingPathComponent("m.h5").path)) {
            XCTAssertTrue(String(describing: $0).contains("must end in .weights.h5"), "\($0)")
        }
        let sheared = try Sequential {
            Input(shape: [4, 4, 1]); RandomAugmentation([try RandomShearTransform(xFactor: 0.2)]); Flatten(); Dense(2)
        }
        XCTAssertThrowsError(try sheared.save(folder.appendingPathComponent("a.keras").path)) {
            XCTAssertTrue(String(describing: $0).contains("RandomShearTransform, which has no Keras 3 layer"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    /// `kestrel fit --augment … --save` builds a RandomAugmentation: it is saved as the Keras layers it
    /// fuses, which load back (in Kestrel, and in Keras) with the same settings and predictions.
    func testRandomAugmentationIsSavedAsTheKerasLayersItFuses() throws {
        let folder = try F.temporaryFolder(self)
        let model = try Sequential {
            Input(shape: [6, 6, 1])
            try RandomAugmentation(parsing: "flip,rotate:18,shift:0.1,zoom:0.2,contrast:0.3,flip:vertical")
            Flatten()
            Dense(3, activation: .softmax)
        }
        let path = folder.appendingPathComponent("augmented.keras").path
        try model.save(path)
        let loaded = try loadModel(path)
        XCTAssertEqual(loaded.layers.map(\.className), ["RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
                                                        "RandomContrast", "RandomFlip", "Flatten", "Dense"])
        XCTAssertEqual(loaded.layers[0].config["mode"], .string("horizontal"))
        XCTAssertEqual(loaded.layers[5].config["mode"], .string("vertical"))
        XCTAssertEqual(loaded.layers[1].config["factor"], .array([.double(-0.05), .double(0.05)]), "18° is 0.05 of a turn")
        XCTAssertEqual(loaded.layers[3].config["height_factor"], .array([.double(-0.2), .double(0.2)]))
        XCTAssertEqual(Set(loaded.layers.prefix(6).map(\.name)).count, 6, "the layers get distinct names")
        var generator = RandomGenerator(seed: 5)
        let x = try Tensor.randomNormal([4, 6, 6, 1], mean: 0, standardDeviation: 1, generator: &generator)
        XCTAssertEqual(try loaded.predict(x, verbose: .silent).scalars, try model.predict(x, verbose: .silent).scalars)
    }
}
