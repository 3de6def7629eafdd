/// The checks every learning-rate schedule runs on its arguments; each failure is an
/// `invalidArgument` error naming the schedule, the argument and what it must be.
enum ScheduleArgument {
    /// `value` as a config number, written with the Float's shortest decimal digits (0.1, not
    /// 0.10000000149011612), as Keras writes the Python float it was given.
    static func number(_ value: Float) -> ConfigValue {
        .double(Double(value.description) ?? Double(value))
    }

    /// Throws unless `value` is a finite number ≥ 0.
    static func nonNegative(_ value: Float, _ label: String, in schedule: String) throws {
        guard value.isFinite, value >= 0 else {
            throw KestrelError.invalidArgument("\(schedule): \(label) must be a finite number ≥ 0, got \(value).")
        }
    }

    /// Throws unless `value` is a finite number.
    static func finite(_ value: Float, _ label: String, in schedule: String) throws {
        guard value.isFinite else {
            throw KestrelError.invalidArgument("\(schedule): \(label) must be a finite number, got \(value).")
        }
    }

    /// Throws unless `steps` > 0 (Keras's "Argument `decay_steps` must be > 0").
    static func positive(_ steps: Int, _ label: String, in schedule: String) throws {
        guard steps > 0 else {
            throw KestrelError.invalidArgument("\(schedule): \(label) must be > 0, got \(steps).")
        }
    }
}
