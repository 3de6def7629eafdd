import XCTest
@testable import KestrelTensor

/// The CPU backend's cache of transformed Winograd kernels: one transform per set of weights per step,
/// keyed by address and version so that new weights at a reused address are transformed again, bounded.
final class WinogradFilterCacheTests: XCTestCase {
    private func plan(inputChannels: Int, outputChannels: Int, tile: Int = 4) throws -> WinogradConvolution.Plan {
        let geometry = try WindowGeometry(operation: "test", inputShape: [1, 6, 6, inputChannels], window: (3, 3),
                                          strides: (1, 1), padding: .same)
        return WinogradConvolution.Plan(geometry, outputChannels: outputChannels, tile: tile)
    }

    private func values(_ buffer: TensorBuffer) -> [Float] { Array(buffer.bufferPointer) }

    /// A forward and backward pass of one step transform the kernel once: the input-gradient pass takes
    /// the forward's. After the variable is updated the next step transforms again, and its output and
    /// gradients are those of the new weights (the Double reference backend is the oracle).
    func testAStepTransformsOnceAndAWeightUpdateInvalidates() throws {
        let cache = Backends.cpu.kernels.winogradFilters
        cache.removeAll()  // far from its bounds, so no entry is evicted during the test
        let input = sampleTensor([2, 6, 7, 6], seed: 1)
        let variable = Variable(sampleTensor([3, 3, 6, 5], seed: 2), name: "kernel")
        func step(on device: Device) throws -> [Tensor] {
            try EngineConfiguration.withChanges({
                $0.convolutionAlgorithm = .winograd4x4
                $0.device = device
            }) {
                let tracked = [input.to(device).requiringGradient(), variable.value.to(device).requiringGradient()]
                let output = try Tensor.conv2d(tracked[0], filter: tracked[1], padding: .same, relu: true)
                return ([output.detached] + (try gradient(of: try weightedSum(output), wrt: tracked))).map { $0.to(.cpu) }
            }
        }
        for update in 0..<3 {
            let (before, keptBefore) = (cache.counts, cache.count)
            let fast = try step(on: .cpu)
            let after = cache.counts
            XCTAssertEqual(after.misses - before.misses, 1, "update \(update): the forward transforms the new weights")
            XCTAssertEqual(after.hits - before.hits, 1, "update \(update): the input gradient reuses the forward's kernel")
            XCTAssertEqual(cache.count, keptBefore, "update \(update): the input gradient takes the kernel out")
            let reference = try step(on: .reference)
            for (part, (a, b)) in zip(fast, reference).enumerated() {
                let scale = b.scalars.map(abs).max() ?? 1
                XCTAssertLessThanOrEqual(maxDifference(a, b) / scale, 1e-4, "update \(update): part \(part)")
            }
            // An optimizer-like update: new values in new storage (the old storage returns to the pool).
            try variable.assign(variable.value * 0.5 + sampleTensor(variable.shape, seed: UInt64(40 + update)))
        }
    }

    /// The same address with a new version (what the pool's reuse of an address looks like) is a miss and
    /// gives the transform of the values there now; the old version still names the old transform.
    func testANewVersionAtTheSameAddressIsTransformedAgain() throws {
        let cache = WinogradFilterCache()
        let plan = try plan(inputChannels: 3, outputChannels: 2)
        let filter = TensorBuffer(count: 9 * 3 * 2)
        for index in 0..<filter.count { filter.pointer[index] = Float(index % 7) - 3 }
        let first = values(cache.transformed(filter.pointer, version: 1, plan: plan))
        XCTAssertEqual(values(cache.transformed(filter.pointer, version: 1, plan: plan)), first)
        XCTAssertEqual(cache.counts, WinogradFilterCache.Counts(hits: 1, misses: 1))
        for index in 0..<filter.count { filter.pointer[index] = Float(index % 5) * 0.5 }
        let second = values(cache.transformed(filter.pointer, version: 2, plan: plan))
        XCTAssertEqual(cache.counts, WinogradFilterCache.Counts(hits: 1, misses: 2))
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(second, values(WinogradConvolution.transformedFilter(filter.pointer, plan: plan)))
        // Another tile size or channel split of the same buffer is another kernel.
        _ = cache.transformed(filter.pointer, version: 2, plan: try self.plan(inputChannels: 3, outputChannels: 2, tile: 2))
        _ = cache.transformed(filter.pointer, version: 2, plan: try self.plan(inputChannels: 2, outputChannels: 3))
        XCTAssertEqual(cache.counts.misses, 4)
        withExtendedLifetime(filter) {}
    }

    func testTheBoundsAreHonouredAndRemoveAllEmpties() throws {
        let plan = try plan(inputChannels: 4, outputChannels: 4)
        let filters = (0..<3).map { _ in TensorBuffer(count: 9 * 16, repeating: 1) }
        let cache = WinogradFilterCache(maximumEntries: 2)
        for filter in filters { _ = cache.transformed(filter.pointer, version: filter.contentVersion, plan: plan) }
        XCTAssertEqual(cache.count, 2)
        _ = cache.transformed(filters[0].pointer, version: filters[0].contentVersion, plan: plan)
        XCTAssertEqual(cache.counts, WinogradFilterCache.Counts(hits: 0, misses: 4), "the oldest kernel went first")
        _ = cache.transformed(filters[2].pointer, version: filters[2].contentVersion, plan: plan)
        XCTAssertEqual(cache.counts.hits, 1)
        _ = cache.take(filters[2].pointer, version: filters[2].contentVersion, plan: plan)
        XCTAssertEqual(cache.count, 1, "taken out")
        _ = cache.take(filters[2].pointer, version: filters[2].contentVersion, plan: plan)
        XCTAssertEqual(cache.counts, WinogradFilterCache.Counts(hits: 2, misses: 5), "a take that misses keeps nothing")
        XCTAssertEqual(cache.count, 1)
        cache.removeAll()
        XCTAssertEqual(cache.count, 0)
        // One kernel is 36·16 floats (2,304 bytes): a 2,000-byte cache keeps none, and still computes it.
        let small = WinogradFilterCache(maximumBytes: 2_000)
        let made = small.transformed(filters[1].pointer, version: filters[1].contentVersion, plan: plan)
        XCTAssertEqual(small.count, 0)
        XCTAssertEqual(values(made), values(WinogradConvolution.transformedFilter(filters[1].pointer, plan: plan)))
        withExtendedLifetime(filters) {}
    }

    func testEveryBufferStartsAtANewVersionNumber() {
        let first = TensorBuffer(count: 4)
        let firstNumber = first.contentVersion
        let second = TensorBuffer(count: 4), view = TensorBuffer(viewing: second, offset: 1, count: 2)
        XCTAssertLessThan(firstNumber, second.contentVersion)
        XCTAssertLessThan(second.contentVersion, view.contentVersion)
    }
}
