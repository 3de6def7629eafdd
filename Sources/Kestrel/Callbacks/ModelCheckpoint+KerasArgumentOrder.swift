/// `ModelCheckpoint` in the argument orders Keras's tutorials use, which Swift's fixed label order would refuse:
/// `saveWeightsOnly:` then `verbose:` (TensorFlow's save-and-load tutorial), `saveWeightsOnly:` then `monitor:`
/// (Keras's `ModelCheckpoint` documentation) and `saveBestOnly:` then `monitor:` (keras-io's training guide).
/// Each has required labels the declared initialiser does not accept in that order, so none is ambiguous.
extension ModelCheckpoint {
    /// `ModelCheckpoint(filepath=…, save_weights_only=True, verbose=1)`.
    public convenience init(filepath: String, saveWeightsOnly: Bool, verbose: Int) throws {
        try self.init(filepath: filepath, verbose: verbose, saveWeightsOnly: saveWeightsOnly)
    }

    /// `ModelCheckpoint(filepath=…, save_weights_only=True, monitor="val_accuracy", mode="max", save_best_only=True)`.
    public convenience init(filepath: String, saveWeightsOnly: Bool, monitor: String, mode: MonitorMode = .auto,
                            saveBestOnly: Bool = false, verbose: Int = 0) throws {
        try self.init(filepath: filepath, monitor: monitor, verbose: verbose, saveBestOnly: saveBestOnly,
                      saveWeightsOnly: saveWeightsOnly, mode: mode)
    }

    /// `ModelCheckpoint(filepath=…, save_best_only=True, monitor="val_loss", verbose=1)`.
    public convenience init(filepath: String, saveBestOnly: Bool, monitor: String, mode: MonitorMode = .auto,
                            verbose: Int = 0) throws {
        try self.init(filepath: filepath, monitor: monitor, verbose: verbose, saveBestOnly: saveBestOnly, mode: mode)
    }

    /// Keras's integer `save_freq` (a number of batches), as TensorFlow's save-and-load tutorial passes it:
    /// `ModelCheckpoint(filepath=…, verbose=1, save_weights_only=True, save_freq=5*n_batches)`. Not positive
    /// throws, naming saveFreq.
    public convenience init(filepath: String, monitor: String = "val_loss", verbose: Int = 0, saveBestOnly: Bool = false,
                            saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, saveFreq: Int) throws {
        try self.init(filepath: filepath, monitor: monitor, verbose: verbose, saveBestOnly: saveBestOnly,
                      saveWeightsOnly: saveWeightsOnly, mode: mode, saveFreq: .batches(saveFreq))
    }

    /// Keras's `save_freq="epoch"` as a string; any other string throws, naming saveFreq and the valid values.
    public convenience init(filepath: String, monitor: String = "val_loss", verbose: Int = 0, saveBestOnly: Bool = false,
                            saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, saveFreq: String) throws {
        guard saveFreq == "epoch" else {
            throw KestrelError.invalidArgument(
                "ModelCheckpoint: saveFreq must be \"epoch\" or a number of batches, got \"\(saveFreq)\".")
        }
        try self.init(filepath: filepath, monitor: monitor, verbose: verbose, saveBestOnly: saveBestOnly,
                      saveWeightsOnly: saveWeightsOnly, mode: mode, saveFreq: .epoch)
    }
}
