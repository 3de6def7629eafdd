import KestrelData

/// Turns texts into tensors (Keras's `TextVectorization`): each text is standardized, split into tokens,
/// and the tokens looked up in a vocabulary learned by `adapt` (most frequent first, ties broken as Keras
/// breaks them) or given with `vocabulary:`; the output is one index per token (`.int`, padded or cut to
/// `outputSequenceLength`) or one value per vocabulary entry (`.multiHot`, `.count`, `.tfIdf`).
///
/// In `.int` mode index 0 is the padding token "" and 1 the out-of-vocabulary token "[UNK]"; in the other
/// modes index 0 is "[UNK]". Call it on strings: `try layer(["a review"])`. As the first layer of a
/// `Sequential`, the model takes strings through `predict(texts:)` / `evaluate(texts:labels:)`; the
/// vocabulary (and idf weights) are saved in `.keras` files where Keras keeps them (`assets/…/vocabulary.txt`,
/// `vars/idf_weights`), and read from Keras's files. Keras's `ngrams`, `sparse` and `ragged` are not supported.
public final class TextVectorization: Layer, @unchecked Sendable {
    /// The most entries the vocabulary may have, special tokens included (Keras's `max_tokens`); nil: no limit.
    public let maxTokens: Int?
    /// How texts are standardized (settable, to give a loaded file's custom function).
    public var standardize: TextStandardization
    /// How texts are split into tokens (settable, to give a loaded file's custom function).
    public var split: TextSplit
    /// What the layer outputs.
    public let outputMode: TextOutputMode
    /// In `.int` mode, the length every output row is padded (with 0) or cut to; nil pads to the batch's longest text.
    public let outputSequenceLength: Int?
    /// Whether multi-hot/count/tf-idf outputs have `maxTokens` columns even when the vocabulary is smaller.
    public let padToMaxTokens: Bool
    private var vocabulary: TextVocabulary? { didSet { declaredVocabularySize = nil } }
    /// Whether the vocabulary came from the `vocabulary:` argument (saved in the config, as Keras does) rather than `adapt`.
    public private(set) var hasInputVocabulary: Bool

    /// Makes the layer with Keras's defaults. `vocabulary` (with special tokens at its start or without)
    /// and, for `.tfIdf`, `idfWeights` set the vocabulary directly instead of `adapt`.
    public init(maxTokens: Int? = nil, standardize: TextStandardization = .lowerAndStripPunctuation,
                split: TextSplit = .whitespace, outputMode: TextOutputMode = .int, outputSequenceLength: Int? = nil,
                padToMaxTokens: Bool = false, vocabulary: [String]? = nil, idfWeights: [Float]? = nil, name: String? = nil) {
        self.maxTokens = maxTokens
        self.standardize = standardize
        self.split = split
        self.outputMode = outputMode
        self.outputSequenceLength = outputSequenceLength
        self.padToMaxTokens = padToMaxTokens
        self.hasInputVocabulary = vocabulary != nil
        super.init(name: name)
        requireArgument(maxTokens.map { $0 > tokenStart } ?? true, "maxTokens", mustBe: "nil or more than \(tokenStart) (the special tokens)", got: maxTokens as Any)
        requireArgument(outputSequenceLength.map { $0 > 0 } ?? true, "outputSequenceLength", mustBe: "nil or positive", got: outputSequenceLength as Any)
        requireArgument(outputMode == .int || outputSequenceLength == nil, "outputSequenceLength", mustBe: "nil unless outputMode is .int (as Keras)", got: outputSequenceLength as Any)
        requireArgument(!padToMaxTokens || maxTokens != nil, "padToMaxTokens", mustBe: "false without maxTokens", got: padToMaxTokens)
        requireArgument(idfWeights == nil || outputMode == .tfIdf, "idfWeights", mustBe: "nil unless outputMode is .tfIdf", got: "weights")
        if let vocabulary {
            do { try setVocabulary(vocabulary, idfWeights: idfWeights) } catch let error as KestrelError {
                requireArgument(false, "vocabulary", mustBe: "a valid vocabulary (\(error.message))", got: "\(vocabulary.count) tokens")
            } catch {
                requireArgument(false, "vocabulary", mustBe: "a valid vocabulary", got: "\(error)")
            }
        }
    }

    /// The number of special tokens before the learned ones: "" and "[UNK]" in `.int` mode, "[UNK]" otherwise.
    var tokenStart: Int { outputMode == .int ? 2 : 1 }

    // MARK: Vocabulary

    /// Keras's `adapt`: learns the vocabulary (and idf weights) from `texts`, replacing any learned before.
    public func adapt(_ texts: [String]) throws { try adapt(batches: [texts]) }

    /// Keras's `adapt` on a text dataset (its labels are ignored, as after `map(lambda x, y: x)`).
    public func adapt(_ dataset: TextDataset) throws { try adapt(batches: dataset.lazy.map(\.texts)) }

    /// Keras's `adapt` over batches of texts.
    public func adapt<Batches: Sequence>(batches: Batches) throws where Batches.Element == [String] {
        try validateArguments()
        guard !hasInputVocabulary else {
            throw KestrelError.invalidState("TextVectorization '\(name)': cannot adapt after a vocabulary was given with vocabulary: (as Keras).")
        }
        var counts: [[UInt8]: Int] = [:]
        var documentCounts: [[UInt8]: Int]? = outputMode == .tfIdf ? [:] : nil
        var documents = 0
        for batch in batches {
            for text in batch {
                let tokens = try tokenize(text)
                for token in tokens { counts[token, default: 0] += 1 }
                if documentCounts != nil { for token in Set(tokens) { documentCounts![token, default: 0] += 1 } }
                documents += 1
            }
        }
        guard !counts.isEmpty else { return }  // Keras keeps the layer unchanged when adapt sees no token.
        vocabulary = try TextVocabulary.learned(counts: counts, documentCounts: documentCounts, documents: documents,
                                                limit: maxTokens.map { $0 - tokenStart })
    }

    /// Keras's `get_vocabulary`: special tokens first (unless `includeSpecialTokens` is false), then the learned ones.
    public func getVocabulary(includeSpecialTokens: Bool = true) -> [String] {
        let learned = (vocabulary?.tokens ?? []).map { String(decoding: $0, as: UTF8.self) }
        guard includeSpecialTokens else { return learned }
        return (outputMode == .int ? ["", "[UNK]"] : ["[UNK]"]) + learned
    }

    /// Keras's `vocabulary_size()`: the number of entries, special tokens included.
    public func vocabularySize() -> Int {
        guard let vocabulary else { return declaredVocabularySize ?? tokenStart }
        return tokenStart + vocabulary.tokens.count
    }

    /// The vocabulary size a loaded config declares, used for output shapes until its vocabulary is read.
    var declaredVocabularySize: Int?

    /// The idf weight of every entry (the out-of-vocabulary entry first, with the learned weights' mean,
    /// as Keras), zeros after the vocabulary up to `maxTokens` with `padToMaxTokens`; nil unless `.tfIdf`
    /// with a vocabulary.
    public var idfWeights: [Float]? {
        guard outputMode == .tfIdf, let vocabulary, !vocabulary.idfWeights.isEmpty else { return nil }
        let mean = Float(vocabulary.idfWeights.reduce(0.0) { $0 + Double($1) } / Double(vocabulary.idfWeights.count))
        var weights = [mean] + vocabulary.idfWeights
        if padToMaxTokens, let maxTokens, weights.count < maxTokens { weights += [Float](repeating: 0, count: maxTokens - weights.count) }
        return weights
    }

    /// Keras's `set_vocabulary`: the tokens (special tokens may lead, as `getVocabulary()` returns them)
    /// and, for `.tfIdf`, one idf weight per token given (the "[UNK]" weight first when it is listed).
    public func setVocabulary(_ tokens: [String], idfWeights: [Float]? = nil) throws {
        var learned = tokens
        var weights = idfWeights
        let specials = outputMode == .int ? ["", "[UNK]"] : ["[UNK]"]
        if Array(learned.prefix(specials.count)) == specials {
            learned.removeFirst(specials.count)
            // The "[UNK]" weight, when listed with it, is recomputed (the mean), as Keras does.
            if let given = weights, given.count == learned.count + 1, outputMode == .tfIdf { weights = Array(given.dropFirst()) }
        }
        if let bad = learned.firstIndex(where: { $0.isEmpty || $0 == "[UNK]" }) {
            throw KestrelError.invalidArgument("vocabulary: entry \(bad) is a special token (\"\" or \"[UNK]\"); list the special tokens only at the start, as Keras requires.")
        }
        if let maxTokens, learned.count + tokenStart > maxTokens {
            throw KestrelError.invalidArgument("vocabulary: \(learned.count + tokenStart) entries with the special tokens, more than maxTokens \(maxTokens).")
        }
        var vocabulary = try TextVocabulary(tokens: learned.map { Array($0.utf8) })
        if outputMode == .tfIdf {
            guard var weights else { throw KestrelError.invalidArgument("idfWeights: must be given with a vocabulary in .tfIdf mode (as Keras).") }
            if padToMaxTokens, weights.count > learned.count { weights = Array(weights.prefix(learned.count)) }
            guard weights.count == learned.count, weights.allSatisfy(\.isFinite) else {
                throw KestrelError.invalidArgument("idfWeights: \(weights.count) weights for \(learned.count) tokens; give one finite weight per token.")
            }
            vocabulary.idfWeights = weights
        } else if idfWeights != nil {
            throw KestrelError.invalidArgument("idfWeights: only for outputMode .tfIdf (as Keras).")
        }
        self.vocabulary = vocabulary
    }

    /// Sets the vocabulary read from a `.keras` file's asset (`vocabulary.txt`, special tokens first) and weights.
    func loadVocabulary(_ tokens: [String], idfWeights: [Float]?) throws {
        let given = hasInputVocabulary
        hasInputVocabulary = false
        defer { hasInputVocabulary = given }
        let learnedWeights = idfWeights.map { Array($0.dropFirst(1)) }
        try setVocabulary(tokens, idfWeights: learnedWeights.map { weights in
            let count = tokens.count - tokenStart
            return Array(weights.prefix(Swift.max(count, 0)))
        })
    }

    // MARK: Calling

    /// The tokens of `text` after standardization and splitting, as UTF-8 bytes.
    func tokenize(_ text: String) throws -> [[UInt8]] {
        try split.apply(try standardize.apply(text, layer: name), layer: name)
    }

    /// The layer on texts: [n, outputSequenceLength or longest] indices, or [n, vocabulary size] values.
    public func callAsFunction(_ texts: [String]) throws -> Tensor {
        try validateArguments()
        guard let vocabulary else {
            if outputMode == .int { return try vectorizeInt(texts, vocabulary: TextVocabulary()) }
            throw KestrelError.invalidState("TextVectorization '\(name)': \(outputMode.rawValue) output needs a vocabulary; call adapt(texts) or give vocabulary: first.")
        }
        return outputMode == .int ? try vectorizeInt(texts, vocabulary: vocabulary) : try vectorizeCounts(texts, vocabulary: vocabulary)
    }

    private func vectorizeInt(_ texts: [String], vocabulary: TextVocabulary) throws -> Tensor {
        let rows = try texts.map { text in
            try tokenize(text).map { token -> Float in token.isEmpty ? 0 : Float((vocabulary.positions[token].map { $0 + 2 }) ?? 1) }
        }
        let length = outputSequenceLength ?? rows.map(\.count).max() ?? 0
        var values = [Float](repeating: 0, count: texts.count * length)
        for (row, indices) in rows.enumerated() {
            for (column, index) in indices.prefix(length).enumerated() { values[row * length + column] = index }
        }
        return try Tensor(shape: [texts.count, length], scalars: values)
    }

    private func vectorizeCounts(_ texts: [String], vocabulary: TextVocabulary) throws -> Tensor {
        let depth = outputDepth
        var values = [Float](repeating: 0, count: texts.count * depth)
        for (row, text) in texts.enumerated() {
            for token in try tokenize(text) {
                let column = vocabulary.positions[token].map { $0 + 1 } ?? 0
                if outputMode == .multiHot { values[row * depth + column] = 1 } else { values[row * depth + column] += 1 }
            }
        }
        if outputMode == .tfIdf, let weights = idfWeights {
            for row in 0..<texts.count { for column in 0..<depth { values[row * depth + column] *= weights[column] } }
        }
        return try Tensor(shape: [texts.count, depth], scalars: values)
    }

    /// The width of multi-hot/count/tf-idf outputs.
    var outputDepth: Int { padToMaxTokens ? (maxTokens ?? vocabularySize()) : vocabularySize() }

    /// Refuses a numeric tensor: the layer takes strings.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        throw KestrelError.invalidArgument("TextVectorization '\(name)' takes strings, not a number tensor: call it on texts (try layer([\"a review\"])), or use model.predict(texts:) for a model that starts with it.")
    }

    /// Texts come one per sample ((None,) or (None, 1)): [outputSequenceLength] or [vocabulary size].
    public override func computeOutputShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.isEmpty || inputShape == [1] else {
            throw KestrelError.shapeMismatch("TextVectorization '\(name)' takes one text per sample (shape (None,) or (None, 1)), got \(LayerNaming.format(inputShape)).")
        }
        if outputMode != .int { return [outputDepth] }
        guard let outputSequenceLength else {
            throw KestrelError.shapeMismatch("TextVectorization '\(name)': inside a model its output length must be known; give outputSequenceLength.")
        }
        return [outputSequenceLength]
    }

    /// Checks the input shape (one text per sample).
    public override func build(inputShape: [Int]) throws {
        guard inputShape.isEmpty || inputShape == [1] else {
            throw KestrelError.shapeMismatch("TextVectorization '\(name)' takes one text per sample (shape (None,) or (None, 1)), got \(LayerNaming.format(inputShape)).")
        }
    }

    /// Keras's config (`get_config()`), the vocabulary included only when it was given as an argument.
    public override var config: LayerConfig {
        func callable(_ name: String?, builtIn: Bool) -> ConfigValue {
            guard let name else { return .null }
            if builtIn { return .string(name) }
            return .object(["module": .string("builtins"), "class_name": .string("function"), "config": .string(name), "registered_name": .string("function")])
        }
        let standardizeBuiltIn: Bool, splitBuiltIn: Bool
        switch standardize { case .custom, .unresolved: standardizeBuiltIn = false; default: standardizeBuiltIn = true }
        switch split { case .custom, .unresolved: splitBuiltIn = false; default: splitBuiltIn = true }
        let given = hasInputVocabulary
        var own: LayerConfig = [:]
        own["max_tokens"] = maxTokens.map(ConfigValue.int) ?? .null
        own["standardize"] = callable(standardize.kerasName, builtIn: standardizeBuiltIn)
        own["split"] = callable(split.kerasName, builtIn: splitBuiltIn)
        own["ngrams"] = .null
        own["output_mode"] = .string(outputMode.rawValue)
        own["output_sequence_length"] = outputSequenceLength.map(ConfigValue.int) ?? .null
        own["pad_to_max_tokens"] = .bool(padToMaxTokens)
        own["sparse"] = .bool(false)
        own["ragged"] = .bool(false)
        let vocabularyList: [ConfigValue] = getVocabulary().map(ConfigValue.string)
        own["vocabulary"] = given ? .array(vocabularyList) : .null
        let weightList: [ConfigValue]? = idfWeights.map { weights in weights.map { KerasObjects.number($0) } }
        own["idf_weights"] = given ? (weightList.map(ConfigValue.array) ?? .null) : .null
        own["encoding"] = .string("utf-8")
        own["vocabulary_size"] = .int(vocabularySize())
        return super.config.merging(own) { $1 }
    }
}

extension TextVectorization: KerasSerializable {
    /// Keras's `TextVectorization.from_config`. An adapted vocabulary lives outside the config
    /// (`KerasTextAssets`); a vocabulary given as an argument is in the config, as Keras writes it.
    public convenience init(config reader: KerasConfigReader) throws {
        for key in ["ngrams"] where reader.has(key) { throw reader.fail("\"\(key)\" is not supported (only null)") }
        for key in ["sparse", "ragged"] where try reader.bool(key, default: false) { throw reader.fail("\"\(key)\": true is not supported") }
        let modeName = try reader.string("output_mode", default: "int")
        guard let mode = TextOutputMode(rawValue: modeName == "tf-idf" ? "tf_idf" : modeName) else {
            throw reader.fail("\"output_mode\" '\(modeName)' is not one of int, multi_hot, count, tf_idf")
        }
        let standardizeName = try reader.callableName("standardize", default: "lower_and_strip_punctuation")
        let splitName = try reader.callableName("split", default: "whitespace")
        let standardize: TextStandardization, split: TextSplit
        do {
            standardize = standardizeName.custom ? .unresolved(name: standardizeName.name ?? "?") : try .named(standardizeName.name)
            split = splitName.custom ? .unresolved(name: splitName.name ?? "?") : try .named(splitName.name)
        } catch let error as KestrelError { throw reader.fail(error.message) }
        var vocabulary: [String]?
        if let list = reader.config["vocabulary"], list != .null {
            guard let items = list.arrayValue, items.count <= 50_000_000 else {
                throw reader.fail("\"vocabulary\" must be a list of strings (a vocabulary file path is not supported)")
            }
            vocabulary = try items.map { item in
                guard let token = item.stringValue else { throw reader.fail("\"vocabulary\" holds \(item), not a string") }
                return token
            }
        }
        var idfWeights: [Float]?
        if let list = reader.config["idf_weights"], list != .null, vocabulary != nil {
            guard let items = list.arrayValue else { throw reader.fail("\"idf_weights\" must be a list of numbers") }
            idfWeights = try items.map { item in
                guard let number = item.doubleValue, number.isFinite else { throw reader.fail("\"idf_weights\" holds \(item), not a finite number") }
                return Float(number)
            }
        }
        self.init(
            maxTokens: reader.has("max_tokens") ? try reader.int("max_tokens") : nil, standardize: standardize, split: split,
            outputMode: mode, outputSequenceLength: reader.has("output_sequence_length") ? try reader.int("output_sequence_length") : nil,
            padToMaxTokens: try reader.bool("pad_to_max_tokens", default: false), vocabulary: vocabulary, idfWeights: idfWeights,
            name: try reader.layerName())
        if vocabulary == nil, reader.has("vocabulary_size") {
            declaredVocabularySize = try reader.int("vocabulary_size")
        }
        do { try validateArguments() } catch let error as KestrelError { throw reader.fail(error.message) }
    }
}
