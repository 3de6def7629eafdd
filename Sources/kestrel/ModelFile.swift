import Foundation
import Kestrel

/// Reads the model a command names: a `.keras` file, or a Keras architecture `.json` (what
/// `model.to_json()` writes) with its weights from `--weights FILE.weights.h5`.
enum ModelFile {
    static func load(_ path: String, weights: String?) throws -> Model {
        do {
            if path.hasSuffix(".keras") {
                let model = try loadModel(path)
                if let weights { try model.loadWeights(weights) }
                return model
            }
            guard path.hasSuffix(".json") else {
                throw CommandFailure(message: "MODEL '\(path)' must be a .keras file or a Keras architecture .json (with --weights FILE.weights.h5).")
            }
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CommandFailure(message: "Cannot read '\(path)': \(error.localizedDescription).")
            }
            let model = try modelFromJSON(text)
            if let weights { try model.loadWeights(weights) }
            return model
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
    }

    /// The model's sample shape (without the batch dimension), from its input.
    static func inputShape(_ model: Model) throws -> [Int] {
        guard let shape = model.builtInputShape else {
            throw CommandFailure(message: "The model has no input shape; save it after building (an Input layer or a fit).")
        }
        return shape
    }
}
