import XCTest
@testable import KestrelTensor

final class TensorCreationTests: XCTestCase {
    func testInitialisersAndFactories() throws {
        XCTAssertEqual(try Tensor([[1, 2], [3, 4]]).shape, [2, 2])
        XCTAssertEqual(try Tensor([[[1], [2]], [[3], [4]]]).shape, [2, 2, 1])
        XCTAssertEqual(Tensor(scalar: 3).scalar, 3)
        XCTAssertEqual(try Tensor.full([2], value: 7).scalars, [7, 7])
        XCTAssertEqual(try Tensor.arange(0, 1, step: 0.25).scalars, [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(try Tensor.arange(3, 0, step: -1).scalars, [3, 2, 1])
    }

    func testSeededRandomIsReproducible() throws {
        var first = RandomGenerator(seed: 42), second = RandomGenerator(seed: 42)
        XCTAssertEqual(try Tensor.randomNormal([5], generator: &first).scalars, try Tensor.randomNormal([5], generator: &second).scalars)
        let truncated = try Tensor.truncatedNormal([1000], standardDeviation: 0.5, generator: &first)
        XCTAssertLessThanOrEqual(try truncated.abs().max().scalar ?? 2, 1)
        let mask = try Tensor.dropoutMask([1000], rate: 0.25, generator: &first)
        XCTAssertTrue(mask.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3) < 1e-6 })
    }

    func testInvalidArgumentsThrow() {
        assertThrowsShape(try Tensor(shape: [2, 2], scalars: [1, 2, 3]), ["[2, 2]", "3"])
        assertThrowsShape(try Tensor(shape: [-2], scalars: []), ["[-2]"])
        assertThrowsShape(try Tensor(shape: [Int.max, 4], scalars: []), ["too many"])
        assertThrowsShape(try Tensor([[1, 2], [3]]), ["[2, 1]"])
        XCTAssertThrowsError(try Tensor.arange(0, 5, step: 0))
        XCTAssertThrowsError(try Tensor.arange(0, 5, step: -1))
        XCTAssertThrowsError(try Tensor.arange(0, .infinity))
        XCTAssertThrowsError(try Tensor.arange(0, .nan))
        var generator = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try Tensor.dropoutMask([3], rate: 1, generator: &generator))
    }

    func testDescriptionLaysOutValues() throws {
        XCTAssertEqual(Tensor(scalar: 2.5).description, "Tensor(shape: [], 2.5)")
        // As NumPy prints the same float32 arrays (more cases in NumPyPrintFixtureTests).
        XCTAssertEqual(try Tensor([[1, -2.5], [30, 4]]).description, "Tensor(shape: [2, 2])\n[[ 1.  -2.5]\n [30.   4. ]]")
        let long = try Tensor.arange(0, 10)
        XCTAssertEqual(long.description, "Tensor(shape: [10])\n[0. 1. 2. 3. 4. 5. 6. 7. 8. 9.]")
        XCTAssertEqual(try Tensor.zeros([0]).description, "Tensor(shape: [0])\n[]")
        XCTAssertEqual(try Tensor.zeros([2, 2, 2]).description, "Tensor(shape: [2, 2, 2])\n[[[0. 0.]\n  [0. 0.]]\n\n [[0. 0.]\n  [0. 0.]]]")
    }
}

/// Factories reject impossible shapes with an error instead of trapping.
final class TensorFactoryErrorTests: XCTestCase {
    func testNegativeShapesThrow() {
        var generator = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try Tensor.zeros([2, -1])) { XCTAssertTrue("\($0)".contains("[2, -1]"), "\($0)") }
        XCTAssertThrowsError(try Tensor.ones([-3]))
        XCTAssertThrowsError(try Tensor.full([-1], value: 2))
        XCTAssertThrowsError(try Tensor.randomNormal([-2, 2], generator: &generator))
        XCTAssertThrowsError(try Tensor.randomUniform([1, -2], generator: &generator))
        XCTAssertThrowsError(try Tensor.truncatedNormal([-1], generator: &generator))
        XCTAssertThrowsError(try Tensor.dropoutMask([-1], rate: 0.5, generator: &generator))
        XCTAssertThrowsError(try Tensor.full([Int.max, 4], value: 0), "overflowing element count")
    }

    func testLikeFactoriesCopyTheShape() throws {
        let source = try Tensor.zeros([2, 3])
        XCTAssertEqual(Tensor.ones(like: source).scalars, [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(Tensor.full(like: source, value: 4).shape, [2, 3])
    }
}
