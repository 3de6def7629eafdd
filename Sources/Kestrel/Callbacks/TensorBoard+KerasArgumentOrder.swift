/// `TensorBoard` with the log folder unlabelled, as Keras code passes it first
/// (`tf.keras.callbacks.TensorBoard(logdir/name)` in TensorFlow's overfit-and-underfit tutorial).
extension TensorBoard {
    /// `TensorBoard(log_dir, histogram_freq=0, update_freq="epoch")` with the folder given positionally.
    public convenience init(_ logDir: String, histogramFreq: Int = 0, updateFreq: UpdateFrequency = .epoch) throws {
        try self.init(logDir: logDir, histogramFreq: histogramFreq, updateFreq: updateFreq)
    }
}
