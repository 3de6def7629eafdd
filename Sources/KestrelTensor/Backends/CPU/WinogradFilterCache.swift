import Synchronization

/// The transformed Winograd kernels U = G·g·Gᵀ of the CPU backend, kept so that a training step's
/// input-gradient pass reuses the one its forward pass made (and takes it out: the next step's weights
/// are new), and evaluation batches with unchanged weights reuse one between them.
///
/// An entry is keyed by the kernel's address and its buffer's `contentVersion`, the weights' version:
/// a new buffer gets a new number even where the pool hands out the same address again, and an
/// optimizer step that rewrites a variable's buffer in place (`Tensor.update(by:gradient:slots:)`) gives
/// it a new one, so an update can never meet the previous weights' U. Tile size and channel counts complete the
/// key. The cache is bounded (`maximumEntries`, `maximumBytes`; the oldest entry goes first), and
/// `removeAll()` empties it. Owned by one `CPUBackend`; thread-safe behind a mutex.
final class WinogradFilterCache: Sendable {
    /// What names one transformed kernel.
    struct Key: Hashable {
        let address: UInt
        let version: UInt64
        let tile: Int
        let inputChannels: Int
        let outputChannels: Int
    }

    /// Lookups answered from the cache and lookups that transformed, since this cache was made.
    struct Counts: Equatable {
        var hits = 0
        var misses = 0
    }

    private struct State {
        var entries: [Key: TensorBuffer] = [:]
        /// Keys in the order they were added (the eviction order).
        var order: [Key] = []
        var bytes = 0
        var counts = Counts()
    }

    private let state = Mutex(State())
    /// The most kernels kept.
    let maximumEntries: Int
    /// The most bytes of kernels kept.
    let maximumBytes: Int

    /// An empty cache keeping at most `maximumEntries` kernels and `maximumBytes` bytes.
    init(maximumEntries: Int = 32, maximumBytes: Int = 64 << 20) {
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
    }

    /// U for `filter` (version `version`) under `plan`: the kept one, or a new one, kept when it fits.
    func transformed(_ filter: UnsafePointer<Float>, version: UInt64, plan: WinogradConvolution.Plan) -> TensorBuffer {
        let key = Self.key(filter, version: version, plan: plan)
        if let kept = lookUp(key, removing: false) { return kept }
        let made = WinogradConvolution.transformedFilter(filter, plan: plan)
        keep(made, under: key)
        return made
    }

    /// Like `transformed`, but for the last use of these weights' U in a step (the input-gradient pass):
    /// a kept U is taken out of the cache, and a new one is not kept.
    func take(_ filter: UnsafePointer<Float>, version: UInt64, plan: WinogradConvolution.Plan) -> TensorBuffer {
        lookUp(Self.key(filter, version: version, plan: plan), removing: true)
            ?? WinogradConvolution.transformedFilter(filter, plan: plan)
    }

    private static func key(_ filter: UnsafePointer<Float>, version: UInt64, plan: WinogradConvolution.Plan) -> Key {
        Key(address: UInt(bitPattern: filter), version: version, tile: plan.tile,
            inputChannels: plan.geometry.channels, outputChannels: plan.outputChannels)
    }

    /// The kept U under `key` (counted as a hit, and taken out when `removing`), or nil (a miss).
    private func lookUp(_ key: Key, removing: Bool) -> TensorBuffer? {
        state.withLock { state in
            guard let entry = state.entries[key] else {
                state.counts.misses += 1
                return nil
            }
            state.counts.hits += 1
            if removing {
                state.entries[key] = nil
                state.order.removeAll { $0 == key }
                state.bytes -= entry.count * MemoryLayout<Float>.stride
            }
            return entry
        }
    }

    /// Empties the cache (the kernels in use by a running convolution stay alive until it ends).
    func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.order.removeAll()
            state.bytes = 0
        }
    }

    /// The hit and miss counts so far.
    var counts: Counts { state.withLock { $0.counts } }

    /// The number of kernels kept now.
    var count: Int { state.withLock { $0.entries.count } }

    private func keep(_ buffer: TensorBuffer, under key: Key) {
        let bytes = buffer.count * MemoryLayout<Float>.stride
        guard bytes <= maximumBytes, maximumEntries > 0 else { return }
        state.withLock { state in
            guard state.entries[key] == nil else { return }
            while !state.order.isEmpty && (state.order.count >= maximumEntries || state.bytes + bytes > maximumBytes) {
                let oldest = state.order.removeFirst()
                if let removed = state.entries.removeValue(forKey: oldest) {
                    state.bytes -= removed.count * MemoryLayout<Float>.stride
                }
            }
            state.entries[key] = buffer
            state.order.append(key)
            state.bytes += bytes
        }
    }
}
