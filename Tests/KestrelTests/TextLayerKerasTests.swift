import Foundation
import XCTest
@testable import Kestrel

/// TextVectorization, Embedding, the 1-D pooling and convolution layers against Keras 3
/// (`scripts/fixtures/make_keras_text_fixtures.py` → Tests/Fixtures/keras/text/): `adapt` results
/// (vocabulary order, tf-idf weights), outputs, `.keras` files Keras wrote, and Kestrel's own round trip.
final class TextLayerKerasTests: XCTestCase {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras/text")

    private func fixture() throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("text.json"))) as? [String: Any])
    }

    /// A fixture tensor; JSON null stands for NaN (Keras's masked average of an all-padding text).
    private func tensor(_ object: Any?) throws -> Tensor {
        let item = try XCTUnwrap(object as? [String: Any])
        let values = try XCTUnwrap(item["values"] as? [Any]).map { ($0 as? Double).map(Float.init) ?? .nan }
        return try Tensor(shape: try XCTUnwrap(item["shape"] as? [Int]), scalars: values)
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        for (index, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() {
            if e.isNaN { XCTAssertTrue(a.isNaN, "\(message): value \(index) is \(a), Keras gives NaN", file: file, line: line); continue }
            XCTAssertEqual(a, e, accuracy: tolerance * Swift.max(1, abs(e)), "\(message): value \(index)", file: file, line: line)
        }
    }

    private func layer(_ args: [String: Any]) throws -> TextVectorization {
        let mode = try XCTUnwrap(TextOutputMode(rawValue: args["output_mode"] as? String ?? "int"))
        let standardize: TextStandardization = args.keys.contains("standardize")
            ? try .named(args["standardize"] as? String) : .lowerAndStripPunctuation
        let split: TextSplit = args.keys.contains("split") ? try .named(args["split"] as? String) : .whitespace
        return TextVectorization(maxTokens: args["max_tokens"] as? Int, standardize: standardize, split: split, outputMode: mode,
                                 outputSequenceLength: args["output_sequence_length"] as? Int,
                                 padToMaxTokens: args["pad_to_max_tokens"] as? Bool ?? false)
    }

    func testAdaptVocabularyIdfAndOutputsMatchKeras() throws {
        let all = try fixture()
        let corpus = try XCTUnwrap(all["corpus"] as? [String]), queries = try XCTUnwrap(all["queries"] as? [String])
        let cases = try XCTUnwrap(all["vectorizers"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 10)
        for item in cases {
            let args = try XCTUnwrap(item["args"] as? [String: Any])
            let vectorizer = try layer(args)
            try vectorizer.adapt(corpus)
            XCTAssertEqual(vectorizer.getVocabulary(), try XCTUnwrap(item["vocabulary"] as? [String]), "vocabulary of \(args)")
            XCTAssertEqual(vectorizer.vocabularySize(), try XCTUnwrap(item["vocabulary_size"] as? Int), "size of \(args)")
            if let idf = KerasFixture.floats(item["idf_weights"]) {
                let weights = try XCTUnwrap(vectorizer.idfWeights)
                XCTAssertEqual(weights.count, idf.count, "\(args)")
                for (a, e) in zip(weights, idf) { XCTAssertEqual(a, e, accuracy: 1e-6, "idf of \(args)") }
            }
            assertClose(try vectorizer(queries), try tensor(item["output"]), "output of \(args)")
        }
    }

    func testVectorizersKerasSavedLoadWithTheirVocabulary() throws {
        let all = try fixture()
        let queries = try XCTUnwrap(all["queries"] as? [String])
        for name in ["vectorizer_int", "vectorizer_tfidf"] {
            let model = try XCTUnwrap(try loadModel(Self.folder.appendingPathComponent("\(name).keras").path) as? Sequential)
            let vectorizer = try XCTUnwrap(model.layers.first as? TextVectorization)
            XCTAssertFalse(vectorizer.hasInputVocabulary)
            let expected = try tensor((all[name] as? [String: Any])?["output"])
            assertClose(try model.predict(texts: queries), expected, "\(name) loaded from Keras")
            // Kestrel's own file of it reads back to the same outputs.
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-\(name)-\(UUID().uuidString).keras").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.save(path)
            let again = try XCTUnwrap(try loadModel(path) as? Sequential)
            assertClose(try again.predict(texts: queries), expected, "\(name) after Kestrel's save")
        }
    }

    func testKerasTextClassifierWithMaskedEmbeddingPredictsAsKeras() throws {
        let all = try fixture()
        let queries = Array(try XCTUnwrap(all["queries"] as? [String]).prefix(4))
        let model = try XCTUnwrap(try loadModel(Self.folder.appendingPathComponent("classifier.keras").path) as? Sequential)
        XCTAssertEqual(model.layers.map(\.className), ["TextVectorization", "Embedding", "Dropout", "GlobalAveragePooling1D", "Dense"])
        XCTAssertEqual((model.layers[1] as? Embedding)?.maskZero, true)
        // The last text is empty: every step masked, so Keras's masked average is 0/0 = NaN.
        assertClose(try model.predict(texts: queries), try tensor((all["classifier"] as? [String: Any])?["output"]),
                    "classifier loaded from Keras")
    }

    func testSequenceLayersMatchKeras() throws {
        let all = try fixture()
        let item = try XCTUnwrap(all["sequence"] as? [String: Any])
        let model = try loadModel(Self.folder.appendingPathComponent("sequence.keras").path)
        XCTAssertEqual(model.layers.map(\.className), ["Embedding", "Conv1D", "MaxPooling1D", "Conv1D", "GlobalMaxPooling1D"])
        assertClose(try model.predict(try tensor(item["x"])), try tensor(item["output"]), "Conv1D stack")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-seq-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        assertClose(try loadModel(path).predict(try tensor(item["x"])), try tensor(item["output"]), "after Kestrel's save")
    }

    func testMaskedAndUnmaskedPoolingMatchKeras() throws {
        let item = try XCTUnwrap(try fixture()["masked_average"] as? [String: Any])
        let x = try tensor(item["x"]), table = try tensor(item["embeddings"])
        for (maskZero, key) in [(true, "output"), (false, "unmasked")] {
            let embedding = Embedding(10, 3, maskZero: maskZero)
            let model = try Sequential([Input(shape: [6]), embedding, Dropout(0.5), GlobalAveragePooling1D()])
            try embedding.setWeights([table])
            assertClose(try model.predict(x), try tensor(item[key]), "GlobalAveragePooling1D, maskZero \(maskZero)")
        }
        let embedding = Embedding(10, 3, maskZero: true)
        let model = try Sequential([Input(shape: [6]), embedding, GlobalMaxPooling1D()])
        try embedding.setWeights([table])
        assertClose(try model.predict(x), try tensor(item["global_max"]), "GlobalMaxPooling1D ignores the mask")
    }

    func testAdaptedModelRoundTripsThroughKestrelsKerasFile() throws {
        let corpus = try XCTUnwrap(try fixture()["corpus"] as? [String])
        let vectorizer = TextVectorization(maxTokens: 20, standardize: .custom(name: "no_br") { $0.replacingOccurrences(of: "<br />", with: " ").lowercased() },
                                           outputMode: .int, outputSequenceLength: 5)
        try vectorizer.adapt(corpus)
        XCTAssertFalse(vectorizer.getVocabulary().contains("<br"))
        let model = try Sequential([vectorizer, Embedding(20, 2), GlobalAveragePooling1D(), Dense(1)])
        let before = try model.predict(texts: corpus)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-custom-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(path)
        let loaded = try XCTUnwrap(try loadModel(path) as? Sequential)
        let loadedVectorizer = try XCTUnwrap(loaded.layers.first as? TextVectorization)
        XCTAssertEqual(loadedVectorizer.getVocabulary(), vectorizer.getVocabulary())
        XCTAssertThrowsError(try loaded.predict(texts: corpus)) { error in
            XCTAssertTrue("\(error)".contains("custom function 'no_br'"), "\(error)")
        }
        loadedVectorizer.standardize = vectorizer.standardize
        assertClose(try loaded.predict(texts: corpus), before, "custom standardize after the function is given again")
    }

    func testGivenVocabularyIsInTheConfigAndSpecialTokensAreChecked() throws {
        let layer = TextVectorization(outputMode: .tfIdf, vocabulary: ["b", "a"], idfWeights: [0.5, 1.5])
        XCTAssertEqual(layer.getVocabulary(), ["[UNK]", "b", "a"])
        XCTAssertEqual(layer.idfWeights, [1, 0.5, 1.5])
        XCTAssertEqual(try layer(["a a c"]).scalars, [1, 0, 3])
        XCTAssertEqual(layer.config["vocabulary"], .array([.string("[UNK]"), .string("b"), .string("a")]))
        let again = try KerasLayerRegistry.layer(from: .object(["class_name": .string("TextVectorization"), "config": .object(layer.config)]), number: 1)
        XCTAssertEqual(try (again as? TextVectorization)?(["a a c"]).scalars, [1, 0, 3])
        XCTAssertThrowsError(try layer.adapt(["x"])) { XCTAssertTrue("\($0)".contains("cannot adapt")) }
        XCTAssertThrowsError(try TextVectorization(vocabulary: ["x", "x"]).validateArguments()) { XCTAssertTrue("\($0)".contains("appears twice")) }
        XCTAssertThrowsError(try TextVectorization(vocabulary: ["x", "[UNK]"]).validateArguments()) { XCTAssertTrue("\($0)".contains("special token")) }
        XCTAssertThrowsError(try TextVectorization(outputMode: .multiHot, outputSequenceLength: 4).validateArguments())
        XCTAssertThrowsError(try TextVectorization(outputMode: .count)(["x"])) { XCTAssertTrue("\($0)".contains("call adapt")) }
        XCTAssertThrowsError(try TextVectorization()(try Tensor(shape: [1, 1], scalars: [1]))) { XCTAssertTrue("\($0)".contains("takes strings")) }
    }

    func testEmbeddingRefusesBadIndicesAndLearns() throws {
        let embedding = Embedding(4, 2)
        XCTAssertThrowsError(try embedding(try Tensor(shape: [1, 2], scalars: [1, 4]))) { XCTAssertTrue("\($0)".contains("index 4.0 is not a whole number in 0..<4")) }
        XCTAssertThrowsError(try embedding(try Tensor(shape: [1, 2], scalars: [1, 0.5])))
        XCTAssertThrowsError(try embedding(try Tensor(shape: [1, 2], scalars: [-1, 0])))
        XCTAssertEqual(try Embedding(4, 2)(try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 3, 0])).shape, [2, 3, 2])
        // Two tokens that decide the label: a few Adam steps separate them (the gather's gradient reaches the table).
        let model = try Sequential([Input(shape: [3]), Embedding(5, 4), GlobalAveragePooling1D(), Dense(1)])
        try model.compile(optimizer: .adam(learningRate: 0.05), loss: BinaryCrossentropy(fromLogits: true), metrics: [BinaryAccuracy(threshold: 0)])
        let x = try Tensor(shape: [4, 3], scalars: [1, 3, 3, 2, 4, 4, 1, 4, 3, 2, 3, 3])
        let y = try Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
        let history = try model.fit(x, y, epochs: 40, batchSize: 4, verbose: .silent)
        XCTAssertEqual(history.history["binary_accuracy"]?.last, 1)
        XCTAssertLessThan(try XCTUnwrap(history.history["loss"]?.last), 0.2)
    }
}
