import Kestrel

/// Parses `--early-stopping MONITOR:PATIENCE` and `--reduce-lr MONITOR:FACTOR:PATIENCE[:MIN_LR]`
/// into Keras callback settings (checked before any data is loaded).
struct CallbackOptions: Equatable {
    /// EarlyStopping's monitor and patience (restoreBestWeights is always on).
    var earlyStopping: (monitor: String, patience: Int)?
    /// ReduceLROnPlateau's monitor, factor, patience and minimum learning rate.
    var reduceLR: (monitor: String, factor: Double, patience: Int, minLR: Double)?

    static func == (lhs: CallbackOptions, rhs: CallbackOptions) -> Bool {
        lhs.earlyStopping?.monitor == rhs.earlyStopping?.monitor && lhs.earlyStopping?.patience == rhs.earlyStopping?.patience
            && lhs.reduceLR?.monitor == rhs.reduceLR?.monitor && lhs.reduceLR?.factor == rhs.reduceLR?.factor
            && lhs.reduceLR?.patience == rhs.reduceLR?.patience && lhs.reduceLR?.minLR == rhs.reduceLR?.minLR
    }

    /// Reads the two option values (nil = not given).
    init(earlyStopping: String?, reduceLR: String?) throws {
        if let earlyStopping {
            let parts = earlyStopping.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let patience = Int(parts[1]), patience >= 0 else {
                throw CommandFailure(message: "--early-stopping '\(earlyStopping)' is not MONITOR:PATIENCE; write e.g. --early-stopping val_loss:3.")
            }
            self.earlyStopping = (parts[0], patience)
        }
        if let reduceLR {
            let parts = reduceLR.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (3...4).contains(parts.count), !parts[0].isEmpty, let factor = Double(parts[1]), factor > 0, factor < 1,
                  let patience = Int(parts[2]), patience >= 0 else {
                throw CommandFailure(message: "--reduce-lr '\(reduceLR)' is not MONITOR:FACTOR:PATIENCE[:MIN_LR] with 0 < FACTOR < 1; write e.g. --reduce-lr val_loss:0.5:3.")
            }
            var minLR = 0.0
            if parts.count == 4 {
                guard let value = Double(parts[3]), value >= 0 else {
                    throw CommandFailure(message: "--reduce-lr '\(reduceLR)': MIN_LR '\(parts[3])' is not a non-negative number; write e.g. val_loss:0.5:3:1e-6.")
                }
                minLR = value
            }
            self.reduceLR = (parts[0], factor, patience, minLR)
        }
    }

    /// The monitors named (to check against the keys training will log).
    var monitors: [String] { [earlyStopping?.monitor, reduceLR?.monitor].compactMap { $0 } }

    /// Fresh callback objects for one run.
    func makeCallbacks() throws -> [Callback] {
        var callbacks: [Callback] = []
        if let earlyStopping {
            callbacks.append(EarlyStopping(monitor: earlyStopping.monitor, patience: earlyStopping.patience, verbose: 1,
                                           restoreBestWeights: true))
        }
        if let reduceLR {
            callbacks.append(try ReduceLROnPlateau(monitor: reduceLR.monitor, factor: Float(reduceLR.factor), patience: reduceLR.patience,
                                                   verbose: 1, minLR: Float(reduceLR.minLR)))
        }
        return callbacks
    }
}
