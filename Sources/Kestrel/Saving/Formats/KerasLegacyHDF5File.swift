import Foundation

/// Keras 3's legacy HDF5 model file, what `model.save("m.h5")` writes (keras/src/legacy/saving/legacy_h5_format.py,
/// restored in Keras 3 by keras-team/keras#20561): the root's `keras_version`, `backend`, `model_config`
/// (`{"class_name", "config"}` JSON) and, for a compiled model, `training_config` (the compile arguments with
/// `optimizer_config`); then `model_weights/<layer>/<layer>/<weight>` datasets listed in order by each layer
/// group's `weight_names` and the groups by `model_weights`' `layer_names`. Keras's `load_model("m.h5")` reads it.
/// The optimizer's state (`optimizer_weights`) is not written: a loaded model starts a fresh optimizer.
enum KerasLegacyHDF5File {
    /// The HDF5 bytes of `model` in the legacy layout; `fileName` names it in errors.
    static func image(of model: Model, fileName: String) throws -> Data {
        let file = try HDF5File.create(fileName: fileName)
        let config = try KerasModelConfig.serialize(model)
        try file.setStringAttribute("keras_version", KerasSaving.kerasFormatVersion, on: "/")
        try file.setStringAttribute("backend", "tensorflow", on: "/")
        let modelConfig = ConfigValue.object(["class_name": config["class_name"] ?? .string(model.className),
                                              "config": config["config"] ?? .object([:])])
        try file.setStringAttribute("model_config", modelConfig.jsonText, on: "/")
        if let trainingConfig = trainingConfig(from: config["compile_config"]) {
            try file.setStringAttribute("training_config", trainingConfig.jsonText, on: "/")
        }
        try writeWeights(of: model, into: file)
        return try file.image()
    }

    /// Keras's `training_config`: the compile config without its optimizer, which goes under `optimizer_config`.
    static func trainingConfig(from compileConfig: ConfigValue?) -> ConfigValue? {
        guard var members = compileConfig?.objectValue else { return nil }
        if case .object(let wrapped)? = members["config"], members["class_name"] != nil { members = wrapped }
        guard let optimizer = members.removeValue(forKey: "optimizer") else { return nil }
        members["optimizer_config"] = optimizer
        return .object(members)
    }

    /// The `model_weights` group: one group per layer (in `model.layers` order) holding its weights.
    static func writeWeights(of model: Model, into file: HDF5File) throws {
        try file.createGroup("model_weights")
        let layers = model.layers
        try file.setStringArrayAttribute("layer_names", layers.map(\.name), on: "model_weights")
        try file.setStringAttribute("backend", "tensorflow", on: "model_weights")
        try file.setStringAttribute("keras_version", KerasSaving.kerasFormatVersion, on: "model_weights")
        for layer in layers {
            let group = "model_weights/\(layer.name)"
            try file.createGroup(group)
            var names: [String] = []
            let nested = heldWeightNames(of: layer)
            for (index, variable) in layer.weights.enumerated() {
                let name = nested.map { "\(layer.name)/\($0[index])" } ?? "\(layer.name)/\(variable.name)"
                names.append(variable.name.isEmpty || names.contains(name) ? "\(layer.name)/weight_\(index)" : name)
            }
            try file.setStringArrayAttribute("weight_names", names, on: group)
            if !names.isEmpty { try file.createGroup("\(group)/\(layer.name)") }
            for (name, variable) in zip(names, layer.weights) {
                var parent = group
                for part in name.split(separator: "/").dropLast() {
                    parent += "/\(part)"
                    if file.kind(of: parent) == .missing { try file.createGroup(parent) }
                }
                try file.writeFloats(variable.value.scalars, shape: variable.shape, at: "\(group)/\(name)")
            }
        }
        try file.createGroup("model_weights/top_level_model_weights")
        try file.setStringArrayAttribute("weight_names", [], on: "model_weights/top_level_model_weights")
    }

    /// For a user's layer holding layers, each of its weights' names in `layer.weights` order with the path of
    /// the held layer it belongs to, by property name as in `.keras` files (`linear_1/variable`), so two held
    /// layers' equally named weights stay apart and a newly made twin (whose layers' generated names differ)
    /// finds them; nil for any other layer.
    static func heldWeightNames(of layer: Layer) -> [String]? {
        guard !(layer is Model), !layer.trackedLayers.isEmpty else { return nil }
        func names(of layer: Layer, prefix: String) -> [String] {
            let own = layer.directWeights.map { prefix + $0.name }
            let held = KerasWeightsFile.heldLayerPaths(layer.trackedLayerProperties, under: "")
            return own + held.flatMap { child, path in names(of: child, prefix: prefix + path.dropFirst() + "/") }
        }
        let result = names(of: layer, prefix: "")
        return result.count == layer.weights.count ? result : nil
    }
}
