import Foundation

extension ReferenceBackend {
    func loss(_ loss: FusedLoss, targets: UnsafePointer<Float>, predictions: UnsafePointer<Float>, layout: LossLayout,
              values: UnsafeMutablePointer<Float>, derivative: UnsafeMutablePointer<Float>?) {
        let (batch, positions, classes) = (layout.batch, layout.positions, layout.classes)
        let lower = Double(Float(1e-7)), upper = Double(1 - Float(1e-7))
        switch loss {
        case .meanSquaredError, .meanAbsoluteError, .huber, .binaryCrossentropy:
            let width = classes
            for sample in 0..<batch {
                var total: Double = 0
                for element in (sample * width)..<((sample + 1) * width) {
                    let (value, slope) = ReferenceBackend.elementLoss(loss, Double(targets[element]),
                                                                      Double(predictions[element]), lower: lower, upper: upper)
                    total += value
                    derivative?[element] = Float(slope / Double(width))
                }
                values[sample] = width == 0 ? 0 : Float(total / Double(width))
            }
        case let .categoricalCrossentropy(fromLogits, labelSmoothing):
            let s = Double(labelSmoothing)
            for sample in 0..<batch {
                var sampleTotal: Double = 0
                for position in 0..<positions {
                    let offset = (sample * positions + position) * classes
                    let t = (0..<classes).map { Double(targets[offset + $0]) * (1 - s) + s / Double(classes) }
                    let x = (0..<classes).map { Double(predictions[offset + $0]) }
                    if fromLogits {
                        let largest = x.max() ?? 0
                        let logTotal = Foundation.log(x.reduce(0) { $0 + Foundation.exp($1 - largest) }) + largest
                        sampleTotal -= zip(t, x).reduce(0) { $0 + $1.0 * ($1.1 - logTotal) }
                        let targetSum = t.reduce(0, +)
                        for k in 0..<classes {
                            derivative?[offset + k] = Float((Foundation.exp(x[k] - logTotal) * targetSum - t[k]) / Double(positions))
                        }
                    } else {
                        let total = x.reduce(0, +)
                        let q = x.map { $0 / total }
                        let inside = q.map { $0 >= lower && $0 <= upper }
                        sampleTotal -= (0..<classes).reduce(0) { $0 + t[$1] * Foundation.log(Swift.min(Swift.max(q[$1], lower), upper)) }
                        // d/dp_j of −Σ tᵢ log(pᵢ/Σp), where only unclipped terms depend on p.
                        let unclipped = (0..<classes).reduce(0.0) { $0 + (inside[$1] ? t[$1] : 0) }
                        for k in 0..<classes {
                            let own = inside[k] ? t[k] / q[k] : 0
                            derivative?[offset + k] = Float((unclipped - own) / total / Double(positions))
                        }
                    }
                }
                values[sample] = positions == 0 ? 0 : Float(sampleTotal / Double(positions))
            }
        case .sparseCategoricalCrossentropy(let fromLogits):
            for sample in 0..<batch {
                var sampleTotal: Double = 0
                for position in 0..<positions {
                    let row = sample * positions + position
                    let label = Int(targets[row])
                    let x = (0..<classes).map { Double(predictions[row * classes + $0]) }
                    if fromLogits {
                        let largest = x.max() ?? 0
                        let total = x.reduce(0) { $0 + Foundation.exp($1 - largest) }
                        sampleTotal += Foundation.log(total) + largest - x[label]
                        for k in 0..<classes {
                            let softmax = Foundation.exp(x[k] - largest) / total
                            derivative?[row * classes + k] = Float((softmax - (k == label ? 1 : 0)) / Double(positions))
                        }
                    } else {
                        let clipped = x.map { Swift.min(Swift.max($0, lower), upper) }
                        let total = clipped.reduce(0, +)
                        sampleTotal += Foundation.log(total) - Foundation.log(clipped[label])
                        for k in 0..<classes {
                            let inside = x[k] >= lower && x[k] <= upper
                            let slope = inside ? 1 / total - (k == label ? 1 / clipped[label] : 0) : 0
                            derivative?[row * classes + k] = Float(slope / Double(positions))
                        }
                    }
                }
                values[sample] = positions == 0 ? 0 : Float(sampleTotal / Double(positions))
            }
        }
    }

    /// One element of an elementwise loss: its value and derivative with respect to the prediction.
    private static func elementLoss(_ loss: FusedLoss, _ target: Double, _ prediction: Double,
                                    lower: Double, upper: Double) -> (Double, Double) {
        let error = prediction - target
        switch loss {
        case .meanSquaredError:
            return (error * error, 2 * error)
        case .meanAbsoluteError:
            return (Swift.abs(error), error > 0 ? 1 : (error < 0 ? -1 : 0))
        case .huber(let delta):
            let d = Double(delta)
            if Swift.abs(error) <= d { return (0.5 * error * error, error) }
            return (d * Swift.abs(error) - 0.5 * d * d, error > 0 ? d : -d)
        case let .binaryCrossentropy(fromLogits, labelSmoothing):
            let t = target * (1 - Double(labelSmoothing)) + 0.5 * Double(labelSmoothing)
            if fromLogits {
                let x = prediction
                return (Swift.max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-Swift.abs(x))), 1 / (1 + Foundation.exp(-x)) - t)
            }
            let p = Swift.min(Swift.max(prediction, lower), upper)
            let inside = prediction >= lower && prediction <= upper
            return (-(t * Foundation.log(p) + (1 - t) * Foundation.log(1 - p)), inside ? (1 - t) / (1 - p) - t / p : 0)
        case .categoricalCrossentropy, .sparseCategoricalCrossentropy:
            return (0, 0)  // not elementwise; handled by the caller
        }
    }
}
