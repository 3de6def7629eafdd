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

    /// The resampling passes: each run of consecutive geometric transforms that share fill settings
    /// becomes one `FusedGeometricTransform`; the other transforms stay as they are.
    var passes: [any ImageTransform] {
        var passes: [any ImageTransform] = []
        var index = 0
        while index < transforms.count {
            guard let first = transforms[index] as? any GeometricImageTransform else {
                passes.append(transforms[index])
                index += 1
                continue
            }
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
            passes.append(FusedGeometricTransform(group: group, settings: settings ?? first))
            index = next
        }
        return passes
    }
}
