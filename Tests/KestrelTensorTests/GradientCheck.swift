import XCTest
@testable import KestrelTensor

/// Compares autodiff gradients of `function` with central finite differences in Float64 accumulation.
func assertGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
    file: StaticString = #filePath, line: UInt = #line,
    _ function: ([Tensor]) throws -> Tensor
) throws {
    let tracked = inputs.map { $0.requiringGradient() }
    let output = try function(tracked)
    let analytic = try gradient(of: output, wrt: tracked)
    for (inputIndex, input) in inputs.enumerated() {
        var values = input.scalars
        for element in values.indices {
            let original = values[element]
            values[element] = original + epsilon
            var plusInputs = inputs
            plusInputs[inputIndex] = try Tensor(shape: input.shape, scalars: values)
            let plus = Double(try function(plusInputs).scalar ?? .nan)
            values[element] = original - epsilon
            var minusInputs = inputs
            minusInputs[inputIndex] = try Tensor(shape: input.shape, scalars: values)
            let minus = Double(try function(minusInputs).scalar ?? .nan)
            values[element] = original
            let numeric = Float((plus - minus) / (2 * Double(epsilon)))
            let computed = analytic[inputIndex].scalars[element]
            let scale = max(1, abs(numeric), abs(computed))
            XCTAssertLessThanOrEqual(abs(numeric - computed) / scale, tolerance,
                                     "input \(inputIndex) element \(element): autodiff \(computed) vs finite difference \(numeric)",
                                     file: file, line: line)
        }
    }
}

/// A deterministic tensor with values in [-1, 1).
func sampleTensor(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return try! Tensor.randomUniform(shape, low: -1, high: 1, generator: &generator)  // valid literal shapes
}
