import Foundation
@testable import KestrelDiagnostics

/// Constructed training logs, one per textbook curve shape.
enum SyntheticLogs {
    /// A deterministic wobble in [-1, 1] (no RNG, so tests are reproducible everywhere).
    static func wobble(_ index: Int) -> Double {
        let pattern: [Double] = [0.3, -0.8, 0.5, -0.2, 0.9, -0.6, 0.1, -0.4, 0.7, -0.9, 0.2, -0.1]
        return pattern[index % pattern.count]
    }

    /// `count` values of `value(epoch index)`.
    static func curve(_ count: Int, _ value: (Int) -> Double) -> [Double] {
        (0..<count).map(value)
    }

    static func decay(_ index: Int, scale: Double) -> Double { exp(-Double(index) / scale) }

    static func log(_ series: [String: [Double]]) -> TrainingLog {
        do { return try TrainingLog(series: series) } catch { preconditionFailure("bad synthetic log: \(error)") }
    }

    /// A log from series with gaps (nil where a metric was not logged).
    static func log(_ series: [String: [Double?]]) -> TrainingLog {
        do { return try TrainingLog(series: series) } catch { preconditionFailure("bad synthetic log: \(error)") }
    }

    /// Training loss falls all along; validation loss bottoms out at epoch index 5, then climbs.
    static func overfitting(epochs: Int = 20) -> TrainingLog {
        let loss = curve(epochs) { index -> Double in 1.2 * pow(0.82, Double(index)) }
        let validationLoss = curve(epochs) { index -> Double in
            let epoch = Double(index)
            if index <= 5 { return 1.25 - 0.1 * epoch }
            return 0.75 + 0.06 * (epoch - 5)
        }
        let accuracy = curve(epochs) { index -> Double in min(0.99, 0.6 + 0.03 * Double(index)) }
        let validationAccuracy = curve(epochs) { index -> Double in
            if index <= 5 { return 0.58 + 0.03 * Double(index) }
            return 0.73 - 0.002 * Double(index - 5)
        }
        return log(["loss": loss, "val_loss": validationLoss, "accuracy": accuracy, "val_accuracy": validationAccuracy])
    }

    /// Both curves fall and level off together, with epoch-to-epoch noise, small gap.
    static func goodFit(epochs: Int = 25, noise: Double = 0.006) -> TrainingLog {
        let loss = curve(epochs) { index -> Double in
            let base: Double = 0.30 + 0.7 * decay(index, scale: 2.5)
            return base + noise * wobble(index + 3)
        }
        let validationLoss = curve(epochs) { index -> Double in
            let base: Double = 0.33 + 0.7 * decay(index, scale: 2.5)
            return base + noise * wobble(index)
        }
        let accuracy = curve(epochs) { index -> Double in 0.90 - 0.3 * decay(index, scale: 2.5) }
        let validationAccuracy = curve(epochs) { index -> Double in
            let base: Double = 0.89 - 0.3 * decay(index, scale: 2.5)
            return base + 0.002 * wobble(index)
        }
        return log(["loss": loss, "val_loss": validationLoss, "accuracy": accuracy, "val_accuracy": validationAccuracy])
    }

    /// Both losses still falling steadily at the end.
    static func stillLearning(epochs: Int = 10) -> TrainingLog {
        let loss = curve(epochs) { index -> Double in 2.0 * pow(0.85, Double(index)) }
        let validationLoss = curve(epochs) { index -> Double in 2.1 * pow(0.87, Double(index)) }
        let accuracy = curve(epochs) { index -> Double in 0.5 + 0.04 * Double(index) }
        let validationAccuracy = curve(epochs) { index -> Double in 0.49 + 0.039 * Double(index) }
        return log(["loss": loss, "val_loss": validationLoss, "accuracy": accuracy, "val_accuracy": validationAccuracy])
    }

    /// Loss bouncing up and down by a large amount: a too-high learning rate.
    static func unstable(epochs: Int = 16) -> TrainingLog {
        let loss = curve(epochs) { index -> Double in
            let swing: Double = index % 2 == 0 ? 0.25 : -0.25
            return 0.9 - 0.005 * Double(index) + swing
        }
        let validationLoss = curve(epochs) { index -> Double in index % 2 == 0 ? 1.3 : 0.8 }
        return log(["loss": loss, "val_loss": validationLoss])
    }
}
