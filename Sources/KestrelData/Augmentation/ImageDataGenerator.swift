import Foundation
import KestrelTensor

/// Keras's classic `ImageDataGenerator`: random rotations, shifts, shear, zoom and flips plus rescaling and
/// feature-wise standardisation, fed to training through `flow(x, y, batchSize:)`.
///
/// Geometric augmentations are fused into one affine resampling per image (bilinear), as Keras's `apply_affine_transform`.
public struct ImageDataGenerator: Sendable {
    /// Degree range for random rotations: angles in [-rotationRange, rotationRange].
    public var rotationRange: Double
    /// Horizontal shift: a fraction of the width when < 1, else pixels; shifts in [-range, range].
    public var widthShiftRange: Double
    /// Vertical shift: a fraction of the height when < 1, else pixels.
    public var heightShiftRange: Double
    /// Shear angle range in degrees (counter-clockwise).
    public var shearRange: Double
    /// Zoom: each axis is scaled by 1 + a value in this range (0.2 means zooms in [0.8, 1.2]); above 1 zooms out.
    public var zoomRange: FactorRange
    /// Mirror each image left-right with probability 1/2.
    public var horizontalFlip: Bool
    /// Mirror each image top-bottom with probability 1/2.
    public var verticalFlip: Bool
    /// How points outside the image are filled (Keras's default here is `nearest`).
    public var fillMode: FillMode
    /// Fill value for `fillMode: .constant`.
    public var cval: Float
    /// Multiplies the data (after augmentation, as Keras), e.g. 1/255.
    public var rescale: Float?
    /// Subtract the per-channel dataset mean computed by `fit`.
    public var featurewiseCenter: Bool
    /// Divide by the per-channel dataset standard deviation computed by `fit`.
    public var featurewiseStdNormalization: Bool
    /// Subtract each image's own mean.
    public var samplewiseCenter: Bool
    /// Divide each image by its own standard deviation.
    public var samplewiseStdNormalization: Bool
    /// Called on every image (an H×W×C tensor) before `rescale` and normalisation, after the random
    /// transforms (Keras's `preprocessing_function`); it must return a tensor of the same shape.
    public var preprocessingFunction: (@Sendable (Tensor) throws -> Tensor)?
    /// The fraction of the images `flow`/`flowFromDirectory` set aside for `subset: .validation`
    /// (Keras's `validation_split`): 0, or strictly between 0 and 1.
    public var validationSplit: Double
    /// Per-channel mean from `fit`.
    public private(set) var mean: [Float]?
    /// Per-channel standard deviation from `fit`.
    public private(set) var std: [Float]?

    /// Keras's `ImageDataGenerator` with its argument names and defaults (but `fillMode` and `cval` as Keras spells them).
    public init(rotationRange: Double = 0, widthShiftRange: Double = 0, heightShiftRange: Double = 0, shearRange: Double = 0,
                zoomRange: FactorRange = 0, horizontalFlip: Bool = false, verticalFlip: Bool = false,
                fillMode: FillMode = .nearest, cval: Float = 0, rescale: Float? = nil,
                featurewiseCenter: Bool = false, featurewiseStdNormalization: Bool = false,
                samplewiseCenter: Bool = false, samplewiseStdNormalization: Bool = false,
                preprocessingFunction: (@Sendable (Tensor) throws -> Tensor)? = nil, validationSplit: Double = 0) {
        self.rotationRange = rotationRange
        self.widthShiftRange = widthShiftRange
        self.heightShiftRange = heightShiftRange
        self.shearRange = shearRange
        self.zoomRange = zoomRange
        self.horizontalFlip = horizontalFlip
        self.verticalFlip = verticalFlip
        self.fillMode = fillMode
        self.cval = cval
        self.rescale = rescale
        self.featurewiseCenter = featurewiseCenter
        self.featurewiseStdNormalization = featurewiseStdNormalization
        self.samplewiseCenter = samplewiseCenter
        self.samplewiseStdNormalization = samplewiseStdNormalization
        self.preprocessingFunction = preprocessingFunction
        self.validationSplit = validationSplit
    }

    /// Computes the per-channel mean and standard deviation of `x` (after `rescale`) for feature-wise standardisation.
    public mutating func fit(_ x: ImageBatch) throws {
        guard x.count > 0 else { throw DataError.invalidArgument("x", "fit needs at least one image") }
        let scale = Double(rescale ?? 1)
        var sums = [Double](repeating: 0, count: x.channels), squares = [Double](repeating: 0, count: x.channels)
        for (offset, value) in x.pixels.enumerated() {
            let scaled = Double(value) * scale
            sums[offset % x.channels] += scaled
            squares[offset % x.channels] += scaled * scaled
        }
        let perChannel = Double(x.pixels.count / x.channels)
        let means = sums.map { $0 / perChannel }
        mean = means.map { Float($0) }
        std = zip(squares, means).map { Float(sqrt(max($0 / perChannel - $1 * $1, 0))) }
    }

    /// Draws one image's affine map (rotation · shift · shear · zoom about the centre, then flips).
    public func randomTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        var transform = AffineTransform.identity
        if rotationRange != 0 {
            let degrees = generator.uniform(-rotationRange, rotationRange)
            transform = transform.followed(by: .rotation(-degrees * Double.pi / 180, height: height, width: width))
        }
        if heightShiftRange != 0 || widthShiftRange != 0 {
            let rows = generator.uniform(-heightShiftRange, heightShiftRange) * (heightShiftRange < 1 ? Double(height) : 1)
            let columns = generator.uniform(-widthShiftRange, widthShiftRange) * (widthShiftRange < 1 ? Double(width) : 1)
            transform = transform.followed(by: .translation(x: -columns, y: -rows))
        }
        if shearRange != 0 {
            let shear = generator.uniform(-shearRange, shearRange) * Double.pi / 180
            let centerX = Double(width - 1) / 2
            transform = transform.followed(by: AffineTransform(xx: cos(shear), xy: 0, dx: centerX * (1 - cos(shear)),
                                                               yx: -sin(shear), yy: 1, dy: sin(shear) * centerX))
        }
        if zoomRange.lower != 0 || zoomRange.upper != 0 {
            let zoomRows = 1 + generator.uniform(zoomRange.lower, zoomRange.upper)
            let zoomColumns = 1 + generator.uniform(zoomRange.lower, zoomRange.upper)
            transform = transform.followed(by: .zoom(x: zoomColumns, y: zoomRows, height: height, width: width))
        }
        if horizontalFlip, generator.next() & 1 == 1 { transform = transform.followed(by: .horizontalFlip(width: width)) }
        if verticalFlip, generator.next() & 1 == 1 { transform = transform.followed(by: .verticalFlip(height: height)) }
        return transform
    }

    /// Applies random transforms to every image of `batch`, then `standardize`.
    public func augment(_ batch: ImageBatch, generator: inout RandomGenerator) throws -> ImageBatch {
        var maps: [AffineTransform] = []
        maps.reserveCapacity(batch.count)
        for _ in 0..<batch.count { maps.append(randomTransform(height: batch.height, width: batch.width, generator: &generator)) }
        let warped = maps.allSatisfy(\.isIdentity) ? batch
            : try AffineWarp.apply(batch, transforms: maps, fillMode: fillMode, fillValue: cval, interpolation: .bilinear)
        return try standardize(warped)
    }

    /// `preprocessingFunction`, rescaling and sample-/feature-wise normalisation, in Keras's order.
    public func standardize(_ batch: ImageBatch) throws -> ImageBatch {
        var output = try preprocessed(batch)
        let channels = batch.channels
        if let rescale, rescale != 1 {
            for index in output.pixels.indices { output.pixels[index] *= rescale }
        }
        if samplewiseCenter || samplewiseStdNormalization {
            let size = batch.imageSize
            for image in 0..<batch.count {
                let range = (image * size)..<((image + 1) * size)
                let meanValue = output.pixels[range].reduce(0, +) / Float(Swift.max(size, 1))
                if samplewiseCenter { for index in range { output.pixels[index] -= meanValue } }
                if samplewiseStdNormalization {
                    let center = samplewiseCenter ? 0 : meanValue
                    let variance = output.pixels[range].reduce(0) { $0 + ($1 - center) * ($1 - center) } / Float(Swift.max(size, 1))
                    let deviation = variance.squareRoot() + 1e-6
                    for index in range { output.pixels[index] /= deviation }
                }
            }
        }
        if featurewiseCenter || featurewiseStdNormalization {
            guard let mean, let std, mean.count == channels else {
                throw DataError("ImageDataGenerator: featurewiseCenter/featurewiseStdNormalization need fit(x) on images with \(channels) channel(s) first")
            }
            for index in output.pixels.indices {
                let channel = index % channels
                if featurewiseCenter { output.pixels[index] -= mean[channel] }
                if featurewiseStdNormalization { output.pixels[index] /= std[channel] + 1e-6 }
            }
        }
        return output
    }

    /// `preprocessingFunction` applied to each image of `batch` (unchanged without one).
    func preprocessed(_ batch: ImageBatch) throws -> ImageBatch {
        guard let preprocessingFunction else { return batch }
        var output = batch
        let shape = [batch.height, batch.width, batch.channels]
        for image in 0..<batch.count {
            let result = try preprocessingFunction(try Tensor(shape: shape, scalars: Array(batch.image(image))))
            guard result.shape == shape else {
                throw DataError.invalidArgument("preprocessingFunction", "must return an image of the shape it was given \(shape), returned \(result.shape)")
            }
            output.pixels.replaceSubrange((image * batch.imageSize)..<((image + 1) * batch.imageSize), with: result.scalars)
        }
        return output
    }

    /// Calls `preprocessingFunction` on one image so that a function that throws or changes the shape is
    /// reported by `flow` itself (batches are produced later, where errors cannot be thrown).
    func checkPreprocessing(on image: ImageBatch) throws {
        if preprocessingFunction != nil { _ = try preprocessed(image) }
    }

    /// The positions `subset` keeps out of `count` images (Keras's split: validation is the first
    /// `Int(count × validationSplit)`, training the rest); all of them without a subset.
    func subsetRange(count: Int, subset: DatasetSubset?) throws -> Range<Int> {
        guard let subset else { return 0..<count }
        guard validationSplit > 0 && validationSplit < 1 else {
            throw DataError.invalidArgument("subset", "\"\(subset.rawValue)\" needs ImageDataGenerator(validationSplit:) strictly between 0 and 1, got \(validationSplit)")
        }
        let splitIndex = Int(Double(count) * validationSplit)
        return subset == .validation ? 0..<splitIndex : splitIndex..<count
    }

    /// Batches of augmented images and their targets, one epoch per iteration, reshuffled every epoch when `shuffle`.
    /// With a seed, epoch k is identical across runs.
    /// - Parameters:
    ///   - y: one target per image (class indices), or `count × K` values (one-hot).
    ///   - subset: with `validationSplit`, `.validation` keeps the first `Int(count × validationSplit)` images and
    ///     `.training` the rest, as Keras; it is an error when the two parts do not hold the same classes (sorted
    ///     data), unless `ignoreClassSplit`.
    public func flow(_ x: ImageBatch, _ y: [Float], batchSize: Int = 32, shuffle: Bool = true, seed: UInt64? = nil,
                     subset: DatasetSubset? = nil, ignoreClassSplit: Bool = false) throws -> Dataset {
        guard batchSize > 0 else { throw DataError.invalidArgument("batchSize", "must be positive, got \(batchSize)") }
        guard x.count > 0, y.count % x.count == 0 else {
            throw DataError.invalidArgument("y", "\(y.count) targets do not divide evenly over \(x.count) images")
        }
        if subset != nil {
            let kept = try subsetRange(count: x.count, subset: subset)
            let width = y.count / x.count
            if !ignoreClassSplit {
                let validation = try subsetRange(count: x.count, subset: .validation)
                let rows = { (range: Range<Int>) in Set(range.map { Array(y[($0 * width)..<(($0 + 1) * width)]) }) }
                guard rows(validation) == rows(validation.upperBound..<x.count) else {
                    throw DataError.invalidArgument("subset", "training and validation subsets have different classes after the split; if the images are sorted by label, shuffle them first (or pass ignoreClassSplit: true)")
                }
            }
            guard !kept.isEmpty else {
                throw DataError.invalidArgument("subset", "validationSplit \(validationSplit) leaves no \(subset?.rawValue ?? "") images out of \(x.count)")
            }
            let part = ImageBatch(uncheckedPixels: Array(x.pixels[(kept.lowerBound * x.imageSize)..<(kept.upperBound * x.imageSize)]),
                                  count: kept.count, height: x.height, width: x.width, channels: x.channels)
            return try flow(part, Array(y[(kept.lowerBound * width)..<(kept.upperBound * width)]), batchSize: batchSize, shuffle: shuffle, seed: seed)
        }
        if (featurewiseCenter || featurewiseStdNormalization) && mean == nil {
            throw DataError("ImageDataGenerator.flow: call fit(x) first, featurewiseCenter/featurewiseStdNormalization need the dataset statistics")
        }
        try checkPreprocessing(on: ImageBatch(uncheckedPixels: Array(x.image(0)), count: 1, height: x.height, width: x.width, channels: x.channels))
        let targetSize = y.count / x.count
        let targetShape = targetSize == 1 ? [] : [targetSize]
        return augmentedBatches(count: x.count, batchSize: batchSize, shuffle: shuffle, seed: seed) { members in
            var pixels: [Float] = []
            var targets: [Float] = []
            pixels.reserveCapacity(members.count * x.imageSize)
            for member in members {
                pixels += x.image(member)
                targets += y[(member * targetSize)..<((member + 1) * targetSize)]
            }
            return (ImageBatch(uncheckedPixels: pixels, count: members.count, height: x.height, width: x.width, channels: x.channels),
                    targets, [members.count] + targetShape)
        }
    }

    /// `flow` with integer class labels.
    public func flow(_ x: ImageBatch, _ y: [Int], batchSize: Int = 32, shuffle: Bool = true, seed: UInt64? = nil,
                     subset: DatasetSubset? = nil, ignoreClassSplit: Bool = false) throws -> Dataset {
        try flow(x, y.map(Float.init), batchSize: batchSize, shuffle: shuffle, seed: seed, subset: subset, ignoreClassSplit: ignoreClassSplit)
    }
}
