import Foundation
import Kestrel

/// Small synthetic stand-ins for the tutorials' datasets, with the shapes and value ranges `load_data()`
/// gives (pixels 0…255, integer labels), so a ported tutorial runs in a second and can be checked to learn:
/// each class draws a bright square at its own place on a noisy background.
enum TutorialData {
    /// `(x, y)` of `count` images `[count] + shape` (shape [h, w] or [h, w, c]) of `classes` classes.
    static func images(count: Int, shape: [Int], classes: Int, seed: UInt64) throws -> (Tensor, Tensor) {
        let (height, width) = (shape[0], shape[1])
        let channels = shape.count == 3 ? shape[2] : 1
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        let side = Swift.max(2, Swift.min(height, width) / 4)
        let columns = Swift.max(1, width / side)
        var pixels = [Float](repeating: 0, count: count * height * width * channels)
        var labels = [Float](repeating: 0, count: count)
        for sample in 0..<count {
            let label = sample % classes
            labels[sample] = Float(label)
            let top = (label / columns * side) % Swift.max(1, height - side + 1)
            let left = (label % columns) * side % Swift.max(1, width - side + 1)
            for row in 0..<height {
                for column in 0..<width {
                    let inside = row >= top && row < top + side && column >= left && column < left + side
                    for channel in 0..<channels {
                        let base: Float = inside ? 200 : 0
                        pixels[((sample * height + row) * width + column) * channels + channel] = (base + 55 * next()).rounded()
                    }
                }
            }
        }
        return (try Tensor(shape: [count] + shape, scalars: pixels), Tensor(labels))
    }

    /// Keras's `load_data()` tuple: `((xTrain, yTrain), (xTest, yTest))`.
    static func loadData(train: Int, test: Int, shape: [Int], classes: Int = 10) throws -> ((Tensor, Tensor), (Tensor, Tensor)) {
        (try images(count: train, shape: shape, classes: classes, seed: 1), try images(count: test, shape: shape, classes: classes, seed: 2))
    }

    /// `count` rows of `features` values in 0…1 with a 0/1 label that a linear rule decides (the Higgs
    /// tutorial's shape: 28 features, binary label).
    static func tabular(count: Int, features: Int, seed: UInt64) throws -> (Tensor, Tensor) {
        var state = seed &* 6364136223846793005 &+ 1
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var values: [Float] = [], labels: [Float] = []
        for _ in 0..<count {
            let row = (0..<features).map { _ in next() }
            values += row
            labels.append(row[0] + row[1] > 1 ? 1 : 0)
        }
        return (try Tensor(shape: [count, features], scalars: values), try Tensor(shape: [count, 1], scalars: labels))
    }

    /// Deterministic starting values of `shape` (scripts/tutorial_reference/tutorial_data.py's `pattern`,
    /// bit for bit), so a Keras reference script and a test start from the same weights.
    static func pattern(_ shape: [Int], salt: Int, scale: Double) throws -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { (index: Int) -> Float in
            let step: Int = (index * 7919 + salt) % 2001 - 1000
            return Float(Double(step) / 1000.0 * scale)
        }
        return try Tensor(shape: shape, scalars: values)
    }

    /// Sets every weight of `model` from `pattern`, salted by its position: a kernel within Glorot's uniform
    /// limit sqrt(6 / (fanIn + fanOut)) (its first and last dimensions), any other weight within 0.01
    /// (tutorial_data.py's `pattern_weights`).
    static func setPatternWeights(_ model: Model) throws {
        let values = try model.getWeights().enumerated().map { position, weight in
            let shape = weight.shape
            let scale = shape.count > 1 ? (6.0 / Double(shape[0] + shape[shape.count - 1])).squareRoot() : 0.01
            return try pattern(shape, salt: 17 * position + 3, scale: scale)
        }
        try model.setWeights(values)
    }

    /// A fresh empty folder (with `subfolders`) standing for the tutorial's working directory.
    static func temporaryFolder(_ name: String, subfolders: [String] = []) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-ported-\(name)-\(UUID().uuidString)").path
        for folder in [""] + subfolders {
            try FileManager.default.createDirectory(atPath: path + "/" + folder, withIntermediateDirectories: true)
        }
        return path
    }
}
