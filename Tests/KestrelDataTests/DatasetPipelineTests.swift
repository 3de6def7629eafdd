import XCTest
@testable import KestrelData

final class DatasetPipelineTests: XCTestCase {
    /// 10 examples: x = [i, 10 i], y = i.
    private func numbers(_ count: Int = 10) throws -> Dataset {
        try Dataset(x: (0..<count).flatMap { [Float($0), Float($0 * 10)] }, xShape: [count, 2],
                    y: (0..<count).map(Float.init), yShape: [count])
    }

    private func labels(_ dataset: Dataset) -> [Float] {
        dataset.collect().flatMap(\.y)
    }

    func testSlicesAndBatches() throws {
        let batches = try numbers().batch(4).collect()
        XCTAssertEqual(batches.map(\.xShape), [[4, 2], [4, 2], [2, 2]])
        XCTAssertEqual(batches[1].x, [4, 40, 5, 50, 6, 60, 7, 70])
        XCTAssertEqual(batches[2].y, [8, 9])
        XCTAssertEqual(batches[2].yShape, [2])
        XCTAssertEqual(try numbers().batch(4, dropRemainder: true).collect().count, 2)
        XCTAssertEqual(try numbers().batch(4).cardinality, 3)
        XCTAssertThrowsError(try numbers().batch(0))
        XCTAssertThrowsError(try Dataset(x: [1, 2, 3], xShape: [3], y: [1, 2], yShape: [2]))
    }

    func testTakeSkipAndCardinality() throws {
        XCTAssertEqual(labels(try numbers().take(3)), [0, 1, 2])
        XCTAssertEqual(labels(try numbers().skip(7)), [7, 8, 9])
        XCTAssertEqual(labels(try numbers().skip(20)), [])
        XCTAssertEqual(try numbers().skip(3).take(2).cardinality, 2)
    }

    func testShuffleIsAPermutationSeededAndReshuffledPerEpoch() throws {
        let shuffled = try numbers(100).shuffle(bufferSize: 100, seed: 42)
        let first = labels(shuffled), second = labels(shuffled)
        XCTAssertEqual(first.sorted(), (0..<100).map(Float.init))
        XCTAssertNotEqual(first, (0..<100).map(Float.init))
        XCTAssertNotEqual(first, second) // a new order each epoch
        let again = try numbers(100).shuffle(bufferSize: 100, seed: 42)
        XCTAssertEqual(labels(again), first) // same seed, same epoch-1 order
        XCTAssertEqual(labels(again), second)
        let fixed = try numbers(100).shuffle(bufferSize: 10, seed: 1, reshuffleEachIteration: false)
        XCTAssertEqual(labels(fixed), labels(fixed))
    }

    func testRepeatMakesNewPassesAndEndsOnlyWithACount() throws {
        XCTAssertEqual(labels(try numbers(3).repeat(2)), [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(try numbers(3).repeat(2).cardinality, 6)
        XCTAssertEqual(labels(try numbers(3).repeat(0)), [])
        XCTAssertEqual(labels(try numbers(0).repeat()), [], "an empty dataset repeated without end stays empty")
        XCTAssertThrowsError(try numbers(3).repeat(-1)) { XCTAssertTrue("\($0)".contains("count"), "\($0)") }
        let endless = try numbers(3).repeat()
        XCTAssertTrue(endless.isEndless)
        XCTAssertNil(endless.cardinality)
        XCTAssertEqual(labels(endless.take(8)), [0, 1, 2, 0, 1, 2, 0, 1])
        XCTAssertFalse(endless.take(8).isEndless)
        XCTAssertEqual(endless.take(8).cardinality, 8)
        XCTAssertTrue(try endless.batch(2).isEndless)
        // Batches run across the passes' boundaries, as tf.data's shuffle().repeat().batch() does.
        XCTAssertEqual(try endless.batch(2).take(2).collect().map(\.y), [[0, 1], [2, 0]])
        // A shuffle before repeat reshuffles on every pass (tf.data's reshuffle_each_iteration).
        let passes = labels(try numbers(20).shuffle(20, seed: 3).repeat(2))
        XCTAssertEqual(Array(passes[..<20]).sorted(), (0..<20).map(Float.init))
        XCTAssertEqual(Array(passes[20...]).sorted(), (0..<20).map(Float.init))
        XCTAssertNotEqual(Array(passes[..<20]), Array(passes[20...]))
    }

    func testParallelMapKeepsOrder() throws {
        let mapped = try numbers(50).map(parallelCalls: 4) { element in
            var copy = element
            copy.x = copy.x.map { $0 + 1 }
            return copy
        }
        let elements = mapped.collect()
        XCTAssertEqual(elements.map(\.y), (0..<50).map { [Float($0)] })
        XCTAssertEqual(elements[7].x, [8, 71])
    }

    func testPrefetchDeliversEverythingAndCanBeAbandoned() throws {
        let prefetched = try numbers(1000).batch(7).prefetch(3)
        XCTAssertEqual(prefetched.collect().flatMap(\.y), (0..<1000).map(Float.init))
        var iterator = prefetched.makeIterator()
        XCTAssertEqual(iterator.next()?.y, [0, 1, 2, 3, 4, 5, 6]) // then dropped mid-epoch
    }

    func testCacheReplaysWithoutRecomputing() throws {
        let calls = CallCounter()
        let cached = try numbers(5).map { element in
            calls.increment()
            return element
        }.cache()
        XCTAssertEqual(labels(cached), [0, 1, 2, 3, 4])
        XCTAssertEqual(labels(cached), [0, 1, 2, 3, 4])
        XCTAssertEqual(calls.value, 5)
    }

    func testFromLabeledImages() throws {
        let images = LabeledImages(pixels: [0, 255, 10, 20], shape: [2, 1, 2], labels: [3, 4], classNames: ["a", "b", "c", "d", "e"])
        let elements = try Dataset(images, rescale: 1 / 255).collect()
        XCTAssertEqual(elements[0].x, [0, 1])
        XCTAssertEqual(elements[0].xShape, [1, 2])
        XCTAssertEqual(elements[1].y, [4])
    }
}

final class DatasetAugmentationTests: XCTestCase {
    func testAugmentedIsSeededPerEpochAndKeepsLabels() throws {
        let images = try Dataset(x: (0..<(8 * 16)).map(Float.init), xShape: [8, 4, 4, 1], y: (0..<8).map(Float.init), yShape: [8])
        let augmented = try images.batch(4).augmented(with: RandomFlipTransform(), seed: 5)
        let first = augmented.collect(), second = augmented.collect()
        XCTAssertEqual(first.map(\.y), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(try images.batch(4).augmented(with: RandomFlipTransform(), seed: 5).collect(), first)
        XCTAssertEqual(first[0].x.sorted(), (0..<64).map(Float.init)) // flips only permute pixels
    }
}

/// A thread-safe counter for tests.
final class CallCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
