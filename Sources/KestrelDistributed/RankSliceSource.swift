import Kestrel
import KestrelTensor

/// One rank's part of another source's batches: of each global batch it keeps the contiguous rows
/// `rows(count)` gives this rank (a batch where it gets none is skipped). Every rank reads the same
/// passes, so together the ranks cover each batch exactly once.
struct RankSliceSource: BatchSource {
    let source: BatchSource
    let rows: @Sendable (Int) -> Range<Int>

    var batchesPerPass: Int? { source.batchesPerPass }
    var isReplayable: Bool { source.isReplayable }
    var probePasses: Int { source.probePasses }
    func skipPass() { source.skipPass() }
    func sampleShapes() throws -> [[Int]] { try source.sampleShapes() }

    func makePass(shuffled: Bool, generator: inout RandomGenerator) throws -> AnyIterator<Batch> {
        let pass = try source.makePass(shuffled: shuffled, generator: &generator)
        let rows = self.rows
        var failure: Error?
        return AnyIterator {
            guard failure == nil else { return nil }
            while let batch = pass.next() {
                let mine = rows(batch.count)
                guard !mine.isEmpty else { continue }
                do {
                    return try batch.slice(rows: mine)
                } catch {
                    failure = error
                    return nil
                }
            }
            return nil
        }
    }
}
