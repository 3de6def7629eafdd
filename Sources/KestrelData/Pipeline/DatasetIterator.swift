/// Iterates a `Dataset` once (one epoch).
public struct DatasetIterator: IteratorProtocol {
    private let produce: () -> DataElement?

    init(_ produce: @escaping () -> DataElement?) {
        self.produce = produce
    }

    public mutating func next() -> DataElement? {
        produce()
    }
}
