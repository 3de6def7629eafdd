import KestrelDiagnostics
import KestrelRecipes

/// Parses `--early-stopping MONITOR:PATIENCE` and `--reduce-lr MONITOR:FACTOR:PATIENCE[:MIN_LR]`
/// into the library's `CallbackSettings` (checked before any data is loaded).
enum CallbackOptions {
    /// Reads the two option values (nil = not given).
    static func parse(earlyStopping: String?, reduceLR: String?) throws -> CallbackSettings {
        var settings = CallbackSettings()
        if let earlyStopping {
            let parts = earlyStopping.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let patience = Int(parts[1]), patience >= 0 else {
                throw CommandFailure(message: "--early-stopping '\(earlyStopping)' is not MONITOR:PATIENCE; write e.g. --early-stopping val_loss:3.")
            }
            settings.earlyStopping = .init(monitor: parts[0], patience: patience)
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
            settings.reduceLR = .init(monitor: parts[0], factor: factor, patience: patience, minLR: minLR)
        }
        return settings
    }
}
