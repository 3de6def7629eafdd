import Foundation

/// Reads a legacy HDF5 model file (`model.save("m.h5")` in Keras 3 or Kestrel): the architecture from the
/// root's `model_config`, the compile arguments from `training_config` (when `compile`), and each layer's
/// weights from `model_weights/<layer>/<layer>/<weight>` (Keras 2 names end in ":0"), matched by name and
/// checked by shape before any is set. The optimizer starts fresh (the file's optimizer state is not read).
enum KerasLegacyHDF5Reader {
    /// The model in the legacy file `data`; `fileName` names it in errors.
    static func loadModel(data: Data, fileName: String, compile: Bool) throws -> Model {
        try loadModel(try HDF5File.open(image: data, fileName: fileName), compile: compile)
    }

    /// The model in the opened legacy file `file`.
    static func loadModel(_ file: HDF5File, compile: Bool) throws -> Model {
        let fileName = file.fileName
        guard let configText = file.stringAttribute("model_config", on: "/") else {
            throw KestrelError.fileError("'\(fileName)' has no model_config attribute, so it is not a legacy HDF5 model file; for a .weights.h5 file build the model (modelFromJSON) and call loadWeights.")
        }
        let source = "\(fileName) (model_config)"
        let model: Model
        do {
            model = try KerasModelConfig.model(from: try ConfigValue.parse(Data(configText.utf8), source: source),
                                               parameterBudget: file.imageSize / 4 + 16)
            if compile, let trainingText = file.stringAttribute("training_config", on: "/"),
               let compileConfig = compileConfig(fromTraining: try ConfigValue.parse(Data(trainingText.utf8), source: "\(fileName) (training_config)")) {
                try KerasCompileConfig.compile(model, from: compileConfig)
            }
        } catch let error as KestrelError {
            throw KestrelError.fileError("'\(source)': \(error.message)")
        }
        try loadWeights(file, into: model)
        return model
    }

    /// The compile config of Keras's `training_config` (its `optimizer_config` back under `optimizer`).
    static func compileConfig(fromTraining training: ConfigValue) -> ConfigValue? {
        guard var members = training.objectValue, let optimizer = members.removeValue(forKey: "optimizer_config") else { return nil }
        members["optimizer"] = optimizer
        return .object(members)
    }

    /// Sets every layer's weights from `model_weights`, after checking them all.
    static func loadWeights(_ file: HDF5File, into model: Model) throws {
        var assignments: [(Variable, Tensor)] = []
        for layer in model.layers where !layer.weights.isEmpty {
            let group = "model_weights/\(layer.name)"
            guard file.kind(of: group) == .group else {
                throw KestrelError.fileError("'\(file.fileName)': there are no weights for layer '\(layer.name)' (no group \(group)); the file is from another model.")
            }
            let datasets = try datasetPaths(under: group, in: file, depth: 8)
            if let held = try weightsByHeldPath(of: layer, group: group, datasets: datasets, in: file) {
                assignments += held
                continue
            }
            for variable in layer.weights {
                // Keras 3 writes "<layer>/<weight>" or "<model>/<layer>/<weight>", Keras 2 "<layer>/<weight>:0".
                let matches = datasets.filter { path in
                    let leaf = path.split(separator: "/").last.map(String.init) ?? ""
                    return leaf == variable.name || leaf == variable.name + ":0"
                }
                guard matches.count == 1, let path = matches.first else {
                    throw KestrelError.fileError("'\(file.fileName)': layer '\(layer.name)' has \(matches.isEmpty ? "no" : "more than one") weight '\(variable.name)' under \(group); the file is from another model.")
                }
                let (shape, values) = try file.readFloats(path)
                guard shape == variable.shape else {
                    throw KestrelError.fileError("'\(file.fileName)': weight '\(path)' has shape \(shape) but layer '\(layer.name)' needs \(variable.shape); the file is from another model.")
                }
                assignments.append((variable, try Tensor(shape: shape, scalars: values)))
            }
        }
        for (variable, value) in assignments { try variable.assign(value) }
    }

    /// A user's layer holding layers: each weight found by its path below the layer (`block/linear_1/variable`,
    /// as `KerasLegacyHDF5File` writes it; its held layers' weights share names, so the name alone cannot tell
    /// them apart), checked by shape. Nil for any other layer. A file that names them otherwise (Keras numbers
    /// such weights across the model) throws, naming the layer and the `.keras` format that holds them by path.
    static func weightsByHeldPath(of layer: Layer, group: String, datasets: [String], in file: HDF5File) throws -> [(Variable, Tensor)]? {
        guard let names = KerasLegacyHDF5File.heldWeightNames(of: layer) else { return nil }
        return try zip(names, layer.weights).map { name, variable in
            let suffix = "/\(layer.name)/\(name)"
            let matches = datasets.filter { $0.hasSuffix(suffix) }
            guard matches.count == 1, let path = matches.first else {
                throw KestrelError.fileError(
                    "'\(file.fileName)': layer '\(layer.name)' (\(layer.className)) holds layers, and the file has \(matches.isEmpty ? "no" : "more than one") weight '\(layer.name)/\(name)' under \(group); save such a model as .keras (Keras 3's format keeps held layers' weights by path).")
            }
            let (shape, values) = try file.readFloats(path)
            guard shape == variable.shape else {
                throw KestrelError.fileError("'\(file.fileName)': weight '\(path)' has shape \(shape) but layer '\(layer.name)' needs \(variable.shape); the file is from another model.")
            }
            return (variable, try Tensor(shape: shape, scalars: values))
        }
    }

    /// Every dataset under `group`, at most `depth` levels down.
    static func datasetPaths(under group: String, in file: HDF5File, depth: Int) throws -> [String] {
        guard depth > 0 else { return [] }
        var paths: [String] = []
        for child in try file.childNames(of: group, limit: 4096) {
            let path = group + "/" + child
            switch file.kind(of: path) {
            case .dataset: paths.append(path)
            case .group: paths += try datasetPaths(under: path, in: file, depth: depth - 1)
            default: break
            }
        }
        return paths
    }
}
