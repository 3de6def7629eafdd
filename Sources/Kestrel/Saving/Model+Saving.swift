import Foundation

/// Keras 3's saving API on models: `save` (`.keras`), `saveWeights` / `loadWeights`
/// (`.weights.h5`) and `toJSON`. Files are Keras 3's own formats, so Keras's `load_model` reads
/// what Kestrel writes and `loadModel` reads what Keras writes. Every file is written atomically.
extension Model {
    /// Keras's `model.save("m.keras")`: a zip of `metadata.json`, `config.json` (architecture and
    /// compile config) and `model.weights.h5` (weights and optimizer state). A path ending in `.h5` or
    /// `.hdf5` gets Keras 3's legacy HDF5 model file instead (architecture, compile config and weights,
    /// no optimizer state), which Keras's `load_model` reads, as Keras 3 writes it. Otherwise `path` must end in `.keras`.
    public func save(_ path: String, overwrite: Bool = true) throws {
        let legacy = path.hasSuffix(".h5") || path.hasSuffix(".hdf5")
        guard path.hasSuffix(".keras") || legacy else {
            throw KestrelError.invalidArgument("save: '\(path)' must end in .keras (Keras 3's format) or .h5 (the legacy HDF5 format); for weights only use saveWeights(\"….weights.h5\").")
        }
        try KerasSaving.checkOverwrite(path, overwrite: overwrite)
        let saveable = try KerasSaving.saveable(self, operation: "save")
        if legacy {
            try AtomicFile.write(try KerasLegacyHDF5File.image(of: saveable, fileName: path), to: path)
            return
        }
        let config = try KerasModelConfig.serialize(saveable)
        let weights = try KerasWeightsFile.image(of: saveable, includeOptimizer: true, fileName: "\(path) (model.weights.h5)")
        let members: [(name: String, data: Data)] = [
            ("metadata.json", Data(KerasSaving.metadata(classNames: classNames).jsonText.utf8)),
            ("config.json", Data(config.jsonText.utf8)),
            ("model.weights.h5", weights),
        ] + (try KerasTextAssets.members(of: saveable))
        try AtomicFile.write(try KerasArchive.write(members, fileName: path), to: path)
    }

    /// Keras's `model.save_weights("w.weights.h5")`: the weights (and optimizer state) in Keras 3's HDF5 layout.
    public func saveWeights(_ path: String, overwrite: Bool = true) throws {
        guard path.hasSuffix(".weights.h5") else {
            throw KestrelError.invalidArgument("saveWeights: '\(path)' must end in .weights.h5, as Keras 3 requires.")
        }
        try KerasSaving.checkOverwrite(path, overwrite: overwrite)
        let saveable = try KerasSaving.saveable(self, operation: "saveWeights")
        try AtomicFile.write(try KerasWeightsFile.image(of: saveable, includeOptimizer: true, fileName: path), to: path)
    }

    /// Keras's `model.load_weights(…)`: reads a `.weights.h5` file (or the weights of a `.keras` file)
    /// into this model. Every layer's weights are checked against the file's names and shapes first;
    /// the error names the first mismatching layer and weight with both shapes, and leaves the model
    /// unchanged. A compiled model also gets the optimizer state the file holds.
    public func loadWeights(_ path: String) throws {
        try KerasSaving.loadWeights(fileAt: path, into: self)
    }

    /// Keras's `model.to_json()`: the architecture (and compile config) as JSON; `modelFromJSON` reads it back.
    public func toJSON() throws -> String {
        try KerasModelConfig.serialize(self).jsonText
    }
}

/// Keras's `keras.models.load_model("m.keras")`: the model of a `.keras` file written by Keras 3 or
/// Kestrel, with its weights and — when `compile` and the file has a compile config — compiled with
/// its optimizer (state included, so `fit` continues where it stopped), loss and metrics. A legacy
/// `.h5` model file (Keras 3's or Kestrel's `save("m.h5")`) loads too, with a fresh optimizer.
/// Python code (`Lambda` layers, custom classes) is always refused, as Keras's `safe_mode` does.
public func loadModel(_ path: String, compile: Bool = true) throws -> Model {
    guard path.hasSuffix(".keras") else {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            guard !path.hasSuffix(".weights.h5") else {
                throw KestrelError.invalidArgument("loadModel: '\(path)' holds only weights; build the model (modelFromJSON) and call loadWeights.")
            }
            return try KerasSaving.loadLegacyModel(fileAt: path, compile: compile)
        }
        throw KestrelError.invalidArgument("loadModel: '\(path)' must be a .keras file (Keras 3's format).")
    }
    return try KerasSaving.loadModel(fileAt: path, compile: compile)
}

/// Keras's `keras.models.model_from_json(…)`: a new, uncompiled model from `model.to_json()`'s text
/// (fresh weights; load them with `loadWeights`). Python code is refused, as Keras's `safe_mode` does.
public func modelFromJSON(_ json: String) throws -> Model {
    let root = try ConfigValue.parse(Data(json.utf8), source: "the model JSON")
    do {
        return try KerasModelConfig.model(from: root)
    } catch let error as KestrelError {
        throw KestrelError.fileError("The model JSON: \(error.message)")
    }
}

/// File handling shared by the saving functions.
enum KerasSaving {
    /// `loadModel` on the bytes of a `.keras` file; `fileName` names it in errors.
    static func loadModel(data: Data, fileName path: String, compile: Bool) throws -> Model {
        var members = try KerasArchive.read(data, fileName: path, wanted: ["config.json", "metadata.json", "model.weights.h5"])
        // Taken out of the dictionary so that the inflated member is freed once libhdf5 holds its own copy.
        guard var weights = members.removeValue(forKey: "model.weights.h5") else { throw KerasSaving.missingMember("model.weights.h5", in: path) }
        return try loadModel(members: members, weightsSize: weights.count, fileName: path, compile: compile,
                             readMembers: { try KerasArchive.read(data, fileName: path, wanted: $0) }) {
            defer { weights = Data() }
            return try HDF5File.open(image: weights, fileName: "\(path) (model.weights.h5)")
        }
    }

    /// `loadModel` on the `.keras` file at `path`, read as a stream: the weights member is inflated into a
    /// private temporary file that libhdf5 reads each dataset from, so neither the archive nor the
    /// weights are ever held in memory beside the model's own tensors.
    static func loadModel(fileAt path: String, compile: Bool) throws -> Model {
        try checkRegularFile(path)
        let (members, spilled) = try KerasArchive.read(fileAt: path, fileName: path, wanted: ["config.json", "metadata.json"],
                                                       spilled: "model.weights.h5")
        guard let spilled else { throw KerasSaving.missingMember("model.weights.h5", in: path) }
        defer { spilled.remove() }
        return try loadModel(members: members, weightsSize: spilled.size, fileName: path, compile: compile,
                             readMembers: { try KerasArchive.read(fileAt: path, fileName: path, wanted: $0, spilled: nil).members }) {
            defer { spilled.remove() }
            return try HDF5File.open(privateFileAt: spilled.path, fileName: "\(path) (model.weights.h5)")
        }
    }

    /// The model of a `.keras` file's `members` (config and metadata) with the weights of the file
    /// `openWeights` opens (called once the model is built, so that a config error costs no weights).
    private static func loadModel(members: [String: Data], weightsSize: Int, fileName path: String, compile: Bool,
                                  readMembers: (Set<String>) throws -> [String: Data],
                                  openWeights: () throws -> HDF5File) throws -> Model {
        guard let configData = members["config.json"] else { throw KerasSaving.missingMember("config.json", in: path) }
        let source = "\(path) (config.json)"
        let root = try ConfigValue.parse(configData, source: source)
        let model: Model
        do {
            model = try KerasModelConfig.model(from: root, parameterBudget: weightsSize / 4 + 16)
            if compile, let compileConfig = root["compile_config"], compileConfig != .null {
                try KerasCompileConfig.compile(model, from: compileConfig)
            }
        } catch let error as KestrelError {
            throw KestrelError.fileError("'\(source)': \(error.message)")
        }
        guard model.isBuilt || model.weights.isEmpty else {
            throw KestrelError.fileError("'\(source)': the config declares no input shape, so the weights cannot be placed; save the model after building it.")
        }
        let file = try openWeights()
        // The model is new (nothing else sees it before it is returned), so each weight is placed as it is
        // read instead of holding every value twice; the names and shapes are all checked first.
        try KerasWeightsFile.load(file, into: model, restoreOptimizer: compile, atomically: false)
        try KerasTextAssets.load(into: model, fileName: path, weights: file, readMembers: readMembers)
        if let metadata = members["metadata.json"] { model.classNames = try classNames(fromMetadata: metadata, fileName: path) }
        return model
    }

    /// `loadWeights` on the bytes of a `.weights.h5` (or `.keras`) file.
    static func loadWeights(data: Data, fileName path: String, into model: Model) throws {
        let saveable = try KerasSaving.saveable(model, operation: "loadWeights")
        guard saveable.isBuilt || saveable.weights.isEmpty else {
            throw KestrelError.invalidState("loadWeights: model '\(model.name)' is not built yet; give it an Input(shape:) or call it on data first, so its weights exist.")
        }
        let file: HDF5File
        if path.hasSuffix(".keras") {
            let members = try KerasArchive.read(data, fileName: path, wanted: ["model.weights.h5"])
            guard let weights = members["model.weights.h5"] else { throw KerasSaving.missingMember("model.weights.h5", in: path) }
            file = try HDF5File.open(image: weights, fileName: "\(path) (model.weights.h5)")
        } else {
            file = try HDF5File.open(image: data, fileName: path)
        }
        try KerasWeightsFile.load(file, into: saveable, restoreOptimizer: true)
    }

    /// `loadWeights` on the `.weights.h5` (or `.keras`) file at `path`, which libhdf5 reads dataset by
    /// dataset from a private copy (a `.keras` file's inflated weights member, or a copy of the
    /// `.weights.h5` file: the header checks map the file, and only a private file cannot shrink under them).
    static func loadWeights(fileAt path: String, into model: Model) throws {
        let saveable = try KerasSaving.saveable(model, operation: "loadWeights")
        guard saveable.isBuilt || saveable.weights.isEmpty else {
            throw KestrelError.invalidState("loadWeights: model '\(model.name)' is not built yet; give it an Input(shape:) or call it on data first, so its weights exist.")
        }
        try checkRegularFile(path)
        let copy: PrivateTemporaryFile
        let fileName: String
        if path.hasSuffix(".keras") {
            guard let spilled = try KerasArchive.read(fileAt: path, fileName: path, wanted: [], spilled: "model.weights.h5").spilledFile else {
                throw KerasSaving.missingMember("model.weights.h5", in: path)
            }
            (copy, fileName) = (spilled, "\(path) (model.weights.h5)")
        } else {
            (copy, fileName) = (try privateCopy(of: path), path)
        }
        let file: HDF5File
        do {
            defer { copy.remove() }
            file = try HDF5File.open(privateFileAt: copy.path, fileName: fileName)
        }
        try KerasWeightsFile.load(file, into: saveable, restoreOptimizer: true)
    }

    /// `loadModel` on a legacy `.h5` model file, read dataset by dataset from a private copy.
    static func loadLegacyModel(fileAt path: String, compile: Bool) throws -> Model {
        try checkRegularFile(path)
        let copy = try privateCopy(of: path)
        let file: HDF5File
        do {
            defer { copy.remove() }
            file = try HDF5File.open(privateFileAt: copy.path, fileName: path)
        }
        return try KerasLegacyHDF5Reader.loadModel(file, compile: compile)
    }

    /// A private copy of the file at `path`, made 1 MiB at a time.
    private static func privateCopy(of path: String) throws -> PrivateTemporaryFile {
        guard let source = FileHandle(forReadingAtPath: path) else {
            throw KestrelError.fileError("'\(path)' cannot be read; check its permissions.")
        }
        defer { try? source.close() }
        let copy = try PrivateTemporaryFile(purpose: "weights", fileName: path)
        while true {
            let chunk: Data
            do { chunk = try source.read(upToCount: 1 << 20) ?? Data() } catch {
                throw KestrelError.fileError("'\(path)' cannot be read (\(error)).")
            }
            if chunk.isEmpty { break }
            try copy.write(chunk)
        }
        try copy.finishWriting()
        return copy
    }

    /// Throws unless `path` is a regular file (a FIFO or device would block or never end), saying what it is.
    static func checkRegularFile(_ path: String) throws {
        do {
            try InputFile.checkRegular(path, expected: "a saved model or weights file (.keras, .weights.h5, .h5)")
        } catch let error as DataError {
            throw KestrelError.fileError(error.message)
        }
    }

    static func missingMember(_ member: String, in path: String) -> KestrelError {
        .fileError("'\(path)' has no '\(member)' member, so it is not a complete .keras file; save the model again with model.save(\"….keras\").")
    }

    static func checkOverwrite(_ path: String, overwrite: Bool) throws {
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw KestrelError.fileError("'\(path)' already exists; pass overwrite: true to replace it.")
        }
    }

    /// `model` when Kestrel can write it in Keras's format: a `Sequential` or a functional model.
    static func saveable(_ model: Model, operation: String) throws -> Model {
        guard model is Sequential || model.isFunctional else {
            throw KestrelError.invalidArgument("\(operation): model '\(model.name)' (\(model.className)) is neither a Sequential nor a functional model (Model(inputs:outputs:)); only those can be saved and loaded in Keras's format.")
        }
        return model
    }

    /// `metadata.json`: the Keras format version the file follows and when it was saved, and — when the
    /// model knows them — its class names as `class_indices` (`{"cats": 0, "dogs": 1}`, the form of
    /// Keras's `train_generator.class_indices`). Keras's `load_model` never reads metadata.json, so the
    /// extra key leaves the file loadable there (scripts/keras_roundtrip.py checks it).
    static func metadata(classNames: [String]? = nil) -> ConfigValue {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        var members: [String: ConfigValue] = ["keras_version": .string(kerasFormatVersion), "date_saved": .string(formatter.string(from: Date()))]
        if let classNames, !classNames.isEmpty {
            members[classIndicesKey] = .object(Dictionary(classNames.enumerated().map { ($1, .int($0)) }, uniquingKeysWith: { first, _ in first }))
        }
        return .object(members)
    }

    /// The metadata.json key holding the class names.
    static let classIndicesKey = "class_indices"

    /// The most class names a `.keras` file's metadata.json may list (ImageNet-21k has 21,841).
    static let classNameLimit = 100_000

    /// The class names of a metadata.json's `class_indices` (nil when absent); throws naming the file
    /// when they are not a name → 0, 1, … n−1 mapping.
    static func classNames(fromMetadata data: Data, fileName: String) throws -> [String]? {
        let source = "\(fileName) (metadata.json)"
        let root = try ConfigValue.parse(data, source: source)
        guard let value = root[classIndicesKey], value != .null else { return nil }
        guard let indices = value.objectValue else {
            throw KestrelError.fileError("'\(source)': \"\(classIndicesKey)\" must be an object of class name → index.")
        }
        guard indices.count <= classNameLimit else {
            throw KestrelError.fileError("'\(source)': \"\(classIndicesKey)\" names \(indices.count) classes, more than the \(classNameLimit) Kestrel reads.")
        }
        var names = Array(repeating: "", count: indices.count)
        var seen = Set<Int>()
        for (name, index) in indices {
            guard let number = (try? KerasConfigReader.wholeNumber(index)) ?? nil, (0..<indices.count).contains(number),
                  seen.insert(number).inserted else {
                throw KestrelError.fileError("'\(source)': \"\(classIndicesKey)\" must number the classes 0…\(indices.count - 1) once each; '\(name)' has \(index).")
            }
            names[number] = name
        }
        return names
    }

    /// The Keras 3 release whose `.keras` layout Kestrel writes (checked against it by scripts/fixtures).
    static let kerasFormatVersion = "3.15.1"
}
