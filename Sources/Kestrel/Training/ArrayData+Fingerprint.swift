extension DataFingerprint {
    /// The fingerprint of an array `fit`: the training arrays (after the validation split, before class
    /// weights) and the validation arrays, when there are any.
    init(training: ArrayData, validation: ArrayData?) {
        self.init(trainingSamples: training.count, validationSamples: validation?.count,
                  trainingTargets: Self.targetsHash(training), validationTargets: validation.flatMap(Self.targetsHash))
    }

    /// The hash of `data`'s targets (nil without targets).
    private static func targetsHash(_ data: ArrayData) -> String? {
        guard !data.targets.isEmpty else { return nil }
        let samples = data.count
        let widths = data.targets.map { $0.shape.dropFirst().reduce(1, *) }
        let values = data.targets.map(\.scalars)
        let valuesPerSample = widths.reduce(0, +)
        return targetsHash(samples: samples, valuesPerSample: valuesPerSample) { sample, index in
            var rest = index
            for (array, width) in widths.enumerated() {
                if rest < width { return values[array][sample * width + rest] }
                rest -= width
            }
            return 0
        }
    }
}
