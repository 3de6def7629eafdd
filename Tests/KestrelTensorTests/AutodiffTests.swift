import XCTest
@testable import KestrelTensor

final class AutodiffTests: XCTestCase {
    func testGradientAccumulatesOverReuse() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let y = try (x * x + x).sum()
        XCTAssertEqual(try gradient(of: y, wrt: [x])[0].scalars, [3, 5, 7])
    }

    func testUnusedInputGetsZeroGradient() throws {
        let x = Tensor([1, 2]).requiringGradient(), unused = Tensor([5]).requiringGradient()
        let gradients = try gradient(of: x.sum(), wrt: [x, unused])
        XCTAssertEqual(gradients[1].scalars, [0])
    }

    func testCustomGradientRule() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let doubled = Tensor.differentiable(x.detached * 2, inputs: [x]) { gradient, _ in [gradient * 2] }
        XCTAssertEqual(try gradient(of: doubled.sum(), wrt: [x])[0].scalars, [2, 2])
    }

    func testBrokenCustomRulesThrowInsteadOfCrashing() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let tooFew = Tensor.differentiable(x.detached, inputs: [x]) { _, _ in [] }
        XCTAssertThrowsError(try gradient(of: tooFew.sum(), wrt: [x]))
        let wrongShape = Tensor.differentiable(x.detached, inputs: [x]) { _, _ in [try Tensor.zeros([3])] }
        assertThrowsShape(try gradient(of: wrongShape.sum(), wrt: [x]), ["[3]", "[2]"])
    }

    func testMisuseThrows() throws {
        let x = Tensor([1, 2])
        assertThrowsShape(try gradient(of: x.requiringGradient(), wrt: []), ["[2]"])
        XCTAssertThrowsError(try gradient(of: x.sum(), wrt: [x]))
        let variable = Variable(try Tensor.zeros([2]), name: "v")
        assertThrowsShape(try variable.assign(try Tensor.zeros([3])), ["[3]", "[2]"])
        assertThrowsShape(try valueWithGradients(for: [variable]) { variable.tensor }, ["[2]"])
    }

    func testVectorJacobianProductMatchesWeightedSum() throws {
        let x = sampleTensor([2, 3]).requiringGradient()
        let weights = sampleTensor([2, 3], seed: 99)
        let direct = try gradient(of: x.tanh(), wrt: [x], outputGradient: weights)[0]
        let viaSum = try gradient(of: weightedSum(x.tanh()), wrt: [x])[0]
        XCTAssertLessThan(maxDifference(direct, viaSum), 1e-6)
        assertThrowsShape(try gradient(of: x.tanh(), wrt: [x], outputGradient: try Tensor.ones([3, 2])), ["[3, 2]", "[2, 3]"])
    }

    func testVariableOwnsItsStorage() throws {
        let data = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let variable = Variable(try data.slice(rows: 1..<2), name: "row")  // a slice shares data's storage
        variable.value.backend.fill(variable.value.storage, value: 100)  // an in-place write, as no operation does
        XCTAssertEqual(variable.value.scalars, [100, 100])
        XCTAssertEqual(data.scalars, [1, 2, 3, 4, 5, 6], "updating the variable must not write into the tensor it came from")
    }

    func testNonTrainableVariableGetsNoGradient() throws {
        let frozen = Variable(Tensor([1, 2]), name: "frozen", trainable: false)
        let (_, gradients) = try valueWithGradients(for: [frozen]) { try frozen.tensor.sum() }
        XCTAssertEqual(gradients[0].scalars, [0, 0])
    }
}
