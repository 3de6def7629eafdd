import XCTest
@testable import Kestrel

/// Weight decay exclusion by variable name, as Keras's `exclude_from_weight_decay(var_names=…)`.
final class OptimizerWeightDecayTests: XCTestCase {
    func testExcludedNamesAreNotDecayed() throws {
        // Keras 3: AdamW(learning_rate=0.1, weight_decay=0.5), exclude_from_weight_decay(var_names=["bias"]),
        // one step with gradient [0.5, -0.5] on kernel = bias = [1, 2] gives
        // kernel [0.8500012755, 1.9999986887], bias [0.9000012875, 2.0999987125].
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.5)
        optimizer.excludeFromWeightDecay(names: ["bias"])
        let kernel = Variable(Tensor([1, 2]), name: "dense/kernel")
        let bias = Variable(Tensor([1, 2]), name: "dense/bias")
        try optimizer.apply(gradients: [Tensor([0.5, -0.5]), Tensor([0.5, -0.5])], to: [kernel, bias])
        assertClose(kernel.value.scalars, [0.8500012755, 1.9999986887], relative: 1e-6)
        assertClose(bias.value.scalars, [0.9000012875, 2.0999987125], relative: 1e-6)
    }
}
