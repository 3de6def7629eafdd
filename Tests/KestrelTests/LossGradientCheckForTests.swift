import XCTest
@testable import Kestrel

/// Compares the fused gradient of `loss` (reduced with non-uniform sample weights, so each sample's
/// incoming gradient differs) with central finite differences.
func assertLossGradientMatchesFiniteDifferences(
    _ loss: Loss, yTrue: Tensor, yPred: Tensor, epsilon: Float = 1e-3, tolerance: Float = 1e-2,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    let batch = yPred.shape[0]
    let weights = Tensor((0..<batch).map { 0.5 + Float($0) * 0.75 })
    func value(_ prediction: Tensor) throws -> Double {
        Double(try loss.reduced(yTrue: yTrue, yPred: prediction, sampleWeight: weights).scalar ?? .nan)
    }
    let tracked = yPred.requiringGradient()
    let output = try loss.reduced(yTrue: yTrue, yPred: tracked, sampleWeight: weights)
    let analytic = try gradient(of: output, wrt: [tracked])[0].scalars
    var values = yPred.scalars
    for element in values.indices {
        let original = values[element]
        values[element] = original + epsilon
        let plus = try value(Tensor(shape: yPred.shape, scalars: values))
        values[element] = original - epsilon
        let minus = try value(Tensor(shape: yPred.shape, scalars: values))
        values[element] = original
        let numeric = Float((plus - minus) / (2 * Double(epsilon)))
        let scale = Swift.max(1, Swift.abs(numeric), Swift.abs(analytic[element]))
        XCTAssertLessThanOrEqual(Swift.abs(numeric - analytic[element]) / scale, tolerance,
                                 "\(loss.name) element \(element): fused gradient \(analytic[element]) vs finite difference \(numeric)",
                                 file: file, line: line)
    }
}

/// Deterministic values in [low, high).
func uniformTensor(_ shape: [Int], low: Float, high: Float, seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return try! Tensor.randomUniform(shape, low: low, high: high, generator: &generator)  // valid literal shapes
}
