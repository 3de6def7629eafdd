import Foundation

/// Reads Keras's Sequential model config — the JSON of `model.to_json()`, or the `config.json`
/// inside a `.keras` file — into a `ModelSpecification`.
///
/// Layout: `{"class_name": "Sequential", "config": {"name": …, "layers": [{"class_name": "Dense",
/// "config": {"units": 128, "activation": "relu", …}}, …]}}`. Each layer is read through
/// `KerasLayerRegistry`, the same table `loadModel` and `modelFromJSON` use, so every class and
/// setting it supports works here too.
public enum KerasSequentialConfig {
    /// Parses the JSON bytes.
    public static func parse(_ data: Data) throws -> ModelSpecification {
        guard let root = try? ConfigValue.parse(data, source: "the Keras model file"), root.objectValue != nil else {
            throw ModelSpecificationError.keras("The Keras model file is not a JSON object; export it with model.to_json() or take config.json out of the .keras file.")
        }
        if ["Functional", "Model"].contains(root["class_name"]?.stringValue ?? "") { return try functional(root) }
        guard root["class_name"]?.stringValue == "Sequential", let config = root["config"], config.objectValue != nil else {
            throw ModelSpecificationError.keras("The Keras model file is not a Sequential or Functional model's config (it needs \"class_name\" and a \"config\", as model.to_json() writes).")
        }
        guard let layerObjects = config["layers"]?.arrayValue else {
            throw ModelSpecificationError.keras("The Keras Sequential config has no \"layers\" list.")
        }
        do {
            var layers: [LayerSpecification] = []
            for (index, object) in layerObjects.enumerated() {
                if object["class_name"]?.stringValue == "InputLayer" {
                    let reader = KerasConfigReader(className: "InputLayer", number: index + 1, config: object["config"]?.objectValue ?? [:])
                    let shape = try KerasModelConfig.batchShape(reader.config["batch_shape"] ?? reader.config["batch_input_shape"], reader: reader, required: true)
                    layers.append(.input(shape: shape ?? []))
                    continue
                }
                _ = try KerasLayerRegistry.layer(from: object, number: index + 1)
                layers.append(.keras(object))
            }
            if !layers.contains(where: { if case .input = $0 { return true } else { return false } }),
               let shape = try KerasModelConfig.batchShape(config["build_input_shape"] ?? root["build_config"]?["input_shape"],
                                                           reader: KerasConfigReader(className: "Sequential", number: 0, config: [:]), required: false) {
                layers.insert(.input(shape: shape), at: 0)
            }
            return ModelSpecification(layers: layers, name: config["name"]?.stringValue)
        } catch let error as KestrelError {
            throw ModelSpecificationError.keras(error.message)
        }
    }

    /// A Keras functional config: read (and checked) once, then one `.kerasModel` layer after an input
    /// of the model's input shape; it needs exactly one input and one output.
    private static func functional(_ root: ConfigValue) throws -> ModelSpecification {
        let model: Model
        do {
            model = try KerasModelConfig.model(from: root)
        } catch let error as KestrelError {
            throw ModelSpecificationError.keras("The Keras functional config: \(error.message)")
        }
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw ModelSpecificationError.keras(
                "The Keras functional model '\(model.name)' has \(model.inputs.count) inputs and \(model.outputs.count) outputs; kestrel fit trains models with one input (the images) and one output (the class probabilities).")
        }
        return ModelSpecification(layers: [.input(shape: model.inputs[0].shape), .kerasModel(root)], name: nil)
    }
}
