/// What a run was trained and validated on, recorded beside its history so that runs are compared as
/// siblings (`kestrel compare`'s underfitting rule) only when they saw the same data: the sample counts
/// and an order-independent hash of the targets (the same samples in another order, or another seed's
/// shuffle, hash alike). `fit` on arrays records it; Kestrel's history JSON holds it under `"data"`.
/// Keras's history files hold nothing like it, so their runs cannot be checked.
public struct DataFingerprint: Sendable, Codable, Equatable {
    /// Training samples (after a validation split), when known.
    public var trainingSamples: Int?
    /// Validation samples, when known.
    public var validationSamples: Int?
    /// The training targets' hash (16 hexadecimal digits), when known.
    public var trainingTargets: String?
    /// The validation targets' hash (16 hexadecimal digits), when known.
    public var validationTargets: String?

    /// A fingerprint from what is known.
    public init(trainingSamples: Int? = nil, validationSamples: Int? = nil, trainingTargets: String? = nil,
                validationTargets: String? = nil) {
        self.trainingSamples = trainingSamples
        self.validationSamples = validationSamples
        self.trainingTargets = trainingTargets
        self.validationTargets = validationTargets
    }

    /// The hash of sample-major target values: FNV-1a (64-bit) over each sample's values (their bit
    /// patterns, −0 read as 0), the samples' hashes added (so their order does not matter), then mixed with
    /// the count and the values per sample. `value(sample, index)` is value `index` of sample `sample`, all target arrays one after another.
    public static func targetsHash(samples: Int, valuesPerSample: Int, value: (_ sample: Int, _ index: Int) -> Float) -> String {
        let prime: UInt64 = 0x100_0000_01B3
        var total: UInt64 = 0
        for sample in 0..<samples {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for index in 0..<valuesPerSample {
                let bits = (value(sample, index) + 0).bitPattern
                for shift in stride(from: 0, to: 32, by: 8) {
                    hash = (hash ^ UInt64((bits >> UInt32(shift)) & 0xFF)) &* prime
                }
            }
            total = total &+ hash
        }
        var mixed = total
        for extra in [UInt64(samples), UInt64(valuesPerSample)] { mixed = (mixed ^ extra) &* prime }
        let digits = String(mixed, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
