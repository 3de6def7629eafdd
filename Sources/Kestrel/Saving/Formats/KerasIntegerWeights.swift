/// A layer with weights that Keras keeps as integers (Normalization's `count`, an int64 scalar): they
/// are written to `.weights.h5` as int64 and read back from integer datasets; every other weight must be
/// floating point.
protocol KerasIntegerWeights {
    /// Whether Keras stores `variable` (one of the layer's weights) as an integer.
    func isIntegerWeight(_ variable: Variable) -> Bool
}

extension Normalization: KerasIntegerWeights {
    func isIntegerWeight(_ variable: Variable) -> Bool { variable === count }
}
