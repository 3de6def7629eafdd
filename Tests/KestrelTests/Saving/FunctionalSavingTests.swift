import Foundation
import XCTest
@testable import Kestrel

/// Functional and nested models in `.keras` files both ways: files written by real Keras 3
/// (scripts/fixtures/make_keras_functional_saving_fixtures.py → Tests/Fixtures/keras/functional_saving)
/// and Kestrel's own files read back.
final class FunctionalSavingTests: XCTestCase {
    static let directory = KerasFixture.directory.appendingPathComponent("functional_saving")

    private func path(_ name: String) -> String { Self.directory.appendingPathComponent(name).path }

    private func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("expected.json"))
        let all = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(all[name] as? [String: Any])
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max |Kestrel − Keras| = \(worst)", file: file, line: line)
    }

    /// Layer names, parameter counts and summary() text of a loaded Keras file equal Keras's.
    private func checkStructure(_ model: Model, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let case_ = try expected(name)
        XCTAssertTrue(model.isFunctional, file: file, line: line)
        XCTAssertEqual(model.layers.map(\.name), case_["layers"] as? [String], file: file, line: line)
        XCTAssertEqual(model.countParams(), case_["count_params"] as? Int, file: file, line: line)
        XCTAssertEqual(model.trainableWeights.reduce(0) { $0 + $1.value.count }, case_["trainable_params"] as? Int, file: file, line: line)
        XCTAssertEqual(model.nonTrainableWeights.reduce(0) { $0 + $1.value.count }, case_["non_trainable_params"] as? Int, file: file, line: line)
        let summary = try String(contentsOfFile: path("\(name)_summary.txt"), encoding: .utf8)
        XCTAssertEqual(model.summaryText(), summary, file: file, line: line)
    }

    func testBranchedKerasFileLoadsWithKerasPredictionsSummaryAndAdamState() throws {
        let case_ = try expected("branched")
        let model = try loadModel(path("branched.keras"))
        try checkStructure(model, "branched")
        assertClose(try model.predict(try KerasFixture.tensor(case_["x"])), try KerasFixture.tensor(case_["predictions"]), "predictions")
        // The Adam state came back: one more step lands on Keras's next weights.
        try model.fit(try KerasFixture.tensor(case_["batch_x"]), Tensor(try XCTUnwrap(case_["batch_y"] as? [Int]).map(Float.init)),
                      epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
        XCTAssertEqual(model.optimizer?.iterations, case_["iterations_after"] as? Int)
        for (index, (variable, next)) in zip(model.weights, try XCTUnwrap(case_["next_weights"] as? [Any]).map(KerasFixture.tensor)).enumerated() {
            assertClose(variable.value, next, "weight \(index) (\(variable.name)) after one more Adam step")
        }
    }

    func testFrozenNestedBaseLoadsFrozenAndOneStepMatchesKerasWithFrozenWeightsBitIdentical() throws {
        let case_ = try expected("transfer")
        let model = try loadModel(path("transfer.keras"))
        try checkStructure(model, "transfer")
        let base = try XCTUnwrap(try model.getLayer(name: "base") as? Model)
        XCTAssertFalse(base.trainable)
        XCTAssertTrue(base.layers.allSatisfy { !$0.trainable }, "every layer of the frozen base stays frozen")
        XCTAssertTrue(try model.getLayer(name: "block") is Sequential, "the nested Sequential block")
        assertClose(try model.predict(try KerasFixture.tensor(case_["x"])), try KerasFixture.tensor(case_["predictions"]), "predictions")
        for (variable, before) in zip(model.weights, try XCTUnwrap(case_["weights_before"] as? [Any]).map(KerasFixture.tensor)) {
            XCTAssertEqual(variable.value.scalars, before.scalars, "weights are loaded exactly")
        }
        let frozen = base.weights.map(\.value.scalars)
        let history = try model.fit(try KerasFixture.tensor(case_["batch_x"]),
                                    Tensor(try XCTUnwrap(case_["batch_y"] as? [Int]).map(Float.init)),
                                    epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
        XCTAssertEqual(try XCTUnwrap(history.history["loss"]?.first), try XCTUnwrap(case_["loss"] as? Double), accuracy: 1e-5)
        for (index, (variable, next)) in zip(model.weights, try XCTUnwrap(case_["next_weights"] as? [Any]).map(KerasFixture.tensor)).enumerated() {
            assertClose(variable.value, next, "weight \(index) (\(variable.name)) after one SGD step")
        }
        XCTAssertEqual(base.weights.map(\.value.scalars), frozen, "frozen weights must be bit-identical after the step")
    }

    func testMultiOutputKerasFileKeepsLossPerOutputLossWeightsAndMetrics() throws {
        let case_ = try expected("multi")
        let model = try loadModel(path("multi.keras"))
        try checkStructure(model, "multi")
        let inputs = ["image": try KerasFixture.tensor(case_["image"]), "meta": try KerasFixture.tensor(case_["meta"])]
        let predictions = try model.predict(inputs)
        assertClose(try XCTUnwrap(predictions["kind"]), try KerasFixture.tensor(case_["kind"]), "kind")
        assertClose(try XCTUnwrap(predictions["score"]), try KerasFixture.tensor(case_["score"]), "score")
        let combined = try XCTUnwrap(model.loss as? MultiOutputLoss)
        XCTAssertEqual(combined.weights, [1, 0.5])
        XCTAssertTrue(combined.losses[0] is SparseCategoricalCrossentropy && combined.losses[1] is MeanSquaredError)
        let targets = ["kind": Tensor(try XCTUnwrap(KerasFixture.floats(case_["kind_target"]))), "score": try KerasFixture.tensor(case_["score_target"])]
        let history = try model.fit(inputs, targets, epochs: 1, batchSize: 6, verbose: .silent, shuffle: false)
        let keras = try XCTUnwrap(case_["history"] as? [String: Double])
        XCTAssertEqual(history.keys, keras.keys.sorted())
        for (key, value) in keras { XCTAssertEqual(try XCTUnwrap(history[key]?.first), value, accuracy: 1e-5, key) }
        for (index, (variable, next)) in zip(model.weights, try XCTUnwrap(case_["next_weights"] as? [Any]).map(KerasFixture.tensor)).enumerated() {
            assertClose(variable.value, next, "weight \(index) after one more step")
        }
    }

    func testModelFromJSONReadsKerasFunctionalJSONAndLoadWeightsFillsIt() throws {
        let case_ = try expected("branched")
        let model = try modelFromJSON(try String(contentsOfFile: path("branched.json"), encoding: .utf8))
        XCTAssertNil(model.optimizer, "model_from_json does not compile")
        try model.loadWeights(path("branched.keras"))
        assertClose(try model.predict(try KerasFixture.tensor(case_["x"])), try KerasFixture.tensor(case_["predictions"]), "predictions")
    }

    /// A Kestrel model with everything the format has: a frozen nested functional base called with
    /// training: false, a nested Sequential, a layer shared by two calls, Add/Concatenate, two inputs and
    /// two outputs, compiled with a loss and weight per output.
    static func richModel() throws -> Model {
        let baseInput = Input(shape: [6], name: "base_in")
        let baseHidden = try BatchNormalization(name: "base_norm")(try Dense(8, activation: .relu, name: "base_dense")(baseInput))
        let base = try Model(inputs: baseInput, outputs: try Dense(5, activation: .relu, name: "base_out")(baseHidden), name: "pretrained")
        base.trainable = false
        let block = try Sequential(name: "block") {
            Input(shape: [5])
            Dense(4, activation: .tanh, name: "block_dense")
        }
        let features = Input(shape: [6], name: "features"), extra = Input(shape: [5], name: "extra")
        let encoded = try base(features, training: false)
        let shared = Dense(5, activation: .relu, name: "shared")
        let first = try shared(encoded), second = try shared(extra)
        let added = try Add(name: "sum")([first, second])
        let joined = try Concatenate(name: "joined")([try block(added), first])
        let kind = try Dense(3, activation: .softmax, name: "kind")(joined)
        let score = try Dense(1, name: "score")(added)
        let model = try Model(inputs: [features, extra], outputs: [kind, score], name: "rich")
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: [.sparseCategoricalCrossentropy, .meanSquaredError],
                          lossWeights: [1, 0.25], metrics: [[.accuracy], []])
        return model
    }

    func testKestrelFunctionalModelRoundTripsThroughKerasFormat() throws {
        Kestrel.setRandomSeed(3)
        let model = try Self.richModel()
        var generator = RandomGenerator(seed: 9)
        let x = [try Tensor.randomNormal([8, 6], mean: 0, standardDeviation: 1, generator: &generator),
                 try Tensor.randomNormal([8, 5], mean: 0, standardDeviation: 1, generator: &generator)]
        let y = [Tensor((0..<8).map { Float($0 % 3) }), try Tensor.randomNormal([8, 1], mean: 0, standardDeviation: 1, generator: &generator)]
        try model.fit(x, y, epochs: 2, batchSize: 4, verbose: .silent, shuffle: false)
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        let file = folder.appendingPathComponent("rich.keras").path
        try model.save(file)
        let loaded = try loadModel(file)
        XCTAssertEqual(loaded.layers.map(\.name), model.layers.map(\.name))
        XCTAssertEqual(loaded.summaryText(), model.summaryText())
        XCTAssertEqual(try loaded.toJSON(), try model.toJSON(), "the config survives the round trip unchanged")
        let before = try model.predict(x), after = try loaded.predict(x)
        for (a, b) in zip(before, after) { XCTAssertEqual(a.scalars, b.scalars) }
        XCTAssertFalse(try XCTUnwrap(try loaded.getLayer(name: "pretrained") as? Model).trainable)
        XCTAssertEqual(loaded.optimizer?.iterations, model.optimizer?.iterations)
        XCTAssertEqual((loaded.loss as? MultiOutputLoss)?.weights, [1, 0.25])
        // Training continues identically from the restored Adam state.
        let continued = try model.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
        let resumed = try loaded.fit(x, y, epochs: 1, batchSize: 8, verbose: .silent, shuffle: false)
        XCTAssertEqual(continued.history, resumed.history)
        XCTAssertEqual(model.weights.map(\.value.scalars), loaded.weights.map(\.value.scalars))
    }

    func testKestrelConfigIsKerasFormat() throws {
        let model = try Self.richModel()
        let root = try ConfigValue.parse(Data(try model.toJSON().utf8), source: "test")
        XCTAssertEqual(root["class_name"], .string("Functional"))
        XCTAssertEqual(root["config"]?["input_layers"], .array([.array([.string("features"), .int(0), .int(0)]),
                                                               .array([.string("extra"), .int(0), .int(0)])]))
        let layers = try XCTUnwrap(root["config"]?["layers"]?.arrayValue)
        let shared = try XCTUnwrap(layers.first { $0["name"] == .string("shared") })
        let calls = try XCTUnwrap(shared["inbound_nodes"]?.arrayValue)
        XCTAssertEqual(calls.count, 2, "a shared layer lists both calls")
        XCTAssertEqual(calls[0]["args"]?.arrayValue?.first?["config"]?["keras_history"],
                       .array([.string("pretrained"), .int(0), .int(0)]), "a nested model's first call in the graph is node 0 in args")
        let base = try XCTUnwrap(layers.first { $0["name"] == .string("pretrained") })
        XCTAssertEqual(base["config"]?["trainable"], .bool(false))
        XCTAssertEqual(base["inbound_nodes"]?.arrayValue?.first?["kwargs"], .object(["training": .bool(false)]))
        let sum = try XCTUnwrap(layers.first { $0["name"] == .string("sum") })
        XCTAssertEqual(sum["inbound_nodes"]?.arrayValue?.first?["args"]?.arrayValue?.first?.arrayValue?.count, 2,
                       "a merge layer takes one list of tensors")
        XCTAssertEqual(root["compile_config"]?["loss_weights"], .array([.int(1), .double(0.25)]), "JSON 1.0 reads back as 1")
        XCTAssertEqual(root["compile_config"]?["metrics"], .array([.array([.string("accuracy")]), .array([])]))
    }

    func testNestedModelWeightsUseKerasPaths() throws {
        let model = try Self.richModel()
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        let file = folder.appendingPathComponent("rich.weights.h5").path
        try model.saveWeights(file)
        let h5 = try HDF5File.open(image: try Data(contentsOf: URL(fileURLWithPath: file)), fileName: file)
        XCTAssertEqual(h5.kind(of: "layers/functional/layers/dense/vars/0"), .dataset, "the nested base's first Dense")
        XCTAssertEqual(h5.stringAttribute("name", on: "layers/functional/vars"), "pretrained")
        XCTAssertEqual(h5.kind(of: "layers/functional/layers/batch_normalization/vars/3"), .dataset)
        XCTAssertEqual(h5.kind(of: "layers/sequential/layers/dense/vars/1"), .dataset, "the nested Sequential's Dense")
        XCTAssertEqual(h5.stringAttribute("name", on: "layers/input_layer_1/vars"), "extra")
        let fresh = try Self.richModel()
        try fresh.loadWeights(file)
        XCTAssertEqual(fresh.weights.map(\.value.scalars), model.weights.map(\.value.scalars))
    }

    func testPreprocessingLayersLoadFromKerasWithKerasConfigKeysAndSaveBack() throws {
        let case_ = try expected("preprocessing")
        let model = try loadModel(path("preprocessing.keras"))
        XCTAssertEqual(model.summaryText(), try String(contentsOfFile: path("preprocessing_summary.txt"), encoding: .utf8))
        assertClose(try model.predict(try KerasFixture.tensor(case_["x"])), try KerasFixture.tensor(case_["predictions"]), "predictions")
        let kerasConfigs = try XCTUnwrap(case_["layer_configs"] as? [String: [String: Any]])
        let expectedClasses = ["rescale": "Rescaling", "flip": "RandomFlip", "rotate": "RandomRotation", "translate": "RandomTranslation",
                               "zoom": "RandomZoom", "contrast": "RandomContrast", "brightness": "RandomBrightness"]
        for (name, className) in expectedClasses {
            let layer = try model.getLayer(name: name)
            XCTAssertEqual(layer.className, className)
            let keras = try XCTUnwrap(kerasConfigs[name]), ours = layer.config
            XCTAssertEqual(Set(ours.keys), Set(keras.keys), "\(name): Kestrel writes exactly Keras's config keys")
            for key in ["mode", "fill_mode", "interpolation", "data_format"] where keras[key] != nil {
                XCTAssertEqual(ours[key]?.stringValue, keras[key] as? String, "\(name).\(key)")
            }
            for key in ["seed", "fill_value", "scale", "offset"] where keras[key] != nil {
                XCTAssertEqual(Float(try XCTUnwrap(ours[key]?.doubleValue)), try XCTUnwrap(keras[key] as? NSNumber).floatValue, "\(name).\(key)")
            }
            for key in ["factor", "width_factor", "value_range"] where keras[key] is [Double] {
                XCTAssertEqual(ours[key]?.arrayValue?.compactMap(\.doubleValue), keras[key] as? [Double], "\(name).\(key)")
            }
        }
        let translate = try XCTUnwrap(try model.getLayer(name: "translate").config["height_factor"]?.arrayValue)
        XCTAssertEqual(translate.compactMap(\.doubleValue), [-0.1, 0.1], "Keras's single factor 0.1 means [-0.1, 0.1]")
        // Kestrel's own file reads back to the same configs.
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        try model.save(folder.appendingPathComponent("p.keras").path)
        let again = try loadModel(folder.appendingPathComponent("p.keras").path)
        for (name, _) in expectedClasses {
            XCTAssertEqual(try again.getLayer(name: name).config, try model.getLayer(name: name).config, name)
        }
        // Kestrel's fused RandomAugmentation is written as the Keras layers it fuses.
        try Sequential { Input(shape: [4, 4, 1]); try RandomAugmentation(parsing: "flip,rotate:10"); Flatten() }
            .save(folder.appendingPathComponent("r.keras").path)
        XCTAssertEqual(try loadModel(folder.appendingPathComponent("r.keras").path).layers.map(\.className),
                       ["RandomFlip", "RandomRotation", "Flatten"])
    }

    // MARK: Bad configs

    private func functionalJSON(layers: String, inputs: String = #"["in", 0, 0]"#, outputs: String = #"["d", 0, 0]"#) -> String {
        #"{"class_name": "Functional", "config": {"name": "bad", "layers": ["# + layers + #"], "input_layers": "# + inputs
            + #", "output_layers": "# + outputs + #"}}"#
    }

    private static let inputLayer = #"{"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 4], "name": "in"}, "inbound_nodes": []}"#

    private static func dense(_ name: String, reads source: String, node: Int = 0) -> String {
        #"{"class_name": "Dense", "name": ""# + name + #"", "config": {"name": ""# + name + #"", "units": 2}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "dtype": "float32", "keras_history": [""#
            + source + #"", "# + String(node) + #", 0]}}], "kwargs": {}}]}"#
    }

    private func message(_ json: String) -> String {
        do {
            _ = try modelFromJSON(json)
            return "no error"
        } catch let error as KestrelError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    func testBadFunctionalConfigsThrowErrorsNamingTheLayer() throws {
        let unknown = message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "ghost")))
        XCTAssertTrue(unknown.contains("'d'") && unknown.contains("'ghost'"), unknown)

        let cycle = message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "e") + ", " + Self.dense("e", reads: "d")))
        XCTAssertTrue(cycle.contains("cycle") && cycle.contains("'d'") && cycle.contains("'e'"), cycle)

        let missingCall = message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "in", node: 3)))
        XCTAssertTrue(missingCall.contains("call 3 of layer 'in'"), missingCall)

        let secondInput = #"{"class_name": "InputLayer", "name": "other", "config": {"batch_shape": [null, 4], "name": "other"}, "inbound_nodes": []}"#
        let missingInput = message(functionalJSON(layers: Self.inputLayer + ", " + secondInput + ", " + Self.dense("d", reads: "other")))
        XCTAssertTrue(missingInput.contains("'other'") && missingInput.contains("not in inputs"), missingInput)

        let unknownOutput = message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "in"), outputs: #"["nowhere", 0, 0]"#))
        XCTAssertTrue(unknownOutput.contains("'nowhere'"), unknownOutput)

        let duplicate = message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "in") + ", " + Self.dense("d", reads: "in")))
        XCTAssertTrue(duplicate.contains("two layers are named 'd'"), duplicate)

        var nested = functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "in"))
        for _ in 0..<40 {
            nested = functionalJSON(layers: Self.inputLayer + ", " + #"{"name": "d", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}], "kwargs": {}}], "#
                                    + String(nested.dropFirst()), outputs: #"["d", 1, 0]"#)
        }
        XCTAssertTrue(message(nested).contains("nested more than"), message(nested))
        XCTAssertEqual(message(functionalJSON(layers: Self.inputLayer + ", " + Self.dense("d", reads: "in"))), "no error")
    }
}

/// Class names kept with the model (issue 13 item 7): `fit` on a `flowFromDirectory` dataset sets them,
/// `save` writes them to metadata.json's `class_indices`, `loadModel` restores them.
final class ClassNamesSavingTests: XCTestCase {
    func testFlowFromDirectoryClassNamesAreSavedInMetadataAndLoaded() throws {
        let folder = try KerasSavingFixtures.temporaryFolder(self)
        for (name, level) in [("zebra", 220), ("apple", 30), ("mango", 120)] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("images/\(name)"), withIntermediateDirectories: true)
            for index in 0..<2 {
                let image = try RasterImage(pixels: Array(repeating: UInt8(level), count: 6 * 6), height: 6, width: 6, channels: 1)
                try ImageFile.write(image, to: folder.appendingPathComponent("images/\(name)/\(index).png").path)
            }
        }
        let dataset = try ImageDataGenerator(rescale: 1.0 / 255).flowFromDirectory(folder.appendingPathComponent("images").path,
                                                                                    targetSize: (6, 6), colorMode: .grayscale,
                                                                                    classMode: .sparse, batchSize: 3, seed: 1)
        let model = try Sequential { Input(shape: [6, 6, 1]); Flatten(); Dense(3, activation: .softmax) }
        try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy")
        XCTAssertNil(model.classNames)
        try model.fit(dataset, epochs: 1, verbose: .silent)
        XCTAssertEqual(model.classNames, ["apple", "mango", "zebra"], "the sorted folder names, as Keras's class_indices")
        let path = folder.appendingPathComponent("m.keras").path
        try model.save(path)
        let members = try KerasArchive.read(try Data(contentsOf: URL(fileURLWithPath: path)), fileName: path, wanted: ["metadata.json"])
        let metadata = try ConfigValue.parse(try XCTUnwrap(members["metadata.json"]), source: "metadata")
        XCTAssertEqual(metadata["class_indices"], .object(["apple": .int(0), "mango": .int(1), "zebra": .int(2)]))
        XCTAssertEqual(try loadModel(path).classNames, ["apple", "mango", "zebra"])
        XCTAssertNil(try loadModel(FunctionalSavingTests.directory.appendingPathComponent("branched.keras").path).classNames,
                     "a Keras file without class_indices has no class names")
    }

    func testBadClassIndicesAreRefusedNamingTheFile() throws {
        let bad = Data(#"{"keras_version": "3.15.1", "class_indices": {"a": 0, "b": 0}}"#.utf8)
        XCTAssertThrowsError(try KerasSaving.classNames(fromMetadata: bad, fileName: "m.keras")) { error in
            XCTAssertTrue("\(error)".contains("m.keras (metadata.json)") && "\(error)".contains("once each"), "\(error)")
        }
        XCTAssertEqual(try KerasSaving.classNames(fromMetadata: Data(#"{"class_indices": {"b": 1, "a": 0}}"#.utf8), fileName: "m"), ["a", "b"])
    }
}
