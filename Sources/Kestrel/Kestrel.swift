/// Library-wide settings (Keras's `keras.utils.set_random_seed` and friends).
public enum Kestrel {
    /// Makes weight initialisation, shuffling and dropout reproducible: two runs after the same seed
    /// give identical results.
    public static func setRandomSeed(_ seed: UInt64) {
        GlobalRandom.seed(seed)
    }
}

extension Tensor {
    /// Integer class labels as a [N] tensor (the form sparse losses expect).
    public init(labels: [Int]) {
        self.init(labels.map(Float.init))
    }
}
