import Foundation

/// Keras 3's weights layout in HDF5 (`.weights.h5`, and `model.weights.h5` inside `.keras`):
/// `layers/<snake_case class, made unique>/vars/<0, 1, …>` in each layer's weight order (a `vars`
/// group with a `name` attribute for every layer; a nested model's layers under
/// `layers/<its class>/layers/…`), `optimizer/vars/<0: iterations, 1: learning
/// rate, then the slots in Keras's order>`, and a root `vars` group named after the model.
enum KerasWeightsFile {
    /// The group path of each of `layers` under `prefix` ("layers", or "layers/functional/layers" for a
    /// nested model): Keras addresses layers by class, never by their (generated) names.
    static func layerPaths(_ layers: [Layer], prefix: String = "layers") -> [(layer: Layer, path: String)] {
        var used: [String: Int] = [:]
        return layers.map { layer in
            let base = LayerNaming.snakeCase(layer.className)
            let path: String
            if let count = used[base] {
                used[base] = count + 1
                path = "\(base)_\(count + 1)"
            } else {
                used[base] = 0
                path = base
            }
            return (layer, "\(prefix)/\(path)")
        }
    }

    /// Writes the `vars` group of every layer of `model` under `prefix`; a nested model (a Sequential or
    /// functional model used as a layer) gets its own `layers` group inside its path, as Keras writes it.
    private static func writeLayers(of model: Model, prefix: String, into file: HDF5File, depth: Int = 0) throws {
        try file.createGroup(prefix)
        let layers = try (model as? Sequential)?.layersForSaving() ?? model.layers
        for (layer, path) in layerPaths(layers, prefix: prefix) {
            try file.createGroup("\(path)/vars")
            try file.setStringAttribute("name", layer.name, on: "\(path)/vars")
            try writeLayer(layer, at: path, in: model, into: file, depth: depth)
        }
    }

    /// Writes one layer's variables at `path` (whose `vars` group exists): a nested model's layers under
    /// `path/layers`; a user's layer holding layers its own weights in `vars` and each held layer under
    /// `path/<property name>` (a list's layers one level deeper, named by class), as Keras 3 walks attributes.
    private static func writeLayer(_ layer: Layer, at path: String, in model: Model, into file: HDF5File, depth: Int) throws {
        guard depth < 64 else { throw KestrelError.invalidArgument("Model '\(model.name)' nests layers more than 64 deep; it cannot be saved.") }
        if let nested = layer as? Model {
            try writeLayers(of: nested, prefix: "\(path)/layers", into: file, depth: depth + 1)
            return
        }
        let held = layer.trackedLayerProperties
        for (index, variable) in (held.isEmpty ? layer.weights : layer.directWeights).enumerated() {
            if let integers = layer as? KerasIntegerWeights, integers.isIntegerWeight(variable), variable.shape.isEmpty,
               let value = variable.value.scalars.first, let whole = Int64(exactly: value.rounded()) {
                try file.writeInt64Scalar(whole, at: "\(path)/vars/\(index)")
                continue
            }
            try file.writeFloats(variable.value.scalars, shape: variable.shape, at: "\(path)/vars/\(index)")
        }
        try KerasTextAssets.writeVariables(of: layer, at: path, into: file)
        for (child, childPath) in heldLayerPaths(held, under: path) {
            try file.createGroup("\(childPath)/vars")
            try file.setStringAttribute("name", child.name, on: "\(childPath)/vars")
            try writeLayer(child, at: childPath, in: model, into: file, depth: depth + 1)
        }
    }

    /// The group path of each layer a user's layer holds: `path/<property name, snake_case>` for a layer,
    /// `path/<property name>/<class name made unique>` for each layer of an array (Keras's layout for
    /// attributes and lists of layers).
    static func heldLayerPaths(_ held: [(property: String, layers: [Layer], isList: Bool)], under path: String) -> [(layer: Layer, path: String)] {
        held.flatMap { entry -> [(layer: Layer, path: String)] in
            let propertyPath = "\(path)/\(LayerNaming.snakeCase(entry.property))"
            return entry.isList ? layerPaths(entry.layers, prefix: propertyPath) : entry.layers.map { ($0, propertyPath) }
        }
    }

    /// The HDF5 bytes of `model`'s weights (and, with `includeOptimizer`, its optimizer state).
    static func image(of model: Model, includeOptimizer: Bool, fileName: String) throws -> Data {
        let file = try HDF5File.create(fileName: fileName)
        try writeLayers(of: model, prefix: "layers", into: file)
        if includeOptimizer, let optimizer = model.optimizer {
            try file.createGroup("optimizer/vars")
            try file.setStringAttribute("name", optimizer.name, on: "optimizer/vars")
            try file.writeInt64Scalar(Int64(optimizer.iterations), at: "optimizer/vars/0")
            // Keras keeps a learning-rate variable only for a constant rate; a schedule has none.
            let firstSlot = optimizer.learningRateSchedule == nil ? 2 : 1
            if firstSlot == 2 { try file.writeFloats([optimizer.learningRate], shape: [], at: "optimizer/vars/1") }
            let order = KerasOptimizerConfig.slotOrder(of: optimizer, variables: model.trainableWeights)
            for (position, item) in order.enumerated() {
                let tensor = optimizer.slotTensors(for: item.variable)[item.slot]
                try file.writeFloats(tensor.scalars, shape: tensor.shape, at: "optimizer/vars/\(position + firstSlot)")
            }
        }
        try file.createGroup("vars")
        try file.setStringAttribute("name", model.name, on: "vars")
        return try file.image()
    }

    /// Loads the weights in `file` into `model`, checking every layer's names and shapes first (the
    /// model is left unchanged when anything does not match); with `restoreOptimizer` and a compiled
    /// model, also the optimizer's step count, learning rate and slots.
    ///
    /// Each weight is read into a new tensor (libhdf5 fills one `[Float]`, copied once into the tensor)
    /// that becomes the variable's value without another copy. `atomically` (loading into a model the
    /// caller already holds) reads every weight before placing any, so a dataset that fails to read
    /// leaves the model unchanged; without it (a model being loaded, which nobody else sees yet) each
    /// weight is placed as soon as it is read, so the old and new values of only one weight exist at a time.
    static func load(_ file: HDF5File, into model: Model, restoreOptimizer: Bool, atomically: Bool = true) throws {
        let name = file.fileName
        if file.kind(of: "layers") != .group {
            if file.kind(of: "model_weights") == .group || file.kind(of: "layer_names") != .missing {
                throw KestrelError.fileError("'\(name)' is a legacy Keras 2 HDF5 file (model_weights); re-save it with Keras 3 as .keras or .weights.h5.")
            }
            if model.weights.isEmpty { return }
            throw KestrelError.fileError("'\(name)' has no \"layers\" group, so it is not a Keras 3 weights file; save it with model.save_weights(\"….weights.h5\").")
        }
        var plan: [(variable: Variable, path: String)] = []
        try collectAssignments(for: model, prefix: "layers", in: file, into: &plan)
        var optimizerState: (iterations: Int, learningRate: Float?, slots: [(variable: Variable, tensors: [Tensor])])?
        if restoreOptimizer, let optimizer = model.optimizer, file.kind(of: "optimizer/vars") == .group {
            optimizerState = try readOptimizer(file, optimizer: optimizer, variables: model.trainableWeights)
        }
        if atomically {
            let values = try plan.map { try readValue(file, $0.path) }
            for ((variable, _), value) in zip(plan, values) { variable.replaceValue(with: value) }
        } else {
            for (variable, path) in plan { variable.replaceValue(with: try readValue(file, path)) }
        }
        if let optimizerState, let optimizer = model.optimizer {
            try optimizer.restoreState(iterations: optimizerState.iterations, slots: optimizerState.slots)
            if let rate = optimizerState.learningRate { optimizer.learningRate = rate }
        }
    }

    /// The dataset for every weight of `model`'s layers under `prefix` (recursing into nested
    /// models), each checked against the layer's weight count and shapes without reading its values.
    private static func collectAssignments(for model: Model, prefix: String, in file: HDF5File,
                                           into plan: inout [(variable: Variable, path: String)], depth: Int = 0) throws {
        let name = file.fileName
        for (layer, path) in layerPaths(model.layers, prefix: prefix) {
            try collectAssignments(for: layer, at: path, in: file, into: &plan, depth: depth)
        }
    }

    /// The datasets for one layer's weights at `path`, read in the layout `writeLayer` writes.
    private static func collectAssignments(for layer: Layer, at path: String, in file: HDF5File,
                                           into plan: inout [(variable: Variable, path: String)], depth: Int) throws {
        let name = file.fileName
        guard !layer.weights.isEmpty else { return }
        guard depth < 64 else {
            throw KestrelError.fileError("'\(name)': layer '\(layer.name)' (\(layer.className)) nests layers more than 64 deep.")
        }
        if let nested = layer as? Model {
            guard file.kind(of: "\(path)/layers") == .group else {
                throw KestrelError.fileError(
                    "'\(name)': the nested model '\(layer.name)' (\(layer.className)) has no weights in the file (no group '\(path)/layers'); the file was saved from a different model.")
            }
            try collectAssignments(for: nested, prefix: "\(path)/layers", in: file, into: &plan, depth: depth + 1)
            return
        }
        let held = layer.trackedLayerProperties
        for (child, childPath) in heldLayerPaths(held, under: path) {
            try collectAssignments(for: child, at: childPath, in: file, into: &plan, depth: depth + 1)
        }
        let weights = held.isEmpty ? layer.weights : layer.directWeights
        if weights.isEmpty { return }
        let group = "\(path)/vars"
        guard file.kind(of: group) == .group else {
            throw KestrelError.fileError(
                "'\(name)': layer '\(layer.name)' (\(layer.className)) has no weights in the file (no group '\(group)'); the file was saved from a different model.")
        }
        let keys = try file.childNames(of: group)
        guard keys.count == weights.count else {
            throw KestrelError.fileError(
                "'\(name)': layer '\(layer.name)' (\(layer.className)) has \(weights.count) weights but the file holds \(keys.count) at '\(group)'; the file was saved from a different model.")
        }
        for (index, variable) in weights.enumerated() {
            let datasetPath = "\(group)/\(index)"
            let integer = (layer as? KerasIntegerWeights)?.isIntegerWeight(variable) ?? false
            try checkWeight(file, datasetPath, expected: variable.shape, integer: integer,
                            what: "layer '\(layer.name)' (\(layer.className)) weight \(index) (\(variable.name))")
            plan.append((variable, datasetPath))
        }
    }

    /// Throws unless `path` is a floating-point dataset (or, where `integer`, an integer one) of shape `expected`.
    private static func checkWeight(_ file: HDF5File, _ path: String, expected: [Int], integer: Bool = false, what: String) throws {
        guard file.kind(of: path) == .dataset else {
            throw KestrelError.fileError("'\(file.fileName)': \(what) is missing (no dataset '\(path)').")
        }
        let info = try file.datasetInfo(path)
        guard info.dtype.hasPrefix("float") || (integer && info.dtype.hasPrefix("int")) else {
            throw KestrelError.fileError("'\(file.fileName)': \(what) at '\(path)' is stored as \(info.dtype); weights must be floating point.")
        }
        guard info.shape == expected else {
            throw KestrelError.fileError(
                "'\(file.fileName)': \(what) has shape \(LayerNaming.format(info.shape, batch: false)) in the file but \(LayerNaming.format(expected, batch: false)) in the model; the file was saved from a different model.")
        }
    }

    /// The values of the dataset at `path` as a new tensor.
    private static func readValue(_ file: HDF5File, _ path: String) throws -> Tensor {
        try file.readTensor(path)
    }

    private static func readWeight(_ file: HDF5File, _ path: String, expected: [Int], what: String) throws -> Tensor {
        try checkWeight(file, path, expected: expected, what: what)
        return try readValue(file, path)
    }

    /// The optimizer state in the file: iterations, the learning rate (nil for a schedule, which Keras
    /// stores no variable for) and the slots.
    private static func readOptimizer(_ file: HDF5File, optimizer: Optimizer, variables: [Variable])
        throws -> (iterations: Int, learningRate: Float?, slots: [(variable: Variable, tensors: [Tensor])]) {
        let name = file.fileName
        let keys = try file.childNames(of: "optimizer/vars")
        let order = KerasOptimizerConfig.slotOrder(of: optimizer, variables: variables)
        let scheduled = optimizer.learningRateSchedule != nil
        let firstSlot = scheduled ? 1 : 2
        guard keys.count == firstSlot || keys.count == firstSlot + order.count else {
            throw KestrelError.fileError(
                "'\(name)': the optimizer state holds \(keys.count) variables but \(optimizer.name) on this model needs \(firstSlot + order.count) (iterations, \(scheduled ? "no learning rate (a schedule)" : "learning rate"), \(order.count) slots); it was saved with another optimizer, learning rate or model.")
        }
        let iterationValues = try file.readFloats("optimizer/vars/0").values
        let rateValues = scheduled ? [Float(0)] : try file.readFloats("optimizer/vars/1").values
        guard iterationValues.count == 1, rateValues.count == 1, let iterations = Int(exactly: iterationValues[0].rounded()),
              iterations >= 0, rateValues[0].isFinite, rateValues[0] >= 0 else {
            throw KestrelError.fileError("'\(name)': the optimizer's iterations (optimizer/vars/0) or learning rate (optimizer/vars/1) is not a valid scalar.")
        }
        let rate: Float? = scheduled ? nil : rateValues[0]
        guard keys.count > firstSlot else { return (iterations, rate, []) }
        var slots: [ObjectIdentifier: [Tensor?]] = [:]
        for (position, item) in order.enumerated() {
            let tensor = try readWeight(file, "optimizer/vars/\(position + firstSlot)", expected: item.variable.shape,
                                        what: "optimizer slot \(position + firstSlot) (for '\(item.variable.name)')")
            slots[ObjectIdentifier(item.variable), default: Array(repeating: nil, count: optimizer.slotCount)][item.slot] = tensor
        }
        let restored = variables.compactMap { variable -> (variable: Variable, tensors: [Tensor])? in
            guard let tensors = slots[ObjectIdentifier(variable)] else { return nil }
            return (variable, tensors.map { $0 ?? Tensor.full(like: variable.value, value: 0) })
        }
        return (iterations, rate, restored)
    }
}
