import Foundation
import KestrelTensor

extension Dataset {
    /// Applies an image augmentation to every element's x (image batches, N×H×W×C or N×H×W), like
    /// `dataset.map(lambda x, y: (augment(x, training=True), y))`. Element k of epoch e always gets the same random
    /// draws for a given seed, whatever the thread timing; each epoch gets new ones.
    /// Elements whose x is not an image batch pass through unchanged, with a warning on standard error.
    public func augmented(with transform: any ImageTransform, seed: UInt64? = nil) -> Dataset {
        let upstream = self
        let baseSeed = seed ?? UInt64.random(in: 0...UInt64.max)
        let epochs = EpochCounter()
        var result = Dataset(cardinality: cardinality) {
            let epoch = epochs.next()
            var iterator = upstream.makeIterator()
            var index = 0
            return DatasetIterator {
                guard var element = iterator.next() else { return nil }
                defer { index += 1 }
                guard let batch = try? ImageBatch(pixels: element.x, shape: element.xShape) else {
                    FileHandle.standardError.write(Data("warning: Dataset.augmented: x of shape \(element.xShape) is not an image batch; left unchanged\n".utf8))
                    return element
                }
                var generator = RandomGenerator(seed: baseSeed, indices: epoch, index)
                element.x = transform.apply(to: batch, generator: &generator).pixels
                return element
            }
        }
        result.classNames = classNames
        result.isReplayable = isReplayable && seed != nil
        return result
    }
}
