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
}
