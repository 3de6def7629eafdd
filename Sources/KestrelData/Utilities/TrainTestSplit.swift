import KestrelTensor

/// Which rows go to training and which to testing (scikit-learn's `train_test_split` rules: the test side gets
/// ceil(testSize · n) rows; with `stratify`, each class is split in the same proportion).
public struct TrainTestSplit: Sendable, Equatable {
    /// Row indices of the training part.
    public var trainIndices: [Int]
    /// Row indices of the test part.
    public var testIndices: [Int]

    /// - Parameters:
    ///   - count: number of rows.
    ///   - testSize: fraction of rows for the test part, in (0, 1).
    ///   - labels: class of each row; required when `stratify`.
    ///   - shuffle: shuffle before splitting (must be true to stratify).
    ///   - seed: makes the shuffle reproducible.
    public init(count: Int, testSize: Double = 0.25, labels: [Int]? = nil, stratify: Bool = false, shuffle: Bool = true,
                seed: UInt64? = nil) throws {
        guard testSize > 0, testSize < 1 else {
            throw DataError.invalidArgument("testSize", "must be a fraction between 0 and 1 (exclusive), got \(testSize)")
        }
        let testCount = Int((testSize * Double(count)).rounded(.up))
        guard testCount >= 1, testCount < count else {
            throw DataError.invalidArgument("testSize", "\(testSize) of \(count) rows leaves an empty train or test part")
        }
        var generator = RandomGenerator(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        guard stratify else {
            var order = Array(0..<count)
            if shuffle { order.shuffle(using: &generator) }
            trainIndices = Array(order.prefix(count - testCount))
            testIndices = Array(order.suffix(testCount))
            return
        }
        guard let labels, labels.count == count else {
            throw DataError.invalidArgument("stratify", "needs one label per row (\(labels?.count ?? 0) labels for \(count) rows)")
        }
        guard shuffle else { throw DataError.invalidArgument("shuffle", "stratified splits must shuffle") }
        var byClass: [Int: [Int]] = [:]
        for (row, label) in labels.enumerated() { byClass[label, default: []].append(row) }
        let classes = byClass.keys.sorted()
        // Largest-remainder allocation of the test rows over the classes.
        let exact = classes.map { Double(byClass[$0]!.count) * Double(testCount) / Double(count) }
        var allocation = exact.map { Int($0) }
        let remainders = exact.enumerated().map { ($0.offset, $0.element - Double(allocation[$0.offset])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (position, _) in remainders.prefix(testCount - allocation.reduce(0, +)) { allocation[position] += 1 }
        var train: [Int] = [], test: [Int] = []
        for (position, label) in classes.enumerated() {
            var rows = byClass[label]!
            rows.shuffle(using: &generator)
            test += rows.prefix(allocation[position])
            train += rows.dropFirst(allocation[position])
        }
        train.shuffle(using: &generator)
        test.shuffle(using: &generator)
        trainIndices = train
        testIndices = test
    }
}

/// Splits tensors into random train and test parts, like scikit-learn's `train_test_split(x, y, test_size=…)`.
/// With `stratify`, y's classes (indices, or one-hot rows) keep their proportions on both sides.
public func trainTestSplit(_ x: Tensor, _ y: Tensor, testSize: Double = 0.25, stratify: Bool = false, shuffle: Bool = true,
                           seed: UInt64? = nil) throws -> (xTrain: Tensor, xTest: Tensor, yTrain: Tensor, yTest: Tensor) {
    guard let rows = x.shape.first, y.shape.first == rows else {
        throw DataError.invalidArgument("y", "x has shape \(x.shape) and y \(y.shape); their first dimensions must match")
    }
    let labels = stratify ? try stratifiedClasses(of: y) : nil
    let split = try TrainTestSplit(count: rows, testSize: testSize, labels: labels, stratify: stratify, shuffle: shuffle, seed: seed)
    return (try x.gathering(rows: split.trainIndices).detached, try x.gathering(rows: split.testIndices).detached,
            try y.gathering(rows: split.trainIndices).detached, try y.gathering(rows: split.testIndices).detached)
}

/// Splits a dataset split (`LabeledImages`) into train and test parts.
public func trainTestSplit(_ images: LabeledImages, testSize: Double = 0.25, stratify: Bool = false, shuffle: Bool = true,
                           seed: UInt64? = nil) throws -> (train: LabeledImages, test: LabeledImages) {
    let split = try TrainTestSplit(count: images.count, testSize: testSize, labels: images.labels, stratify: stratify,
                                   shuffle: shuffle, seed: seed)
    let imageSize = images.shape.dropFirst().reduce(1, *)
    func subset(_ rows: [Int]) -> LabeledImages {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(rows.count * imageSize)
        for row in rows { pixels += images.pixels[(row * imageSize)..<((row + 1) * imageSize)] }
        return LabeledImages(pixels: pixels, shape: [rows.count] + images.shape.dropFirst(), labels: rows.map { images.labels[$0] },
                             classNames: images.classNames)
    }
    return (subset(split.trainIndices), subset(split.testIndices))
}

/// Class index per row: the value itself for rank-1 labels, the arg-max for one-hot rows.
private func stratifiedClasses(of y: Tensor) throws -> [Int] {
    let values = y.scalars
    guard y.shape.count > 1, let rows = y.shape.first, rows > 0 else { return try checkedClassIndices(values, argument: "y") }
    let width = values.count / rows
    return (0..<rows).map { row in
        let slice = values[(row * width)..<((row + 1) * width)]
        return (slice.indices.max { slice[$0] < slice[$1] } ?? row * width) - row * width
    }
}
