/// Iterates a `Dataset` once (one epoch).
public struct DatasetIterator: IteratorProtocol {
    private let produce: () -> DataElement?

    init(_ produce: @escaping () -> DataElement?) {
        self.produce = produce
    }

    /// The next element, or `nil` at the end of the epoch.
    public mutating func next() -> DataElement? {
        produce()
    }
}
