import Kestrel

/// The callbacks a `TrainingRecipe` adds to every run, as plain data: EarlyStopping (always with
/// `restoreBestWeights`) and ReduceLROnPlateau, with Keras's argument meanings.
public struct CallbackSettings: Sendable, Equatable {
    /// EarlyStopping's settings.
    public struct EarlyStoppingSettings: Sendable, Equatable {
        /// The logged quantity watched, e.g. `"val_loss"`.
        public var monitor: String
        /// Epochs without improvement before training stops.
        public var patience: Int
        /// Settings for `EarlyStopping(monitor:patience:restoreBestWeights: true)`.
        public init(monitor: String, patience: Int) {
            self.monitor = monitor
            self.patience = patience
        }
    }

    /// ReduceLROnPlateau's settings.
    public struct ReduceLRSettings: Sendable, Equatable {
        /// The logged quantity watched.
        public var monitor: String
        /// Factor the learning rate is multiplied by (0 < factor < 1).
        public var factor: Double
        /// Epochs without improvement before the rate is reduced.
        public var patience: Int
        /// The lowest learning rate.
        public var minLR: Double
        /// Settings for `ReduceLROnPlateau(monitor:factor:patience:minLR:)`.
        public init(monitor: String, factor: Double, patience: Int, minLR: Double = 0) {
            self.monitor = monitor
            self.factor = factor
            self.patience = patience
            self.minLR = minLR
        }
    }

    /// EarlyStopping, if any.
    public var earlyStopping: EarlyStoppingSettings?
    /// ReduceLROnPlateau, if any.
    public var reduceLR: ReduceLRSettings?

    /// Settings with the given callbacks (none by default).
    public init(earlyStopping: EarlyStoppingSettings? = nil, reduceLR: ReduceLRSettings? = nil) {
        self.earlyStopping = earlyStopping
        self.reduceLR = reduceLR
    }

    /// The monitors named (to check against the keys training will log).
    public var monitors: [String] { [earlyStopping?.monitor, reduceLR?.monitor].compactMap { $0 } }

    /// Fresh callback objects for one run; `verbose` is passed to each (1 prints when they act).
    public func makeCallbacks(verbose: Int = 1) throws -> [Callback] {
        var callbacks: [Callback] = []
        if let earlyStopping {
            callbacks.append(EarlyStopping(monitor: earlyStopping.monitor, patience: earlyStopping.patience, verbose: verbose,
                                           restoreBestWeights: true))
        }
        if let reduceLR {
            callbacks.append(try ReduceLROnPlateau(monitor: reduceLR.monitor, factor: Float(reduceLR.factor), patience: reduceLR.patience,
                                                   verbose: verbose, minLR: Float(reduceLR.minLR)))
        }
        return callbacks
    }
}
