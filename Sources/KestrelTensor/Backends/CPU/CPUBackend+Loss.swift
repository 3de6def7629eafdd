#if canImport(Glibc)
import Glibc
#endif

extension CPUBackend {
    func loss(_ loss: FusedLoss, targets: UnsafePointer<Float>, predictions: UnsafePointer<Float>, layout: LossLayout,
              values: UnsafeMutablePointer<Float>, derivative: UnsafeMutablePointer<Float>?) {
        let lower: Float = 1e-7, upper: Float = 1 - 1e-7
        // Each case passes its closure literal straight to the inlined loop (no per-element calls).
        typealias C = CPUBackend
        switch loss {
        case .meanSquaredError:
            C.elementwiseLoss(targets, predictions, layout, values, derivative) { t, p in
                let error = p - t
                return (error * error, 2 * error)
            }
        case .meanAbsoluteError:
            C.elementwiseLoss(targets, predictions, layout, values, derivative) { t, p in
                let error = p - t
                return (Swift.abs(error), error > 0 ? 1 : (error < 0 ? -1 : 0))
            }
        case .huber(let delta):
            let halfDeltaSquared = 0.5 * delta * delta
            C.elementwiseLoss(targets, predictions, layout, values, derivative) { t, p in
                let error = p - t
                let magnitude = Swift.abs(error)
                if magnitude <= delta { return (0.5 * error * error, error) }
                return (delta * magnitude - halfDeltaSquared, error > 0 ? delta : -delta)
            }
        case let .binaryCrossentropy(fromLogits, labelSmoothing):
            let keep = 1 - labelSmoothing, half = 0.5 * labelSmoothing
            if fromLogits {
                C.elementwiseLoss(targets, predictions, layout, values, derivative) { target, x in
                    let t = target * keep + half
                    let value = Swift.max(x, 0) - x * t + log1pf(expf(-Swift.abs(x)))
                    return (value, 1 / (1 + expf(-x)) - t)
                }
            } else {
                C.elementwiseLoss(targets, predictions, layout, values, derivative) { target, prediction in
                    let t = target * keep + half
                    let p = Swift.min(Swift.max(prediction, lower), upper)
                    let value = -(t * logf(p) + (1 - t) * logf(1 - p))
                    let inside = prediction >= lower && prediction <= upper
                    return (value, inside ? (1 - t) / (1 - p) - t / p : 0)
                }
            }
        case let .categoricalCrossentropy(fromLogits, labelSmoothing):
            CPUBackend.categoricalCrossentropy(targets, predictions, layout, values, derivative, fromLogits: fromLogits,
                                               labelSmoothing: labelSmoothing)
        case .sparseCategoricalCrossentropy(let fromLogits):
            CPUBackend.sparseCategoricalCrossentropy(targets, predictions, layout, values, derivative, fromLogits: fromLogits)
        }
    }

    /// A per-sample mean over elements of `f(target, prediction)`, where `f` returns the element's value
    /// and its derivative with respect to the prediction.
    @inline(__always)
    private static func elementwiseLoss(_ t: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ layout: LossLayout,
                                        _ out: UnsafeMutablePointer<Float>, _ d: UnsafeMutablePointer<Float>?,
                                        _ f: (_ target: Float, _ prediction: Float) -> (value: Float, derivative: Float)) {
        let batch = layout.batch, width = layout.classes
        let inverseWidth = width == 0 ? 0 : 1 / Float(width)
        if let d {
            for sample in 0..<batch {
                var total: Float = 0
                let base = sample * width
                for element in base..<(base + width) {
                    let (value, slope) = f(t[element], p[element])
                    total += value
                    d[element] = slope * inverseWidth
                }
                out[sample] = total * inverseWidth
            }
        } else {
            for sample in 0..<batch {
                var total: Float = 0
                let base = sample * width
                for element in base..<(base + width) { total += f(t[element], p[element]).value }
                out[sample] = total * inverseWidth
            }
        }
    }

    private static func categoricalCrossentropy(_ t: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ layout: LossLayout,
                                                _ out: UnsafeMutablePointer<Float>, _ d: UnsafeMutablePointer<Float>?,
                                                fromLogits: Bool, labelSmoothing: Float) {
        let (batch, positions, classes) = (layout.batch, layout.positions, layout.classes)
        let keep = 1 - labelSmoothing, spread = classes == 0 ? 0 : labelSmoothing / Float(classes)
        let lower: Float = 1e-7, upper: Float = 1 - 1e-7
        let rowScale = positions == 0 ? 0 : 1 / Float(positions)
        for sample in 0..<batch {
            var sampleTotal: Float = 0
            for position in 0..<positions {
                let offset = (sample * positions + position) * classes
                let x = p + offset, target = t + offset
                var loss: Float = 0
                if fromLogits {
                    var largest = -Float.infinity
                    for k in 0..<classes { largest = Swift.max(largest, x[k]) }
                    var total: Float = 0
                    for k in 0..<classes { total += expf(x[k] - largest) }
                    let shift = largest + logf(total)
                    var targetSum: Float = 0
                    for k in 0..<classes {
                        let smoothed = target[k] * keep + spread
                        targetSum += smoothed
                        loss -= smoothed * (x[k] - shift)
                    }
                    if let d {
                        // d/dx_k = softmax_k · Σt − t_k
                        let g = d + offset
                        for k in 0..<classes {
                            g[k] = (expf(x[k] - shift) * targetSum - (target[k] * keep + spread)) * rowScale
                        }
                    }
                } else {
                    var total: Float = 0
                    for k in 0..<classes { total += x[k] }
                    let inverse = 1 / total
                    var unclippedTargets: Float = 0
                    for k in 0..<classes {
                        let q = x[k] * inverse
                        let smoothed = target[k] * keep + spread
                        loss -= smoothed * logf(Swift.min(Swift.max(q, lower), upper))
                        if q >= lower && q <= upper { unclippedTargets += smoothed }
                    }
                    if let d {
                        // d/dp_j = (Σᵢ tᵢ[qᵢ unclipped] − t_j[q_j unclipped]/q_j) / Σp
                        let g = d + offset
                        for k in 0..<classes {
                            let q = x[k] * inverse
                            let own = q >= lower && q <= upper ? (target[k] * keep + spread) / q : 0
                            g[k] = (unclippedTargets - own) * inverse * rowScale
                        }
                    }
                }
                sampleTotal += loss
            }
            out[sample] = sampleTotal * rowScale
        }
    }

    private static func sparseCategoricalCrossentropy(_ labels: UnsafePointer<Float>, _ p: UnsafePointer<Float>,
                                                      _ layout: LossLayout, _ out: UnsafeMutablePointer<Float>,
                                                      _ d: UnsafeMutablePointer<Float>?, fromLogits: Bool) {
        let (batch, positions, classes) = (layout.batch, layout.positions, layout.classes)
        let lower: Float = 1e-7, upper: Float = 1 - 1e-7
        let rowScale = positions == 0 ? 0 : 1 / Float(positions)
        for sample in 0..<batch {
            var sampleTotal: Float = 0
            for position in 0..<positions {
                let row = sample * positions + position
                let label = Int(labels[row])  // validated by the operation
                let x = p + row * classes
                if fromLogits {
                    var largest = -Float.infinity
                    for k in 0..<classes { largest = Swift.max(largest, x[k]) }
                    var total: Float = 0
                    if let d {
                        let g = d + row * classes
                        for k in 0..<classes { let e = expf(x[k] - largest); g[k] = e; total += e }
                        let scale = rowScale / total
                        for k in 0..<classes { g[k] *= scale }
                        g[label] -= rowScale
                    } else {
                        for k in 0..<classes { total += expf(x[k] - largest) }
                    }
                    sampleTotal += logf(total) + largest - x[label]
                } else {
                    var total: Float = 0
                    for k in 0..<classes { total += Swift.min(Swift.max(x[k], lower), upper) }
                    let clippedLabel = Swift.min(Swift.max(x[label], lower), upper)
                    sampleTotal += logf(total) - logf(clippedLabel)
                    if let d {
                        // d/dp_k = [p_k unclipped] · (1/Σc − δ_ky / c_y)
                        let g = d + row * classes
                        let inverseTotal = rowScale / total
                        for k in 0..<classes {
                            let inside = x[k] >= lower && x[k] <= upper
                            g[k] = inside ? inverseTotal : 0
                        }
                        if x[label] >= lower && x[label] <= upper { g[label] -= rowScale / clippedLabel }
                    }
                }
            }
            out[sample] = sampleTotal * rowScale
        }
    }
}
