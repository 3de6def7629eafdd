import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Owns a 64-byte aligned block of Float32 storage for a `Tensor`, or views part of another buffer.
///
/// Freed blocks go back to a size-keyed pool and are handed out again, so a training loop that
/// repeats the same shapes allocates nothing after its first step. A view (made by
/// `Tensor.slice(rows:)`) keeps the buffer it looks into alive and returns nothing to the pool.
public final class TensorBuffer: @unchecked Sendable {
    /// Number of Float32 elements.
    public let count: Int
    /// The first element; valid for `count` elements while this buffer is alive.
    public let pointer: UnsafeMutablePointer<Float>
    /// The buffer whose storage this one views; nil when this buffer owns its storage.
    private let base: TensorBuffer?

    /// Allocates uninitialised storage for `count` elements (reused from the pool when possible).
    public init(count: Int) {
        self.count = count
        self.pointer = BufferPool.shared.take(count: count)
        self.base = nil
    }

    /// A view of `count` elements of `base` starting at element `offset` (no copy).
    init(viewing base: TensorBuffer, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= base.count, "TensorBuffer view out of range")
        self.count = count
        self.pointer = base.pointer + offset
        self.base = base
    }

    /// Allocates storage filled with `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        pointer.update(repeating: value, count: count)
    }

    deinit {
        if base == nil { BufferPool.shared.give(pointer, count: count) }
    }

    /// The storage as a buffer pointer.
    public var bufferPointer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}

/// A process-wide pool of aligned Float32 blocks keyed by element count.
final class BufferPool: Sendable {
    static let shared = BufferPool()
    /// Blocks of at least this size are aligned to it and backed by transparent huge pages.
    static let hugePageBytes = 2 << 20

    private struct State {
        var free: [Int: [UInt]] = [:]  // addresses, kept as integers so the state is Sendable
        var pooledBytes = 0
    }

    private let state = Mutex(State())
    /// Blocks beyond this many bytes in the pool are freed instead of kept.
    private let maximumPooledBytes = 1 << 30

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        let reused: UInt? = state.withLock { state in
            guard var list = state.free[count], let address = list.popLast() else { return nil }
            state.free[count] = list
            state.pooledBytes -= count * 4
            return address
        }
        if let reused, let pointer = UnsafeMutablePointer<Float>(bitPattern: reused) { return pointer }
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let huge = bytes >= BufferPool.hugePageBytes
        guard posix_memalign(&raw, huge ? BufferPool.hugePageBytes : 64, bytes) == 0, let raw else {
            fatalError("Kestrel: out of memory allocating \(bytes) bytes")
        }
        if huge { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let address = UInt(bitPattern: pointer)
        let kept = state.withLock { state -> Bool in
            guard state.pooledBytes + count * 4 <= maximumPooledBytes else { return false }
            state.free[count, default: []].append(address)
            state.pooledBytes += count * 4
            return true
        }
        if !kept { free(pointer) }
    }
}
