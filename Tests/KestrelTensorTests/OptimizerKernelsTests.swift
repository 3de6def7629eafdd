import XCTest
@testable import KestrelTensor

/// The engine's Adam update (the C kernel: AVX2 path on processors that have it, portable path for
/// the tail) gives bit-for-bit the values of the formula evaluated in plain Swift, with and without
/// AMSGrad, and leaves its inputs unchanged.
final class OptimizerKernelsTests: XCTestCase {
    func testAdamMatchesTheScalarFormulaExactly() throws {
        let count = 1003  // 125 vectors of 8 and a tail of 3
        var generator = RandomGenerator(seed: 11)
        func values(_ scale: Float, positive: Bool = false) -> [Float] {
            (0..<count).map { _ in
                let value = (generator.nextUniform() * 2 - 1) * scale
                return positive ? abs(value) : value
            }
        }
        let (alpha, beta1, beta2, epsilon): (Float, Float, Float, Float) = (0.0013, 0.9, 0.999, 1e-7)
        let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
        for amsgrad in [false, true] {
            let gradients = values(0.5), startWeights = values(1), startMeans = values(0.05)
            let startVariances = values(0.01, positive: true), startMaximum = values(0.012, positive: true)
            let slots = [Tensor(startMeans), Tensor(startVariances)] + (amsgrad ? [Tensor(startMaximum)] : [])
            let parameter = Tensor(startWeights)
            let (weights, newSlots) = try parameter.updated(
                by: .adam(alpha: alpha, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad),
                gradient: Tensor(gradients), slots: slots)
            XCTAssertEqual(parameter.scalars, startWeights, "the input parameter is not changed")
            XCTAssertEqual(slots[0].scalars, startMeans, "the input slots are not changed")
            let (means, variances) = (newSlots[0].scalars, newSlots[1].scalars)
            for i in 0..<count {
                let g = gradients[i]
                let m = startMeans[i] + (g - startMeans[i]) * oneMinusBeta1
                let v = startVariances[i] + (g * g - startVariances[i]) * oneMinusBeta2
                let used = amsgrad ? max(startMaximum[i], v) : v
                let w = startWeights[i] - (m * alpha) / (used.squareRoot() + epsilon)
                XCTAssertEqual(means[i].bitPattern, m.bitPattern, "mean \(i)")
                XCTAssertEqual(variances[i].bitPattern, v.bitPattern, "variance \(i)")
                XCTAssertEqual(weights.scalars[i].bitPattern, w.bitPattern, "weight \(i), amsgrad \(amsgrad)")
                if amsgrad { XCTAssertEqual(newSlots[2].scalars[i].bitPattern, used.bitPattern, "v̂ \(i)") }
            }
        }
    }

    func testUpdateRejectsMismatchedOperands() {
        let parameter = Tensor([1, 2, 3])
        let rule = UpdateRule.adam(alpha: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false)
        XCTAssertThrowsError(try parameter.updated(by: rule, gradient: Tensor([1, 2]), slots: [parameter, parameter]))
        XCTAssertThrowsError(try parameter.updated(by: rule, gradient: parameter, slots: [parameter]))
        XCTAssertThrowsError(try parameter.updated(by: rule, gradient: parameter, slots: [parameter, Tensor([1])]))
    }
}
