/// Where `fit` and `evaluate` get their batches from: arrays cut by the loop, a `Dataset`, or a type
/// of your own (pass it to `fit(_:epochs:…)`). Only `makePass` must be written; the rest has defaults
/// for a source that knows nothing in advance and cannot replay its passes.
public protocol BatchSource {
    /// Batches in one full pass, when known (drives the progress bar and `stepsPerEpoch`'s default).
    var batchesPerPass: Int? { get }
    /// Whether a pass can be made again, in a new process, with the same batches in the same order
    /// (only then can `BackupAndRestore` resume an epoch part-way).
    var isReplayable: Bool { get }
    /// Passes `sampleShapes()` makes (a source that reads its first batch to learn the shapes makes one).
    var probePasses: Int { get }
    /// Makes a pass and drops it, so that a source whose passes differ (reshuffled, augmented per pass)
    /// reaches the same pass a longer run had reached.
    func skipPass()
    /// The shape of one sample of each input (batch dimension excluded), from the data.
    func sampleShapes() throws -> [[Int]]
    /// A fresh pass over the data; `shuffled` passes reorder samples with `generator`.
    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch>
}

extension BatchSource {
    /// Unknown.
    public var batchesPerPass: Int? { nil }
    /// Not replayable.
    public var isReplayable: Bool { false }
    /// One: the default `sampleShapes()` reads the first batch of a pass.
    public var probePasses: Int { 1 }
    /// Makes a pass and drops it.
    public func skipPass() {
        var generator = RandomGenerator(seed: 0)
        _ = try? makePass(shuffled: false, generator: &generator)
    }
    /// The sample shapes of the first batch of a fresh pass; throws when the pass is empty.
    public func sampleShapes() throws -> [[Int]] {
        var generator = RandomGenerator(seed: 0)
        guard let first = try makePass(shuffled: false, generator: &generator).next() else {
            throw KestrelError.invalidData("The dataset is empty; it must yield at least one batch.")
        }
        return first.inputs.map { Array($0.shape.dropFirst()) }
    }
}
