import Foundation
import Kestrel

/// Reads the model a command names: a `.keras` file, or a Keras architecture `.json` (what
/// `model.to_json()` writes) with its weights from `--weights FILE.weights.h5`.
enum ModelFile {
    /// The most bytes a Keras architecture `.json` may hold (Keras's own are kilobytes).
    static let largestConfigBytes = 64 << 20

    static func load(_ path: String, weights: String?) throws -> Model {
        do {
            guard path.hasSuffix(".keras") || path.hasSuffix(".json") else {
                throw CommandFailure(message: "MODEL '\(path)' must be a .keras file or a Keras architecture .json (with --weights FILE.weights.h5).")
            }
            // What is there first: a folder, FIFO or device is named as such (a FIFO would block the read).
            try InputFile.checkRegular(path, argument: "MODEL", expected: "a .keras model file or a Keras architecture .json")
            if let weights { try InputFile.checkRegular(weights, argument: "--weights", expected: "a .weights.h5 file") }
            if path.hasSuffix(".keras") {
                let model = try loadModel(path)
                if let weights { try model.loadWeights(weights) }
                return model
            }
            let data = try InputFile.read(path, argument: "MODEL", expected: "a Keras architecture .json", limit: largestConfigBytes)
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(message: "MODEL: '\(path)' is not UTF-8 text, so not a Keras architecture .json; pass the file model.to_json() wrote.")
            }
            let model = try modelFromJSON(text)
            if let weights { try model.loadWeights(weights) }
            return model
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        } catch let error as DataError {
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

    /// The classes the model tells apart: its output's last size (2 for a single sigmoid unit), nil
    /// for an output that is not a vector of class scores.
    static func classCount(_ model: Model) throws -> Int? {
        let output = try model.computeOutputShape(try inputShape(model))
        guard output.count == 1, let units = output.last else { return nil }
        return units == 1 ? 2 : units
    }

    /// Refuses class names (from `option` or from a dataset) that do not match the model's classes.
    static func checkClassNames(_ names: [String], of model: Model, source: String) throws {
        guard let classes = try classCount(model), names.count != classes else { return }
        throw CommandFailure(message: "\(source) gives \(names.count) class\(names.count == 1 ? "" : "es") (\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")) but the model predicts \(classes); give one name per class the model was trained on.")
    }
}
