import Foundation
import XCTest
import KestrelTensor

/// The one random generator's state can be saved and restored exactly.
final class RandomGeneratorStateTests: XCTestCase {
    func testRestoredGeneratorContinuesTheSequence() throws {
        var generator = RandomGenerator(seed: 99)
        for _ in 0..<17 { _ = generator.next() }
        let saved = try JSONDecoder().decode(RandomGeneratorState.self, from: try JSONEncoder().encode(generator.state))
        var restored = try RandomGenerator(state: saved)
        XCTAssertEqual((0..<100).map { _ in generator.next() }, (0..<100).map { _ in restored.next() })
    }

    func testGlobalSequenceRestores() throws {
        GlobalRandom.seed(3)
        let saved = GlobalRandom.state
        let first = (0..<5).map { _ in GlobalRandom.nextSeed() }
        try GlobalRandom.restore(saved)
        XCTAssertEqual((0..<5).map { _ in GlobalRandom.nextSeed() }, first)
    }

    func testDamagedStatesAreErrors() {
        XCTAssertThrowsError(try RandomGenerator(state: RandomGeneratorState(words: [1, 2])))
        XCTAssertThrowsError(try RandomGenerator(state: RandomGeneratorState(words: [0, 0, 0, 0])))
        XCTAssertThrowsError(try JSONDecoder().decode(RandomGeneratorState.self, from: Data("[\"zz\"]".utf8)))
    }
}
