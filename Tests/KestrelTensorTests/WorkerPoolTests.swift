import Synchronization
import XCTest
@testable import KestrelTensor

/// Parallel sections on Kestrel's worker pool visit every index once, survive nesting, and fall back
/// correctly when several threads submit work at the same time.
final class WorkerPoolTests: XCTestCase {
    func testForEachVisitsEveryIndexExactlyOnce() {
        for count in [2, 3, 17, 1000] {
            let visits = Mutex([Int](repeating: 0, count: count))
            Parallel.forEach(count: count) { index in visits.withLock { $0[index] += 1 } }
            XCTAssertEqual(visits.withLock { $0 }, [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    func testForEachRangeCoversTheWholeRangeWithoutOverlap() {
        let count = 1_000_003
        let buffer = TensorBuffer(count: count, repeating: 0)
        let address = UInt(bitPattern: buffer.pointer)
        Parallel.forEachRange(count: count, minimumPerThread: 1000) { range in
            let pointer = UnsafeMutablePointer<Float>(bitPattern: address)!
            for index in range { pointer[index] += 1 }
        }
        XCTAssertTrue(buffer.bufferPointer.allSatisfy { $0 == 1 })
    }

    func testNestedSectionsRunInlineAndComplete() {
        let total = Atomic<Int>(0)
        Parallel.forEach(count: 4) { _ in
            Parallel.forEach(count: 5) { inner in total.add(inner, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * (0 + 1 + 2 + 3 + 4))
    }

    func testConcurrentSubmittersAllGetTheirWorkDone() {
        let sums = Mutex([Int](repeating: 0, count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { submitter in
            for _ in 0..<50 {
                let partial = Atomic<Int>(0)
                Parallel.forEach(count: 10) { index in partial.add(index, ordering: .relaxed) }
                sums.withLock { $0[submitter] += partial.load(ordering: .relaxed) }
            }
        }
        XCTAssertEqual(sums.withLock { $0 }, [Int](repeating: 50 * 45, count: 8))
    }

    func testPoolWakesUpAfterItsHelpersParked() throws {
        let spin = Double(WorkerPool.idleSpinDuration) / 1e9
        for _ in 0..<3 {
            Thread.sleep(forTimeInterval: spin * 4)  // long enough for the helpers to go to sleep
            let total = Atomic<Int>(0)
            Parallel.forEach(count: 64) { index in total.add(index, ordering: .relaxed) }
            XCTAssertEqual(total.load(ordering: .relaxed), 63 * 64 / 2)
        }
    }

    func testMoreThreadsThanCoresAndChangingCountsStillVisitEveryIndexOnce() {
        for threads in [4, 2, 3, 1, 4] {
            EngineConfiguration.withChanges({ $0.threadCount = threads }) {
                for count in [2, 5, 333] {
                    let visits = Mutex([Int](repeating: 0, count: count))
                    Parallel.forEach(count: count) { index in
                        if index % 7 == 0 { Thread.sleep(forTimeInterval: 0.0001) }  // uneven items
                        visits.withLock { $0[index] += 1 }
                    }
                    XCTAssertEqual(visits.withLock { $0 }, [Int](repeating: 1, count: count), "threads \(threads) count \(count)")
                }
            }
        }
    }

    func testOneThreadRunsEverythingOnTheCaller() {
        let caller = UInt(pthread_self())
        EngineConfiguration.withChanges({ $0.threadCount = 1 }) {
            let foreign = Atomic<Int>(0)
            Parallel.forEach(count: 100) { _ in
                if UInt(pthread_self()) != caller { foreign.add(1, ordering: .relaxed) }
            }
            Parallel.forEachRange(count: 1 << 20, minimumPerThread: 1) { _ in
                if UInt(pthread_self()) != caller { foreign.add(1, ordering: .relaxed) }
            }
            XCTAssertEqual(foreign.load(ordering: .relaxed), 0)
        }
    }

    func testAnItemThatWaitsForAllOthersStillCompletes() {
        // The first item claimed blocks until every other item is done by the other thread: caller and
        // helper both take items until none is left, and neither waits for an item nobody claimed.
        EngineConfiguration.withChanges({ $0.threadCount = 2 }) {
            for _ in 0..<20 {
                let done = Atomic<Int>(0)
                let count = 50
                Parallel.forEach(count: count) { index in
                    if index == count - 1 {
                        while done.load(ordering: .acquiring) < count - 1 { sched_yield() }
                    }
                    done.add(1, ordering: .releasing)
                }
                XCTAssertEqual(done.load(ordering: .relaxed), count)
            }
        }
    }
}
