import Foundation
import KestrelTensor

/// An input pipeline of (x, y) elements, like `tf.data.Dataset`: build it from arrays, then chain
/// `shuffle`, `repeat`, `map`, `batch`, `cache`, `prefetch`, `take`, `skip`. Each `for … in dataset` is one epoch; a
/// seeded shuffle gives a different but reproducible order in every epoch.
public struct Dataset: Sequence, Sendable {
    private let makeProducer: @Sendable () -> DatasetIterator
    /// The number of elements when known without iterating.
    public let cardinality: Int?
    /// Class names, indexed by label, when the dataset knows them (`imageDatasetFromDirectory` sets them);
    /// transformations keep them.
    public var classNames: [String]?
    /// Whether a new process that builds the same dataset gets the same elements for its n-th pass as
    /// this one does: true unless a random step was left unseeded (`shuffle`, `augmented`,
    /// `ImageDataGenerator.flow`/`flowFromDirectory`, `imageDatasetFromDirectory` without `seed`).
    /// `fit` relies on it to resume part-way through an epoch. Transformations keep it; a dataset made
    /// from a custom iterator is assumed to replay — set it to false when it draws unseeded randomness.
    public var isReplayable = true
    /// Whether iterating never ends (`repeat()` without a count, until a `take`): `fit` then needs
    /// `stepsPerEpoch`, and `evaluate`/`predict` a finite part (`take(_:)`), as in Keras.
    public internal(set) var isEndless = false

    /// A dataset whose iterators come from `makeIterator`.
    public init(cardinality: Int?, makeIterator: @escaping @Sendable () -> DatasetIterator) {
        self.cardinality = cardinality
        self.makeProducer = makeIterator
    }

    /// A dataset of `count` elements produced on demand by `element(index)`.
    public init(count: Int, element: @escaping @Sendable (Int) -> DataElement) {
        self.init(cardinality: count) {
            var index = 0
            return DatasetIterator {
                guard index < count else { return nil }
                defer { index += 1 }
                return element(index)
            }
        }
    }

    /// The elements given, in order.
    public init(elements: [DataElement]) {
        self.init(count: elements.count) { elements[$0] }
    }

    /// Slices `x` and `y` along their first axis, like `from_tensor_slices((x, y))`.
    /// `y` may be scalar labels (`yShape` [N]) or vectors ([N, K]).
    public init(x: [Float], xShape: [Int], y: [Float], yShape: [Int]) throws {
        guard let count = xShape.first, Tensor.checkedElementCount(xShape) == x.count else {
            throw DataError.invalidArgument("xShape", "\(xShape) does not describe \(x.count) values")
        }
        guard yShape.first == count, Tensor.checkedElementCount(yShape) == y.count else {
            throw DataError.invalidArgument("yShape", "\(yShape) must start with \(count) (the number of x rows) and describe \(y.count) values")
        }
        let xRow = Array(xShape.dropFirst()), yRow = Array(yShape.dropFirst())
        let xSize = xRow.reduce(1, *), ySize = yRow.reduce(1, *)
        self.init(count: count) { index in
            DataElement(x: Array(x[(index * xSize)..<((index + 1) * xSize)]), xShape: xRow,
                        y: Array(y[(index * ySize)..<((index + 1) * ySize)]), yShape: yRow)
        }
    }

    /// Images (as Float 0...255, or multiplied by `rescale`) with their integer labels.
    public init(_ images: LabeledImages, rescale: Float = 1) throws {
        try self.init(x: images.pixels.map { Float($0) * rescale }, xShape: images.shape,
                      y: images.labels.map(Float.init), yShape: [images.count])
    }

    /// An iterator over one epoch.
    public func makeIterator() -> DatasetIterator {
        makeProducer()
    }

    // MARK: - Transformations

    /// Groups consecutive elements into batches of `batchSize` (the last may be smaller unless `dropRemainder`).
    public func batch(_ batchSize: Int, dropRemainder: Bool = false) throws -> Dataset {
        guard batchSize > 0 else { throw DataError.invalidArgument("batchSize", "must be positive, got \(batchSize)") }
        let upstream = self
        let count = cardinality.map { dropRemainder ? $0 / batchSize : ($0 + batchSize - 1) / batchSize }
        return derived(cardinality: count) {
            var iterator = upstream.makeIterator()
            var carried: DataElement?
            return DatasetIterator {
                var pending: [DataElement] = []
                pending.reserveCapacity(batchSize)
                if let element = carried { pending.append(element); carried = nil }
                while pending.count < batchSize, let element = iterator.next() {
                    // An element of another shape closes the batch early and starts the next one, so
                    // mismatched shapes reach the model (which reports them) instead of stopping the program.
                    if let first = pending.first, element.xShape != first.xShape || element.yShape != first.yShape {
                        carried = element
                        break
                    }
                    pending.append(element)
                }
                if pending.isEmpty || (dropRemainder && pending.count < batchSize) { return nil }
                return DataElement.stack(pending)
            }
        }
    }

    /// Applies `transform` to every element; with `parallelCalls` > 1, that many elements are taken at a time and
    /// transformed on the engine's worker pool (at most `Parallel.threadCount` at once; output order is kept).
    public func map(parallelCalls: Int = 1, _ transform: @escaping @Sendable (DataElement) -> DataElement) -> Dataset {
        let upstream = self
        let width = Swift.max(1, parallelCalls)
        return derived(cardinality: cardinality) {
            var iterator = upstream.makeIterator()
            var ready: [DataElement] = []
            var readyIndex = 0
            return DatasetIterator {
                if readyIndex < ready.count {
                    defer { readyIndex += 1 }
                    return ready[readyIndex]
                }
                var inputs: [DataElement] = []
                while inputs.count < width, let element = iterator.next() { inputs.append(element) }
                if inputs.isEmpty { return nil }
                if inputs.count == 1 { return transform(inputs[0]) }
                let results = ResultSlots(count: inputs.count)
                let sharedInputs = inputs
                Parallel.forEach(count: sharedInputs.count) { index in
                    results.store(transform(sharedInputs[index]), at: index)
                }
                ready = results.values()
                readyIndex = 1
                return ready[0]
            }
        }
    }

    /// Randomly shuffles with a buffer of `bufferSize` elements (a buffer at least the dataset's size gives a uniform
    /// shuffle). With a seed, epoch k's order is the same in every run; `reshuffleEachIteration` varies it across epochs.
    public func shuffle(bufferSize: Int, seed: UInt64? = nil, reshuffleEachIteration: Bool = true) throws -> Dataset {
        try shuffle(bufferSize, seed: seed, reshuffleEachIteration: reshuffleEachIteration)
    }

    /// `shuffle(bufferSize:)` with the size unlabelled, as tf.data's `shuffle(BUFFER_SIZE)` is written.
    public func shuffle(_ bufferSize: Int, seed: UInt64? = nil, reshuffleEachIteration: Bool = true) throws -> Dataset {
        guard bufferSize > 0 else { throw DataError.invalidArgument("bufferSize", "must be positive, got \(bufferSize)") }
        let upstream = self
        let baseSeed = seed ?? UInt64.random(in: 0...UInt64.max)
        let epochs = EpochCounter()
        var result = derived(cardinality: cardinality) {
            let epoch = reshuffleEachIteration ? epochs.next() : 0
            var generator = RandomGenerator(seed: baseSeed, indices: epoch)
            var iterator = upstream.makeIterator()
            var buffer: [DataElement] = []
            var exhausted = false
            return DatasetIterator {
                while !exhausted, buffer.count < bufferSize {
                    if let element = iterator.next() { buffer.append(element) } else { exhausted = true }
                }
                if buffer.isEmpty { return nil }
                let pick = Int(generator.next() % UInt64(buffer.count))
                buffer.swapAt(pick, buffer.count - 1)
                return buffer.removeLast()
            }
        }
        if seed == nil { result.isReplayable = false }
        return result
    }

    /// The elements `count` times over, each time a new pass of the dataset before it (so a `shuffle` before
    /// `repeat` reshuffles every time), or without end when `count` is nil (`tf.data`'s `repeat()`; give
    /// `fit` its `stepsPerEpoch`). `shuffle(…).repeat().batch(…)` batches across the passes' boundaries, as
    /// tf.data does.
    public func `repeat`(_ count: Int? = nil) throws -> Dataset {
        if let count, count < 0 { throw DataError.invalidArgument("count", "must be 0 or more, or nil to repeat without end; got \(count)") }
        let upstream = self
        let total = count.flatMap { count in cardinality.flatMap { $0.multipliedReportingOverflow(by: count).overflow ? nil : $0 * count } }
        var result = derived(cardinality: count == nil ? nil : total) {
            var iterator: DatasetIterator?
            var passesLeft = count
            var emptyPass = false
            return DatasetIterator {
                while true {
                    if let element = iterator?.next() {
                        emptyPass = false
                        return element
                    }
                    // A pass that yields nothing ends the repetition (an empty dataset repeated stays empty).
                    guard !emptyPass, passesLeft.map({ $0 > 0 }) ?? true else { return nil }
                    passesLeft = passesLeft.map { $0 - 1 }
                    iterator = upstream.makeIterator()
                    emptyPass = true
                }
            }
        }
        result.isEndless = count == nil || upstream.isEndless
        return result
    }

    /// The first `count` elements.
    public func take(_ count: Int) -> Dataset {
        let upstream = self
        var result = derived(cardinality: cardinality.map { Swift.min($0, Swift.max(count, 0)) } ?? (isEndless ? Swift.max(count, 0) : nil)) {
            var iterator = upstream.makeIterator()
            var taken = 0
            return DatasetIterator {
                guard taken < count else { return nil }
                taken += 1
                return iterator.next()
            }
        }
        result.isEndless = false
        return result
    }

    /// All but the first `count` elements.
    public func skip(_ count: Int) -> Dataset {
        let upstream = self
        return derived(cardinality: cardinality.map { Swift.max($0 - Swift.max(count, 0), 0) }) {
            var iterator = upstream.makeIterator()
            var skipped = false
            return DatasetIterator {
                if !skipped {
                    skipped = true
                    for _ in 0..<Swift.max(count, 0) where iterator.next() == nil { return nil }
                }
                return iterator.next()
            }
        }
    }

    /// Keeps the elements in memory after the first complete epoch; later epochs replay them without recomputing.
    public func cache() -> Dataset {
        let upstream = self
        let store = ElementCache()
        return derived(cardinality: cardinality) {
            if let cached = store.elements {
                var index = 0
                return DatasetIterator {
                    guard index < cached.count else { return nil }
                    defer { index += 1 }
                    return cached[index]
                }
            }
            var iterator = upstream.makeIterator()
            var recorded: [DataElement] = []
            return DatasetIterator {
                if let element = iterator.next() {
                    recorded.append(element)
                    return element
                }
                store.fill(recorded)
                return nil
            }
        }
    }

    /// Produces up to `bufferSize` elements ahead on a background thread while the consumer works.
    ///
    /// The producer thread is started only when `Parallel.threadCount` (the engine's thread count, read when an
    /// epoch's iterator is made) is above one; with one thread the elements are made on the consumer's thread when
    /// asked for. The producer's own parallel work (`map(parallelCalls:)`, augmentation) goes through the
    /// engine's worker pool like every other parallel kernel.
    public func prefetch(_ bufferSize: Int = 2) -> Dataset {
        let upstream = self
        return derived(cardinality: cardinality) {
            guard Parallel.threadCount > 1 else { return upstream.makeIterator() }
            let prefetcher = Prefetcher(upstream: upstream.makeIterator(), capacity: Swift.max(1, bufferSize))
            return DatasetIterator { prefetcher.next() }
        }
    }

    private func derived(cardinality: Int?, makeIterator: @escaping @Sendable () -> DatasetIterator) -> Dataset {
        var result = Dataset(cardinality: cardinality, makeIterator: makeIterator)
        result.classNames = classNames
        result.isReplayable = isReplayable
        result.isEndless = isEndless
        return result
    }

    /// All elements of one epoch.
    public func collect() -> [DataElement] {
        Array(self)
    }
}
