import Foundation

/// Where Keras 3 keeps a `TextVectorization`'s adapted state in a `.keras` file, written and read here:
/// the vocabulary (special tokens first, one per line) in `assets/<layer path>/vocabulary.txt` (and again
/// under `…/_lookup_layer/`, its inner `StringLookup`), the tf-idf weights in `model.weights.h5` at
/// `<layer path>/vars/idf_weights` (and `…/_lookup_layer/vars/idf_weights`). A vocabulary given as an
/// argument is in the config instead, as Keras writes it.
enum KerasTextAssets {
    /// Every `TextVectorization` of `model` (nested models included) with its layer path ("layers/text_vectorization").
    static func layers(of model: Model, prefix: String = "layers", depth: Int = 0) throws -> [(layer: TextVectorization, path: String)] {
        guard depth < 64 else { return [] }
        let layers = try (model as? Sequential)?.layersForSaving() ?? model.layers
        var found: [(TextVectorization, String)] = []
        for (layer, path) in KerasWeightsFile.layerPaths(layers, prefix: prefix) {
            if let text = layer as? TextVectorization { found.append((text, path)) }
            if let nested = layer as? Model { found += try self.layers(of: nested, prefix: "\(path)/layers", depth: depth + 1) }
        }
        return found
    }

    /// The archive members holding the adapted vocabularies of `model`'s `TextVectorization` layers.
    static func members(of model: Model) throws -> [(name: String, data: Data)] {
        try layers(of: model).flatMap { layer, path -> [(name: String, data: Data)] in
            guard !layer.hasInputVocabulary else { return [] }
            let text = Data(layer.getVocabulary().joined(separator: "\n").utf8)
            return [("assets/\(path)/vocabulary.txt", text), ("assets/\(path)/_lookup_layer/vocabulary.txt", text)]
        }
    }

    /// Writes the tf-idf weights of the `TextVectorization` at `path` into the weights file, where Keras keeps them.
    static func writeVariables(of layer: Layer, at path: String, into file: HDF5File) throws {
        guard let text = layer as? TextVectorization, let weights = text.idfWeights else { return }
        try file.writeFloats(weights, shape: [weights.count], at: "\(path)/vars/idf_weights")
        try file.createGroup("\(path)/_lookup_layer/vars")
        try file.setStringAttribute("name", "string_lookup", on: "\(path)/_lookup_layer/vars")
        try file.writeFloats(weights, shape: [weights.count], at: "\(path)/_lookup_layer/vars/idf_weights")
    }

    /// Reads the vocabularies (and tf-idf weights) of `model`'s adapted `TextVectorization` layers from the
    /// `.keras` archive (whose members `readMembers` reads) and its opened weights file.
    static func load(into model: Model, fileName: String, weights file: HDF5File,
                     readMembers: (Set<String>) throws -> [String: Data]) throws {
        let targets = try layers(of: model).filter { !$0.layer.hasInputVocabulary }
        guard !targets.isEmpty else { return }
        var wanted: Set<String> = []
        for (_, path) in targets { wanted.insert("assets/\(path)/vocabulary.txt"); wanted.insert("assets/\(path)/_lookup_layer/vocabulary.txt") }
        let members = try readMembers(wanted)
        for (layer, path) in targets {
            guard let bytes = members["assets/\(path)/vocabulary.txt"] ?? members["assets/\(path)/_lookup_layer/vocabulary.txt"] else {
                throw KestrelError.fileError("'\(fileName)': the TextVectorization layer '\(layer.name)' has no vocabulary (no assets/\(path)/vocabulary.txt); the file was saved before adapt or is damaged.")
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw KestrelError.fileError("'\(fileName)': assets/\(path)/vocabulary.txt is not UTF-8 text; the file is damaged.")
            }
            var lines = pythonLines(text)
            while lines.last == "" { lines.removeLast() }
            var weights: [Float]?
            if layer.outputMode == .tfIdf {
                let datasetPath = ["\(path)/vars/idf_weights", "\(path)/_lookup_layer/vars/idf_weights"].first { file.kind(of: $0) == .dataset }
                guard let datasetPath else {
                    throw KestrelError.fileError("'\(fileName)': the tf-idf TextVectorization '\(layer.name)' has no idf_weights at '\(path)/vars'; the file is damaged.")
                }
                let values = try file.readFloats(datasetPath).values
                guard values.allSatisfy(\.isFinite), values.count >= lines.count else {
                    throw KestrelError.fileError("'\(fileName)': '\(datasetPath)' holds \(values.count) weights for \(lines.count) vocabulary entries, or a non-finite one; the file is damaged.")
                }
                weights = values
            }
            let declared = layer.declaredVocabularySize
            do { try layer.loadVocabulary(lines, idfWeights: weights) } catch let error as KestrelError {
                throw KestrelError.fileError("'\(fileName)': assets/\(path)/vocabulary.txt: \(error.message)")
            }
            if let declared, declared != layer.vocabularySize() {
                throw KestrelError.fileError("'\(fileName)': TextVectorization '\(layer.name)' declares vocabulary_size \(declared) but assets/\(path)/vocabulary.txt holds \(layer.vocabularySize()) entries; the file is damaged.")
            }
        }
    }

    /// Python's `str.splitlines()`: lines split at \n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, U+2028, U+2029.
    static func pythonLines(_ text: String) -> [String] {
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            if scalar.value == 0x0A, previousWasCarriageReturn { previousWasCarriageReturn = false; continue }
            previousWasCarriageReturn = scalar.value == 0x0D
            if breaks.contains(scalar.value) {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}

extension KerasTextAssets {
    /// The InputLayer config of a Sequential: with dtype "string" when its first layer is a `TextVectorization`.
    static func inputConfig(_ config: LayerConfig, firstLayer: Layer?) -> LayerConfig {
        guard firstLayer is TextVectorization else { return config }
        return config.merging(["dtype": .string("string")]) { $1 }
    }
}
