import Foundation
import KestrelDistributed

/// A group of "ranks" that are threads of this process, for testing collective logic without MPI:
/// each collective waits for every rank's contribution, then hands every rank the combined values.
final class InProcessGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var contributions: [[Double]]
    private var arrived = 0
    private var generation = 0
    private var combined: [Double] = []

    init(size: Int) {
        self.size = size
        contributions = Array(repeating: [], count: size)
    }

    /// One communicator per rank.
    func communicators() -> [InProcessCommunicator] { (0..<size).map { InProcessCommunicator(group: self, rank: $0) } }

    func exchange(rank: Int, _ values: [Double], combine: ([[Double]]) -> [Double]) -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        contributions[rank] = values
        arrived += 1
        if arrived == size {
            combined = combine(contributions)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return combined
    }

    /// Runs `body` once per rank, each on its own thread, and returns the results in rank order.
    func run<Result: Sendable>(_ body: @escaping @Sendable (InProcessCommunicator) throws -> Result) throws -> [Result] {
        let ranks = communicators()
        let results = ResultSlots<Result>(count: size)
        let group = DispatchGroup()
        for communicator in ranks {
            group.enter()
            Thread.detachNewThread {
                results.set(communicator.rank, Swift.Result { try body(communicator) })
                group.leave()
            }
        }
        group.wait()
        return try results.values()
    }
}

/// One rank of an `InProcessGroup`.
final class InProcessCommunicator: Communicator, @unchecked Sendable {
    let group: InProcessGroup
    let rank: Int
    var size: Int { group.size }

    init(group: InProcessGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    func broadcast(_ values: inout [Float], root: Int) throws {
        values = group.exchange(rank: rank, values.map(Double.init)) { $0[root] }.map(Float.init)
    }

    func allreduceSum(_ values: inout [Float]) throws {
        values = group.exchange(rank: rank, values.map(Double.init)) { Self.combine($0, +) }.map(Float.init)
    }

    func allreduceSum(_ values: inout [Double]) throws {
        values = group.exchange(rank: rank, values) { Self.combine($0, +) }
    }

    func allreduceMax(_ values: inout [Double]) throws {
        values = group.exchange(rank: rank, values) { Self.combine($0, max) }
    }

    func barrier() throws { _ = group.exchange(rank: rank, []) { _ in [] } }

    func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? {
        // Lengths first, then the bytes side by side.
        let lengths = group.exchange(rank: rank, [Double(bytes.count)]) { $0.flatMap { $0 } }
        let all = group.exchange(rank: rank, bytes.map(Double.init)) { $0.flatMap { $0 } }
        guard rank == root else { return nil }
        var offset = 0
        return lengths.map { length in
            defer { offset += Int(length) }
            return all[offset..<(offset + Int(length))].map { UInt8($0) }
        }
    }

    private static func combine(_ parts: [[Double]], _ operation: (Double, Double) -> Double) -> [Double] {
        parts.dropFirst().reduce(parts[0]) { zip($0, $1).map(operation) }
    }
}

/// One result slot per rank, filled from the ranks' threads.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, Error>) { lock.withLock { slots[index] = result } }

    func values() throws -> [Value] {
        try lock.withLock { slots }.map { slot in
            guard let slot else { throw DistributedError(rank: 0, "a rank's thread left no result") }
            return try slot.get()
        }
    }
}
