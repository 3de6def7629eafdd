import XCTest
@testable import KestrelTensor

/// The C Adam kernel (AVX2 path on processors that have it, portable path for the tail) gives
/// bit-for-bit the values of the formula evaluated in plain Swift, with and without AMSGrad.
final class OptimizerKernelsTests: XCTestCase {
    func testAdamMatchesTheScalarFormulaExactly() {
        let count = 1003  // 125 vectors of 8 and a tail of 3
        var generator = RandomGenerator(seed: 11)
        func values(_ scale: Float, positive: Bool = false) -> [Float] {
            (0..<count).map { _ in
                let value = (generator.nextUniform() * 2 - 1) * scale
                return positive ? abs(value) : value
            }
        }
        let (alpha, oneMinusBeta1, oneMinusBeta2, epsilon): (Float, Float, Float, Float) = (0.0013, 0.1, 0.001, 1e-7)
        for amsgrad in [false, true] {
            let gradients = values(0.5), startWeights = values(1), startMeans = values(0.05)
            let startVariances = values(0.01, positive: true), startMaximum = values(0.012, positive: true)
            var (weights, means, variances, maximum) = (startWeights, startMeans, startVariances, startMaximum)
            weights.withUnsafeMutableBufferPointer { w in
                means.withUnsafeMutableBufferPointer { m in
                    variances.withUnsafeMutableBufferPointer { v in
                        maximum.withUnsafeMutableBufferPointer { vHat in
                            gradients.withUnsafeBufferPointer { g in
                                OptimizerKernels.adam(weights: w.baseAddress!, gradients: g.baseAddress!, means: m.baseAddress!,
                                                      variances: v.baseAddress!, maximumVariances: amsgrad ? vHat.baseAddress! : nil,
                                                      range: 0..<count, alpha: alpha, oneMinusBeta1: oneMinusBeta1,
                                                      oneMinusBeta2: oneMinusBeta2, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
            for i in 0..<count {
                let g = gradients[i]
                let m = startMeans[i] + (g - startMeans[i]) * oneMinusBeta1
                let v = startVariances[i] + (g * g - startVariances[i]) * oneMinusBeta2
                let used = amsgrad ? max(startMaximum[i], v) : v
                let w = startWeights[i] - (m * alpha) / (used.squareRoot() + epsilon)
                XCTAssertEqual(means[i].bitPattern, m.bitPattern, "mean \(i)")
                XCTAssertEqual(variances[i].bitPattern, v.bitPattern, "variance \(i)")
                XCTAssertEqual(weights[i].bitPattern, w.bitPattern, "weight \(i), amsgrad \(amsgrad)")
                XCTAssertEqual(maximum[i].bitPattern, amsgrad ? used.bitPattern : startMaximum[i].bitPattern, "v̂ \(i)")
            }
        }
    }

    func testAdamTouchesOnlyItsRange() {
        var weights = [Float](repeating: 1, count: 40)
        let gradients = [Float](repeating: 0.5, count: 40)
        var means = [Float](repeating: 0, count: 40), variances = [Float](repeating: 0, count: 40)
        weights.withUnsafeMutableBufferPointer { w in
            means.withUnsafeMutableBufferPointer { m in
                variances.withUnsafeMutableBufferPointer { v in
                    OptimizerKernels.adam(weights: w.baseAddress!, gradients: gradients, means: m.baseAddress!,
                                          variances: v.baseAddress!, maximumVariances: nil, range: 5..<30, alpha: 0.1,
                                          oneMinusBeta1: 0.1, oneMinusBeta2: 0.001, epsilon: 1e-7)
                }
            }
        }
        for i in 0..<40 {
            XCTAssertEqual(weights[i] < 1, (5..<30).contains(i), "weight \(i)")
            XCTAssertEqual(means[i] != 0, (5..<30).contains(i), "mean \(i)")
        }
    }
}
