extension KerasLayerRegistry {
    /// The registry entries of the text and sequence layers (`TextVectorization`, `Embedding`,
    /// `GlobalAveragePooling1D`, `GlobalMaxPooling1D`, `Conv1D`, `MaxPooling1D`), read from and written
    /// to Keras 3's config keys. A `TextVectorization`'s adapted vocabulary lives outside the config
    /// (`KerasTextAssets`); a vocabulary given as an argument is in the config, as Keras writes it.
    static let textLayerEntries: [Entry] = {
        let noWeights: @Sendable (Layer, [Int]) -> Int = { _, _ in 0 }
        return [
            Entry(className: "TextVectorization", make: textVectorization, parameterCount: noWeights),
            Entry(className: "Embedding", make: embedding, parameterCount: { layer, _ in
                guard let embedding = layer as? Embedding else { return 0 }
                return embedding.inputDim &* embedding.outputDim
            }),
            Entry(className: "GlobalAveragePooling1D", make: { reader in
                try reader.requireChannelsLast()
                return GlobalAveragePooling1D(keepDims: try reader.bool("keepdims", default: false), name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "GlobalMaxPooling1D", make: { reader in
                try reader.requireChannelsLast()
                return GlobalMaxPooling1D(keepDims: try reader.bool("keepdims", default: false), name: try optionalName(reader))
            }, parameterCount: noWeights),
            Entry(className: "Conv1D", make: conv1D, parameterCount: { layer, shape in
                guard let conv = layer as? Conv1D, shape.count == 2 else { return 0 }
                return conv.kernelSize &* shape[1] &* conv.filters &+ (conv.useBias ? conv.filters : 0)
            }),
            Entry(className: "MaxPooling1D", make: { reader in
                try reader.requireChannelsLast()
                let pool = try oneLength(reader, "pool_size") ?? 2
                return MaxPooling1D(poolSize: pool, strides: try oneLength(reader, "strides"), padding: PaddingArgument(try reader.padding()),
                                    name: try optionalName(reader))
            }, parameterCount: noWeights),
        ]
    }()

    /// A 1-D window argument: a number or a one-element list; nil when absent.
    private static func oneLength(_ reader: KerasConfigReader, _ key: String) throws -> Int? {
        guard let value = reader.config[key], value != .null else { return nil }
        let item = value.arrayValue.flatMap { $0.count == 1 ? $0[0] : nil } ?? value
        guard let number = try KerasConfigReader.wholeNumber(item), (1...KerasConfigReader.largestSize).contains(number) else {
            throw reader.fail("\"\(key)\" must be a positive whole number or a list of one, got \(value)")
        }
        return number
    }

    private static func embedding(_ reader: KerasConfigReader) throws -> Layer {
        try reader.requireAbsent(["embeddings_constraint", "activity_regularizer", "lora_rank", "quantization_config"])
        if reader.has("input_length") { _ = try reader.int("input_length") }
        return Embedding(try reader.int("input_dim"), try reader.int("output_dim"),
                         embeddingsInitializer: try reader.initializer("embeddings_initializer", default: .randomUniform(minimum: -0.05, maximum: 0.05)),
                         embeddingsRegularizer: try reader.regularizer("embeddings_regularizer"),
                         maskZero: try reader.bool("mask_zero", default: false), name: try optionalName(reader))
    }

    private static func conv1D(_ reader: KerasConfigReader) throws -> Layer {
        try reader.requireAbsent(["kernel_constraint", "bias_constraint", "lora_rank"])
        try reader.requireChannelsLast()
        if let dilation = try oneLength(reader, "dilation_rate"), dilation != 1 { throw reader.fail("dilation_rate \(dilation) is not supported (only 1)") }
        if reader.has("groups") { try reader.require("groups", equals: .int(1)) }
        if reader.config["padding"]?.stringValue == "causal" { throw reader.fail("padding 'causal' is not supported (valid or same)") }
        guard let kernel = try oneLength(reader, "kernel_size") else { throw reader.fail("\"kernel_size\" is missing") }
        return Conv1D(try reader.int("filters"), kernelSize: kernel, strides: try oneLength(reader, "strides") ?? 1,
                      padding: PaddingArgument(try reader.padding()), activation: try reader.activation(),
                      useBias: try reader.bool("use_bias", default: true),
                      kernelInitializer: try reader.initializer("kernel_initializer", default: .glorotUniform),
                      biasInitializer: try reader.initializer("bias_initializer", default: .zeros),
                      kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                      biasRegularizer: try reader.regularizer("bias_regularizer"),
                      activityRegularizer: try reader.regularizer("activity_regularizer"), name: try optionalName(reader))
    }

    /// A standardize/split argument: a Keras string, null, or a serialised Python function (kept by name).
    private static func callableName(_ reader: KerasConfigReader, _ key: String, default fallback: String) throws -> (name: String?, custom: Bool) {
        guard let value = reader.config[key] else { return (fallback, false) }
        switch value {
        case .null: return (nil, false)
        case .string(let name): return (name, false)
        case .object:
            guard let name = value["config"]?.stringValue ?? value["class_name"]?.stringValue, !name.isEmpty, name.count <= 200 else {
                throw reader.fail("\"\(key)\" is neither a Keras name nor a named function")
            }
            return (name, true)
        default: throw reader.fail("\"\(key)\" must be a string, null or a function, got \(value)")
        }
    }

    private static func textVectorization(_ reader: KerasConfigReader) throws -> Layer {
        for key in ["ngrams"] where reader.has(key) { throw reader.fail("\"\(key)\" is not supported (only null)") }
        for key in ["sparse", "ragged"] where try reader.bool(key, default: false) { throw reader.fail("\"\(key)\": true is not supported") }
        let modeName = try reader.string("output_mode", default: "int")
        guard let mode = TextOutputMode(rawValue: modeName == "tf-idf" ? "tf_idf" : modeName) else {
            throw reader.fail("\"output_mode\" '\(modeName)' is not one of int, multi_hot, count, tf_idf")
        }
        let standardizeName = try callableName(reader, "standardize", default: "lower_and_strip_punctuation")
        let splitName = try callableName(reader, "split", default: "whitespace")
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
        let layer = TextVectorization(
            maxTokens: reader.has("max_tokens") ? try reader.int("max_tokens") : nil, standardize: standardize, split: split,
            outputMode: mode, outputSequenceLength: reader.has("output_sequence_length") ? try reader.int("output_sequence_length") : nil,
            padToMaxTokens: try reader.bool("pad_to_max_tokens", default: false), vocabulary: vocabulary, idfWeights: idfWeights,
            name: try optionalName(reader))
        if vocabulary == nil, reader.has("vocabulary_size") {
            layer.declaredVocabularySize = try reader.int("vocabulary_size")
        }
        do { try layer.validateArguments() } catch let error as KestrelError { throw reader.fail(error.message) }
        return layer
    }
}
