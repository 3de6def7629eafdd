import KestrelTensor
/// A chain of image transforms applied in order. Runs of consecutive geometric transforms with the same fill settings
/// are composed into one affine map per image and resampled in a single pass (fast, and one interpolation instead of several).
public struct AugmentationPipeline: ImageTransform {
    /// The transforms, applied in order.
    public var transforms: [any ImageTransform]

    /// A pipeline applying `transforms` in order.
    public init(_ transforms: [any ImageTransform]) {
        self.transforms = transforms
    }

    /// Returns the augmented batch; parameters are drawn per image from `generator`.
    public func apply(to batch: ImageBatch, generator: inout RandomGenerator) -> ImageBatch {
        var current = batch
        var index = 0
        while index < transforms.count {
            guard let first = transforms[index] as? any GeometricImageTransform else {
                current = transforms[index].apply(to: current, generator: &generator)
                index += 1
                continue
            }
            // Gather the run of geometric transforms that can share one resampling pass.
            var group: [any GeometricImageTransform] = [first]
            var settings: (any GeometricImageTransform)? = first.samplesOutside ? first : nil
            var next = index + 1
            while next < transforms.count, let candidate = transforms[next] as? any GeometricImageTransform {
                if candidate.samplesOutside, let chosen = settings,
                   chosen.fillMode != candidate.fillMode || chosen.fillValue != candidate.fillValue || chosen.interpolation != candidate.interpolation {
                    break
                }
                if settings == nil, candidate.samplesOutside { settings = candidate }
                group.append(candidate)
                next += 1
            }
            var maps: [AffineTransform] = []
            maps.reserveCapacity(current.count)
            for _ in 0..<current.count {
                var combined = AffineTransform.identity
                for transform in group {
                    combined = combined.followed(by: transform.sampleTransform(height: current.height, width: current.width, generator: &generator))
                }
                maps.append(combined)
            }
            let chosen = settings ?? first
            current = AffineWarp.warpEach(current, fillMode: chosen.fillMode, fillValue: chosen.fillValue,
                                          interpolation: chosen.interpolation) { maps[$0] }
            index = next
        }
        return current
    }
}
