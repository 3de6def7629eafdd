/// Saving a `RandomAugmentation` (Kestrel's fused augmentation layer, which `kestrel fit --augment`
/// builds): Keras 3 has no such class, so the layer is written as the Keras layers it fuses —
/// `RandomFlip`, `RandomRotation`, `RandomTranslation`, `RandomZoom`, `RandomContrast`,
/// `RandomBrightness` — in its order, each with its own config. They hold no weights, so the weights
/// file is unchanged apart from their empty `vars` groups; Keras and Kestrel both load them back as
/// those separate layers (the same augmentation, resampled one transform at a time).
extension RandomAugmentation {
    /// The Keras layers equivalent to this one, named after it; throws for a transform Keras 3 has no
    /// layer for (`RandomShearTransform`).
    func kerasEquivalentLayers() throws -> [Layer] {
        var layers: [Layer] = []
        var used: [String: Int] = [:]
        func name(_ kind: String) -> String {
            let count = used[kind, default: 0]
            used[kind] = count + 1
            return count == 0 ? "\(self.name)_\(kind)" : "\(self.name)_\(kind)_\(count + 1)"
        }
        func expand(_ transforms: [any ImageTransform]) throws {
            for transform in transforms {
                switch transform {
                case let pipeline as AugmentationPipeline:
                    try expand(pipeline.transforms)
                case let flip as RandomFlipTransform:
                    layers.append(RandomFlip(flip.mode, seed: seed, name: name("random_flip")))
                case let rotation as RandomRotationTransform:
                    layers.append(try RandomRotation(rotation.factor, fillMode: rotation.fillMode, interpolation: rotation.interpolation,
                                                     seed: seed, fillValue: rotation.fillValue, name: name("random_rotation")))
                case let translation as RandomTranslationTransform:
                    layers.append(try RandomTranslation(heightFactor: translation.heightFactor, widthFactor: translation.widthFactor,
                                                        fillMode: translation.fillMode, interpolation: translation.interpolation,
                                                        seed: seed, fillValue: translation.fillValue, name: name("random_translation")))
                case let zoom as RandomZoomTransform:
                    layers.append(try RandomZoom(heightFactor: zoom.heightFactor, widthFactor: zoom.widthFactor, fillMode: zoom.fillMode,
                                                 interpolation: zoom.interpolation, seed: seed, fillValue: zoom.fillValue,
                                                 name: name("random_zoom")))
                case let contrast as RandomContrastTransform:
                    layers.append(try RandomContrast(lower: contrast.lower, upper: contrast.upper, valueRange: contrast.valueRange,
                                                     seed: seed, name: name("random_contrast")))
                case let brightness as RandomBrightnessTransform:
                    layers.append(try RandomBrightness(brightness.factor, valueRange: brightness.valueRange, seed: seed,
                                                       name: name("random_brightness")))
                default:
                    throw KestrelError.invalidArgument(
                        "Layer '\(self.name)' (RandomAugmentation) holds a \(type(of: transform)), which has no Keras 3 layer; leave it out of a model you save, or apply it to the data with KestrelData instead.")
                }
            }
        }
        try expand(pipeline.transforms)
        return layers
    }
}

extension Sequential {
    /// The layers as they are saved in Keras's format: every `RandomAugmentation` replaced by the
    /// Keras layers it fuses.
    func layersForSaving() throws -> [Layer] {
        try layers.flatMap { layer -> [Layer] in
            guard let augmentation = layer as? RandomAugmentation else { return [layer] }
            return try augmentation.kerasEquivalentLayers()
        }
    }
}
