/// Keras 3's names, config and `from_config()` for a regularizer, in one place.
extension Regularizer {
    /// Keras's class names for a regularizer, in the order the error message lists them.
    static let kerasClassNames = ["L1", "L2", "L1L2"]

    /// Keras's `class_name`: L2 when there is no L1 factor, L1 when there is no L2 factor, else L1L2.
    var kerasClassName: String { l1 == 0 ? "L2" : l2 == 0 ? "L1" : "L1L2" }

    /// Keras's `get_config()`: the factors the class has.
    var config: LayerConfig {
        switch kerasClassName {
        case "L2": return ["l2": KerasObjects.number(l2)]
        case "L1": return ["l1": KerasObjects.number(l1)]
        default: return ["l1": KerasObjects.number(l1), "l2": KerasObjects.number(l2)]
        }
    }

    /// Keras's `from_config()`; throws naming the class when it is not one of `kerasClassNames`, or
    /// when a factor is not finite and ≥ 0.
    init(kerasClassName className: String, config: LayerConfig) throws {
        let l1 = config["l1"]?.doubleValue.map(Float.init) ?? 0, l2 = config["l2"]?.doubleValue.map(Float.init) ?? 0
        self.init(l1: l1, l2: l2)
        guard isValid else { throw KestrelError.invalidData("regularizer factors must be finite and ≥ 0") }
        guard Regularizer.kerasClassNames.contains(className) else {
            throw KestrelError.invalidData("regularizer \(className) is not supported (only \(Regularizer.kerasClassNames.joined(separator: ", ")))")
        }
    }
}
