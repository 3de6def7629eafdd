import Foundation

/// Several random image augmentations in one layer (Keras's `RandomFlip`,
/// `RandomRotation`, `RandomTranslation`, `RandomZoom` in one): active only when training, the
/// identity at inference. It wraps KestrelData's `AugmentationPipeline`, so consecutive geometric
/// transforms are resampled in one pass. Put it before any trainable layer (it passes no gradient).
///
/// ```swift
/// let augment = try RandomAugmentation(parsing: "flip,rotate:15,shift:0.1,zoom:0.1")
/// ```
public final class RandomAugmentation: AugmentationLayer, @unchecked Sendable {
    /// The text the layer was parsed from (for summaries and reports), if any.
    public let specification: String?
    /// The transforms, in order.
    public let pipeline: AugmentationPipeline

    /// A layer applying `transforms` in order (fused into one resampling pass where they are
    /// geometric); `seed` makes the augmentation reproducible, otherwise it follows the global seed.
    public init(_ transforms: [any ImageTransform], seed: UInt64? = nil, specification: String? = nil, name: String? = nil) {
        self.specification = specification
        self.pipeline = AugmentationPipeline(transforms)
        super.init(transform: pipeline, seed: seed, name: name)
    }

    /// Parses a comma-separated list: `flip` (horizontal; also `flip:vertical`, `flip:both`),
    /// `rotate:DEGREES` (up to ± that angle), `shift:FRACTION` (height and width, like
    /// `RandomTranslation`), `zoom:FRACTION`, `contrast:FACTOR`. Throws naming the bad item.
    public convenience init(parsing text: String, seed: UInt64? = nil) throws {
        var transforms: [any ImageTransform] = []
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw KestrelError.invalidArgument("The augmentation list is empty; write e.g. \"flip,rotate:15,shift:0.1\".")
        }
        for item in items {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            let kind = parts[0].lowercased()
            let value = parts.count > 1 ? Double(parts[1]) : nil
            func bad(_ expected: String) -> KestrelError {
                .invalidArgument("Augmentation '\(item)': \(expected); known items: flip, flip:vertical, flip:both, rotate:DEGREES, shift:FRACTION, zoom:FRACTION, contrast:FACTOR.")
            }
            switch kind {
            case "flip":
                switch parts.count > 1 ? parts[1].lowercased() : "horizontal" {
                case "horizontal", "h": transforms.append(RandomFlipTransform(mode: .horizontal))
                case "vertical", "v": transforms.append(RandomFlipTransform(mode: .vertical))
                case "both", "horizontal_and_vertical": transforms.append(RandomFlipTransform(mode: .horizontalAndVertical))
                default: throw bad("flip takes horizontal, vertical or both")
                }
            case "rotate", "rotation":
                guard let degrees = value, degrees > 0, degrees <= 180 else { throw bad("write the largest angle in degrees, e.g. rotate:15") }
                transforms.append(try RandomRotationTransform(factor: FactorRange(degrees / 360)))
            case "shift", "translate", "translation":
                guard let fraction = value, fraction > 0, fraction < 1 else { throw bad("write a fraction of the image size, e.g. shift:0.1") }
                transforms.append(try RandomTranslationTransform(heightFactor: FactorRange(fraction), widthFactor: FactorRange(fraction)))
            case "zoom":
                guard let fraction = value, fraction > 0, fraction < 1 else { throw bad("write a fraction, e.g. zoom:0.1") }
                transforms.append(try RandomZoomTransform(heightFactor: FactorRange(fraction)))
            case "contrast":
                guard let factor = value, factor > 0, factor < 1 else { throw bad("write a factor in (0, 1), e.g. contrast:0.2") }
                transforms.append(try RandomContrastTransform(factor: factor, valueRange: 0...1))
            default:
                throw bad("unknown item '\(parts[0])'")
            }
        }
        self.init(transforms, seed: seed, specification: text)
    }
}
