/// A user-facing failure: ArgumentParser prints "Error: <message>" and exits non-zero,
/// without a usage dump or stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
