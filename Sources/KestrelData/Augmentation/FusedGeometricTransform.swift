import KestrelTensor

/// Consecutive geometric transforms as one: per image, each member's map is drawn in order and the
/// maps are composed, so the image is resampled (and interpolated) once.
struct FusedGeometricTransform: GeometricImageTransform {
    /// The transforms, applied in order.
    let group: [any GeometricImageTransform]
    /// The member whose fill and interpolation settings the pass uses.
    let settings: any GeometricImageTransform

    /// The fill mode of `settings`.
    var fillMode: FillMode { settings.fillMode }
    /// The fill value of `settings`.
    var fillValue: Float { settings.fillValue }
    /// The interpolation of `settings`.
    var interpolation: Interpolation { settings.interpolation }

    /// The members' maps for one image, drawn in order and composed.
    func sampleTransform(height: Int, width: Int, generator: inout RandomGenerator) -> AffineTransform {
        var combined = AffineTransform.identity
        for transform in group {
            combined = combined.followed(by: transform.sampleTransform(height: height, width: width, generator: &generator))
        }
        return combined
    }
}
