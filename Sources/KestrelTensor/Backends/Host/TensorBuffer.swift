import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Owns a 64-byte aligned block of Float32 storage for a `Tensor`, or views part of another buffer.
///
/// Freed blocks go back to a size-keyed pool and are handed out again, so a training loop that
/// repeats the same shapes allocates nothing after its first step. A view (made by
/// `Tensor.slice(rows:)`) keeps the buffer it looks into alive and returns nothing to the pool.
///
/// The storage of the host devices (`Device.cpu`, `Device.reference`): only `HostBackend` reads its
/// pointer; code above the backends makes and reads tensors through operations.
final class TensorBuffer: DeviceStorage, @unchecked Sendable {
    /// Number of Float32 elements.
    let count: Int
    /// The host device whose backend made this buffer.
    let device: Device
    /// The first element; valid for `count` elements while this buffer is alive.
    let pointer: UnsafeMutablePointer<Float>
    /// The buffer whose storage this one views; nil when this buffer owns its storage.
    private let base: TensorBuffer?
    /// The version of the values: at first this buffer's number among all buffers of the process (views
    /// included, never reused), then a new number from the same sequence after each in-place rewrite
    /// (`markRewritten()`). With the pointer it names one set of values even when the pool hands the same
    /// address out again or an optimizer updates the buffer in place: the key of values derived from a
    /// buffer (the cached Winograd kernels, `WinogradFilterCache`).
    private let version = Atomic<UInt64>(BufferPool.shared.nextAllocationNumber())
    /// Whether a view of this buffer was ever made (a viewed buffer is never rewritten in place).
    private let viewed = Atomic<Bool>(false)

    /// Allocates uninitialised storage for `count` elements (reused from the pool when possible).
    /// Only engine operations call this, with sizes that are no larger than tensors that already exist
    /// or engine scratch of bounded size; the results whose size the user's shapes choose (matmul,
    /// convolutions, gathers, factories, broadcasts) use `init(checkedCount:)`, which also throws when the
    /// allocation itself fails.
    init(count: Int, device: Device = .cpu) {
        self.count = count
        self.device = device
        guard let pointer = BufferPool.shared.take(count: count) else {
            // Internal results sized from tensors that already exist; user-sized allocations (products,
            // convolutions, gathers, factories, broadcasts) use init(checkedCount:), which throws.
            fatalError("Kestrel: out of memory allocating \(count) Float32 values")
        }
        self.pointer = pointer
        self.base = nil
    }

    /// Allocates uninitialised storage for `count` elements, throwing (before allocating) when the size
    /// is negative or larger than this machine's memory, and when the allocation itself fails.
    init(checkedCount count: Int, device: Device = .cpu) throws {
        try TensorBuffer.checkAllocation(count: count, what: "A tensor")
        guard let pointer = BufferPool.shared.take(count: count) else {
            throw KestrelError.invalidArgument(
                "Allocating \(count) Float32 values (\(count * MemoryLayout<Float>.stride) bytes) failed: the machine cannot provide that much memory; use smaller layers, images or batches.")
        }
        self.count = count
        self.device = device
        self.pointer = pointer
        self.base = nil
    }

    /// The most bytes one tensor may ask for: this machine's physical memory (read once).
    static let maximumBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return Int.max }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
        return overflow ? Int.max : bytes
    }()

    /// Throws when `count` Float32 values are negative, overflow a byte count or exceed `maximumBytes`;
    /// `what` starts the message ("A tensor of shape [3, 4]"; built only when throwing).
    static func checkAllocation(count: Int, what: @autoclosure () -> String) throws {
        guard count >= 0 else { throw KestrelError.invalidArgument("\(what()) asks for a negative number of values (\(count)).") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        let limit = maximumBytes
        guard !overflow, bytes <= limit else {
            let asked = overflow ? "more than \(Int.max)" : "\(bytes)"
            throw KestrelError.invalidArgument(
                "\(what()) needs \(asked) bytes, more than this machine's \(limit) bytes of memory; use smaller layers, images or batches.")
        }
    }

    /// A view of `count` elements of `base` starting at element `offset` (no copy).
    init(viewing base: TensorBuffer, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= base.count, "TensorBuffer view out of range")
        self.count = count
        self.device = base.device
        self.pointer = base.pointer + offset
        self.base = base
        base.viewed.store(true, ordering: .relaxed)
    }

    /// Allocates storage filled with `value`.
    convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        pointer.update(repeating: value, count: count)
    }

    deinit {
        if base == nil { BufferPool.shared.give(pointer, count: count) }
    }

    /// The current version of the values (see `version`).
    var contentVersion: UInt64 { version.load(ordering: .acquiring) }

    /// Whether this buffer alone reaches its memory: it owns it (it is not a view) and no view of it
    /// was ever made. Only such a buffer may be rewritten in place, and only while one tensor holds it.
    var ownsItsMemoryAlone: Bool { base == nil && !viewed.load(ordering: .relaxed) }

    /// Records that the values were rewritten in place: gives them a new version, so that nothing
    /// derived from the old values is served again.
    func markRewritten() {
        version.store(BufferPool.shared.nextAllocationNumber(), ordering: .releasing)
    }

    /// The storage as a buffer pointer.
    var bufferPointer: UnsafeMutableBufferPointer<Float> {
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
    /// The last number given by `nextAllocationNumber`.
    private let allocations = Atomic<UInt64>(0)
    /// Blocks beyond this many bytes in the pool are freed instead of kept.
    private let maximumPooledBytes = 1 << 30

    /// A new number on every call (1, 2, …; see `TensorBuffer.contentVersion`).
    func nextAllocationNumber() -> UInt64 {
        allocations.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// A block for `count` elements, or nil when the system cannot allocate it.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        let reused: UInt? = state.withLock { state in
            guard var list = state.free[count], let address = list.popLast() else { return nil }
            state.free[count] = list
            state.pooledBytes -= count * 4
            return address
        }
        if let reused, let pointer = UnsafeMutablePointer<Float>(bitPattern: reused) { return pointer }
        var raw: UnsafeMutableRawPointer?
        let (bytes, overflow) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        if overflow { return nil }
        let huge = bytes >= BufferPool.hugePageBytes
        guard posix_memalign(&raw, huge ? BufferPool.hugePageBytes : 64, bytes) == 0, let raw else { return nil }
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
