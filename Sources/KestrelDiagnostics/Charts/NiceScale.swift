import Foundation

/// Axis ticks at 1-2-5 steps (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …) covering a data range (internal).
struct NiceScale: Equatable {
    let lower: Double
    let upper: Double
    let step: Double
    let ticks: [Double]

    /// Ticks covering `minimum…maximum` with about `targetTickCount` ticks; `integerSteps`
    /// keeps steps ≥ 1 (epochs). A zero-width range is widened around its value.
    init(minimum: Double, maximum: Double, targetTickCount: Int = 6, integerSteps: Bool = false) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if !(high - low).isFinite {  // ±1e308 ends: keep the range representable
            low /= 4
            high /= 4
        }
        if high - low < 1e-12 {
            let pad = max(abs(low) * 0.1, integerSteps ? 1 : 0.5)
            low -= pad
            high += pad
        }
        let rough = (high - low) / Double(max(1, targetTickCount - 1))
        let magnitude = pow(10, floor(log10(rough)))
        let residual = rough / magnitude
        var step = (residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10) * magnitude
        if integerSteps { step = max(1, step.rounded()) }
        let first = (low / step + 1e-9).rounded(.down)
        let last = (high / step - 1e-9).rounded(.up)
        lower = first * step
        upper = last * step
        self.step = step
        ticks = stride(from: first, through: last, by: 1).map { ($0 * step * 1e9).rounded() / 1e9 }
    }

    /// Decimals needed to write every tick distinctly.
    var decimals: Int {
        let exponent = -floor(log10(step) + 1e-9)
        return exponent.isFinite ? min(max(0, Int(exponent)), 12) : 0
    }

    /// A tick label with consistent decimals ("0.0", "0.5", "1.0").
    func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", value == 0 ? 0 : value)
    }
}

extension NiceScale {
    /// The same step and ticks as `scale`, but with exact ends (ticks outside are dropped).
    init(exactLower: Double, upper exactUpper: Double, from scale: NiceScale) {
        lower = exactLower
        upper = exactUpper
        step = scale.step
        ticks = scale.ticks.filter { $0 >= exactLower - 1e-9 && $0 <= exactUpper + 1e-9 }
    }
}
